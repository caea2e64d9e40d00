using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

public enum AuditBreakKind
{
    /// <summary>An entry's content no longer matches its hash: it was changed.</summary>
    ContentChanged,

    /// <summary>An entry does not point at the hash of the entry before it.</summary>
    LinkBroken,

    /// <summary>Sequence numbers skip: entries were removed.</summary>
    EntriesMissing,

    /// <summary>The chain head does not match the last entry: entries were removed from the end or the head was edited.</summary>
    HeadMismatch,

    /// <summary>An entry names an audit key that is not configured: it cannot be checked (a retired key was removed, or the entry was forged).</summary>
    UnknownKey,

    /// <summary>An entry claims the unkeyed legacy hash where the chain is already keyed: it was recomputed without the key.</summary>
    LegacyAfterKeyed,

    /// <summary>An entry's hash differs from the one a checkpoint recorded for it: it was altered and the chain recomputed.</summary>
    CheckpointMismatch,

    /// <summary>The log ends before an entry a checkpoint recorded: entries were removed from the end and the head moved back.</summary>
    HeadBehindCheckpoint,

    /// <summary>A line of the checkpoint file is not a checkpoint whose seal verifies.</summary>
    CheckpointInvalid,
}

/// <summary>One place the chain breaks; <see cref="Sequence"/> is 0 for a problem of the checkpoint file itself.</summary>
public sealed record AuditBreak(AuditBreakKind Kind, long Sequence, long? EntryId, string Detail);

/// <summary>
/// The outcome of verifying entries <see cref="FromSequence"/>..<see cref="LastSequence"/> against
/// <see cref="CheckpointsChecked"/> checkpoints: every break found, in chain order, at most <see cref="AuditVerifier.MaxBreaks"/>
/// (<see cref="Capped"/> then says that verification stopped there).
/// </summary>
public sealed record AuditVerification(bool Intact, long FromSequence, long LastSequence, long EntriesChecked, int CheckpointsChecked, IReadOnlyList<AuditBreak> Breaks, bool Capped)
{
    /// <summary>The first break, or null: what verification reported before it listed them all.</summary>
    public AuditBreak? Break => Breaks.Count > 0 ? Breaks[0] : null;
}

/// <summary>
/// Verifying the audit chain: every entry's keyed hash under its own key, every link, no gaps, the head, and every
/// checkpoint of the checkpoint file (an entry the database lost or rewrote below a checkpoint is reported).
/// </summary>
public sealed class AuditVerifier(StewardDbContext db, AuditKeyRing keys, AuditCheckpointFile checkpointFile)
{
    public const int MaxBreaks = 100;
    private const int BatchSize = 5000;

    /// <summary>
    /// Checks entries <paramref name="from"/>..<paramref name="to"/> (inclusive; default the whole chain) and reports every
    /// break, in sequence order, until <see cref="MaxBreaks"/>. A break does not stop the walk: the next entry is checked
    /// against what is stored, so two separate edits are two breaks. The head and the checkpoints beyond the last entry are
    /// checked only when the range reaches the end of the log.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(long? from = null, long? to = null, CancellationToken cancellationToken = default)
    {
        var first = Math.Max(from ?? 1, 1);
        var last = to ?? long.MaxValue;
        var breaks = new Breaks();
        var checkpoints = await CheckpointsAsync(breaks, cancellationToken);
        var legacyEnd = await LegacyEndAsync(checkpoints, cancellationToken);
        var anchors = checkpoints.Where(c => c.Sequence >= first && c.Sequence <= last && c.Sequence > 0).ToList();
        var anchorsAt = anchors.ToLookup(c => c.Sequence);

        // Entry first-1 is outside the range: its stored hash is what entry `first` must point at.
        string? previous = first == 1 ? "" : await db.AuditEntries.AsNoTracking()
            .Where(e => e.Sequence == first - 1).Select(e => e.Hash).SingleOrDefaultAsync(cancellationToken);
        var expected = first;
        long checkedCount = 0;
        var more = true;
        while (more && !breaks.Capped)
        {
            var start = expected;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= start && e.Sequence <= last)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch.TakeWhile(_ => !breaks.Capped))
            {
                Check(entry, expected, previous, legacyEnd, anchorsAt[entry.Sequence], breaks);
                previous = entry.Hash;
                expected = entry.Sequence + 1;
                checkedCount++;
            }

            more = batch.Count == BatchSize;
        }

        if (!breaks.Capped)
        {
            await CheckEndAsync(to, anchors, breaks, cancellationToken);
        }

        return new AuditVerification(breaks.List.Count == 0, first, expected - 1, checkedCount, anchors.Count, breaks.List, breaks.Capped);
    }

    private void Check(AuditEntry entry, long expected, string? previous, long legacyEnd, IEnumerable<AuditCheckpoint> anchors, Breaks breaks)
    {
        if (entry.Sequence != expected)
        {
            // The gap is the break; the entry after it is not also reported for pointing at a missing one.
            breaks.Add(AuditBreakKind.EntriesMissing, expected, null, $"entries {expected}..{entry.Sequence - 1} are missing");
        }
        else if (previous is not null && entry.PreviousHash != previous)
        {
            breaks.Add(AuditBreakKind.LinkBroken, entry.Sequence, entry.Id,
                $"entry {entry.Sequence} points at {Short(entry.PreviousHash)}, the entry before it has {Short(previous)}");
        }

        if (entry.KeyId == AuditKeyRing.LegacyKeyId && entry.Sequence > legacyEnd)
        {
            breaks.Add(AuditBreakKind.LegacyAfterKeyed, entry.Sequence, entry.Id,
                $"entry {entry.Sequence} ({entry.EntityType} {entry.EntityId}) has an unkeyed hash, but the chain is keyed after entry {legacyEnd}");
        }
        else if (AuditWriter.ExpectedHash(entry, keys) is not { } hash)
        {
            breaks.Add(AuditBreakKind.UnknownKey, entry.Sequence, entry.Id,
                $"entry {entry.Sequence} is signed with key {entry.KeyId}, which is not configured");
        }
        else if (hash != entry.Hash)
        {
            breaks.Add(AuditBreakKind.ContentChanged, entry.Sequence, entry.Id,
                $"entry {entry.Sequence} ({entry.EntityType} {entry.EntityId}) does not match its hash");
        }

        if (anchors.FirstOrDefault(c => c.Hash != entry.Hash) is { } differs)
        {
            breaks.Add(AuditBreakKind.CheckpointMismatch, entry.Sequence, entry.Id,
                $"entry {entry.Sequence} has hash {Short(entry.Hash)}, the checkpoint of {Time(differs)} recorded {Short(differs.Hash)}");
        }
    }

    /// <summary>When the range reaches the end of the log: the head must match the last entry, and no checkpoint may lie beyond it.</summary>
    private async Task CheckEndAsync(long? to, List<AuditCheckpoint> anchors, Breaks breaks, CancellationToken cancellationToken)
    {
        var end = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var endSequence = end?.Sequence ?? 0;
        if (to < endSequence)
        {
            return;
        }

        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
        if (head is null || head.LastSequence != endSequence || head.LastHash != (end?.Hash ?? ""))
        {
            breaks.Add(AuditBreakKind.HeadMismatch, head?.LastSequence ?? 0, null,
                $"the chain head records entry {head?.LastSequence} ({Short(head?.LastHash)}), the log ends at entry {endSequence} ({Short(end?.Hash)})");
        }

        if (anchors.Where(c => c.Sequence > endSequence).MaxBy(c => c.Sequence) is { } beyond)
        {
            breaks.Add(AuditBreakKind.HeadBehindCheckpoint, endSequence + 1, null,
                $"the checkpoint of {Time(beyond)} recorded entry {beyond.Sequence} ({Short(beyond.Hash)}), the log ends at entry {endSequence}: entries {endSequence + 1}..{beyond.Sequence} were removed");
        }
    }

    /// <summary>The checkpoints whose seal verifies; the other lines are reported.</summary>
    private async Task<List<AuditCheckpoint>> CheckpointsAsync(Breaks breaks, CancellationToken cancellationToken)
    {
        var anchors = new List<AuditCheckpoint>();
        foreach (var line in await checkpointFile.ReadAsync(cancellationToken))
        {
            if (line.Checkpoint is { } checkpoint)
            {
                anchors.Add(checkpoint);
            }
            else
            {
                breaks.Add(AuditBreakKind.CheckpointInvalid, 0, null, $"line {line.Number} of the checkpoint file: {line.Problem}");
            }
        }

        return anchors;
    }

    /// <summary>
    /// The last sequence at which an unkeyed (legacy SHA-256) entry is acceptable: entries from before keys form a prefix
    /// of the chain, so no later than the entry before the first keyed one, nor than a checkpoint taken while the chain
    /// was still unkeyed (at 0 for a chain that was keyed from the start). Without either, the whole chain may be legacy.
    /// </summary>
    private async Task<long> LegacyEndAsync(List<AuditCheckpoint> anchors, CancellationToken cancellationToken)
    {
        var end = long.MaxValue;
        var firstKeyed = await db.AuditEntries.AsNoTracking().Where(e => e.KeyId != AuditKeyRing.LegacyKeyId)
            .MinAsync(e => (long?)e.Sequence, cancellationToken);
        if (firstKeyed is { } keyed)
        {
            end = keyed - 1;
        }

        var checkpointed = anchors.Select(c => c.Sequence).Distinct().ToList();
        var legacyAnchors = await db.AuditEntries.AsNoTracking()
            .Where(e => checkpointed.Contains(e.Sequence) && e.KeyId == AuditKeyRing.LegacyKeyId)
            .Select(e => new { e.Sequence, e.Hash }).ToListAsync(cancellationToken);
        var unkeyedAt = anchors.Where(c => c.Sequence == 0 || legacyAnchors.Any(e => e.Sequence == c.Sequence && e.Hash == c.Hash))
            .Select(c => (long?)c.Sequence).Max();
        return unkeyedAt is { } limit ? Math.Min(end, limit) : end;
    }

    private static string Short(string? hash) => string.IsNullOrEmpty(hash) ? "(none)" : hash[..Math.Min(12, hash.Length)];

    private static string Time(AuditCheckpoint c) => c.At.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class Breaks
    {
        public List<AuditBreak> List { get; } = [];

        public bool Capped { get; private set; }

        public void Add(AuditBreakKind kind, long sequence, long? id, string detail)
        {
            if (List.Count == MaxBreaks)
            {
                Capped = true;
                return;
            }

            List.Add(new AuditBreak(kind, sequence, id, detail));
        }
    }
}
