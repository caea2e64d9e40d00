using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

/// <summary>Bound from <c>Audit</c>: where and how often the chain head is anchored outside the database.</summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>
    /// The append-only checkpoint file; relative paths are taken from the content root. Default
    /// <c>data/audit-checkpoints.log</c>, beside the default SQLite file. Keep it where the database's users cannot write.
    /// </summary>
    [MaxLength(1000)]
    public string? CheckpointFile { get; set; }

    /// <summary>Minutes between checkpoints written by each node (one is also written at start-up and on demand).</summary>
    [Range(1, 10080)]
    public int CheckpointMinutes { get; set; } = 60;

    /// <summary>When set, every checkpoint is also e-mailed (through the outbox) to this address, e.g. compliance's archive.</summary>
    [EmailAddress, MaxLength(200)]
    public string? CheckpointEmail { get; set; }
}

/// <summary>The chain head as it was at <see cref="At"/>: entry <see cref="Sequence"/> had <see cref="Hash"/> (0 and "" for an empty chain).</summary>
public sealed record AuditCheckpoint(long Sequence, string Hash, DateTimeOffset At, string KeyId);

/// <summary>One line of the checkpoint file: a checkpoint whose seal verifies, or the reason it does not.</summary>
public sealed record AuditCheckpointLine(int Number, AuditCheckpoint? Checkpoint, string? Problem);

/// <summary>
/// The checkpoint file: one line per checkpoint, <c>v1 &lt;sequence&gt; &lt;hash or -&gt; &lt;time&gt; &lt;key id&gt; &lt;seal&gt;</c>,
/// the seal being the HMAC-SHA256 of the rest of the line under the key's checkpoint subkey. Lines are only ever
/// appended, each with one write and an fsync before the call returns. Several nodes may append to one file.
/// </summary>
public sealed class AuditCheckpointFile(IOptions<AuditOptions> options, IHostEnvironment environment, AuditKeyRing keys)
{
    private const string Version = "v1";
    private const string NoHash = "-";

    // One writer at a time in this process (two app instances in one process share the file in tests).
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(
        string.IsNullOrWhiteSpace(options.Value.CheckpointFile) ? System.IO.Path.Combine("data", "audit-checkpoints.log") : options.Value.CheckpointFile,
        environment.ContentRootPath);

    /// <summary>Appends <paramref name="checkpoint"/>, sealed with its key, and flushes it to disk.</summary>
    public async Task AppendAsync(AuditCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var key = keys.Find(checkpoint.KeyId) ?? throw new InvalidOperationException($"Audit key {checkpoint.KeyId} is not configured.");
        var body = Body(checkpoint);
        var bytes = Encoding.UTF8.GetBytes(body + " " + Seal(key, body) + "\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var file = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
            }

            await using var stream = new FileStream(Path, file);
            // Another process may have appended since the open: write at the end as it is now, in one write.
            stream.Seek(0, SeekOrigin.End);
            await stream.WriteAsync(bytes, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Every line of the file in order (none when there is no file yet).</summary>
    public async Task<IReadOnlyList<AuditCheckpointLine>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        var lines = new List<AuditCheckpointLine>();
        await using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (line.Length > 0)
            {
                lines.Add(Parse(number, line));
            }
        }

        return lines;
    }

    private AuditCheckpointLine Parse(int number, string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 6 || parts[0] != Version
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !DateTimeOffset.TryParseExact(parts[3], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return new AuditCheckpointLine(number, null, "not a checkpoint line");
        }

        if (keys.Find(parts[4]) is not { } key)
        {
            return new AuditCheckpointLine(number, null, $"sealed with key {parts[4]}, which is not configured");
        }

        var checkpoint = new AuditCheckpoint(sequence, parts[2] == NoHash ? "" : parts[2], at.ToUniversalTime(), key.Id);
        var body = Body(checkpoint);
        return body == string.Join(' ', parts[..5]) && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Seal(key, body)), Encoding.ASCII.GetBytes(parts[5]))
            ? new AuditCheckpointLine(number, checkpoint, null)
            : new AuditCheckpointLine(number, null, "its seal does not match: the line was altered");
    }

    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";

    private static string Body(AuditCheckpoint c) => string.Join(' ',
        Version,
        c.Sequence.ToString(CultureInfo.InvariantCulture),
        c.Hash.Length == 0 ? NoHash : c.Hash,
        c.At.ToUniversalTime().ToString(TimeFormat, CultureInfo.InvariantCulture),
        c.KeyId);

    private static string Seal(AuditKey key, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.CheckpointKey, Encoding.UTF8.GetBytes(body)));
}
