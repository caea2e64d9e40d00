using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Notifications;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

/// <summary>
/// Anchors the chain outside the database: writes the head (sequence, hash, time) to the checkpoint file, and e-mails
/// it to <see cref="AuditOptions.CheckpointEmail"/> when one is set. <see cref="AuditVerifier"/> then reports entries
/// removed or altered below any checkpoint, which editing the database alone can no longer hide.
/// </summary>
public sealed partial class AuditCheckpointer(
    StewardDbContext db,
    AuditCheckpointFile file,
    AuditKeyRing keys,
    NotificationService notifications,
    IOptions<AuditOptions> options,
    TimeProvider time)
{
    // Checkpoints this process wrote last, per file: the interval job does not repeat an unchanged head.
    private static readonly Dictionary<string, AuditCheckpoint> LastWritten = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes a checkpoint of the head as committed now. With <paramref name="onlyIfChanged"/> (the interval job) nothing
    /// is written, and null returned, when this process's last checkpoint to the file already has this head.
    /// </summary>
    public async Task<AuditCheckpoint?> WriteAsync(bool onlyIfChanged, CancellationToken cancellationToken)
    {
        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken)
            ?? throw new InvalidOperationException("The audit chain head row is missing; the schema was not migrated.");
        if (head.LastSequence < 0 || !HashPattern().IsMatch(head.LastHash) || (head.LastSequence == 0) != (head.LastHash.Length == 0))
        {
            // Someone wrote something else into the head row: verify says what; a checkpoint of it would anchor nothing.
            throw new InvalidOperationException($"The audit chain head ({head.LastSequence}, '{head.LastHash}') is malformed; verify the chain.");
        }

        lock (LastWritten)
        {
            if (onlyIfChanged && LastWritten.TryGetValue(file.Path, out var last) && last.Sequence == head.LastSequence && last.Hash == head.LastHash)
            {
                return null;
            }
        }

        var checkpoint = new AuditCheckpoint(head.LastSequence, head.LastHash, time.GetUtcNow(), keys.Current.Id);
        await file.AppendAsync(checkpoint, cancellationToken);
        lock (LastWritten)
        {
            LastWritten[file.Path] = checkpoint;
        }

        if (options.Value.CheckpointEmail is { Length: > 0 } recipient)
        {
            var at = checkpoint.At.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
            var sequence = checkpoint.Sequence.ToString(CultureInfo.InvariantCulture);
            var hash = checkpoint.Hash.Length == 0 ? "-" : checkpoint.Hash;
            notifications.Send(OutboxChannel.Email, recipient,
                $"Steward 审计检查点 / audit checkpoint #{sequence}",
                $"""
                {at} 审计日志链头：第 {sequence} 条，哈希 {hash}（密钥 {checkpoint.KeyId}）。请存档本邮件：核查审计日志时，它是可供对照的外部副本。
                {at} audit chain head: entry {sequence}, hash {hash} (key {checkpoint.KeyId}). Keep this e-mail: it is the copy outside Steward to compare with when the log is questioned.
                """);
            await db.SaveChangesAsync(cancellationToken);
        }

        return checkpoint;
    }

    [GeneratedRegex("^([0-9a-f]{64})?$")]
    private static partial Regex HashPattern();
}

/// <summary>Writes a checkpoint every <see cref="AuditOptions.CheckpointMinutes"/> on each node, when the head has moved.</summary>
public sealed class AuditCheckpointJob(IOptions<AuditOptions> options) : IPeriodicJob
{
    public const string JobName = "audit-checkpoint";

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromMinutes(options.Value.CheckpointMinutes);

    public Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<AuditCheckpointer>().WriteAsync(onlyIfChanged: true, cancellationToken);
}
