using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

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
}

public sealed record AuditBreak(AuditBreakKind Kind, long Sequence, long? EntryId, string Detail);

public sealed record AuditVerification(bool Intact, long EntriesChecked, long LastSequence, AuditBreak? Break);

public sealed record AuditFilter(
    string? EntityType = null,
    string? EntityId = null,
    string? Actor = null,
    AuditAction? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>Reading and verifying the audit chain.</summary>
public sealed class AuditLog(StewardDbContext db)
{
    private const int BatchSize = 5000;

    /// <summary>
    /// Walks the whole chain in sequence order and reports the first place where it breaks.
    /// Stops at the first break: everything after it can no longer be trusted to the same degree.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var expectedSequence = 1L;
        var previousHash = "";
        long checkedCount = 0;
        while (true)
        {
            var from = expectedSequence;
            var batch = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in batch)
            {
                if (entry.Sequence != expectedSequence)
                {
                    return Broken(checkedCount, expectedSequence - 1, AuditBreakKind.EntriesMissing, expectedSequence, null,
                        $"entries {expectedSequence}..{entry.Sequence - 1} are missing");
                }

                if (entry.PreviousHash != previousHash)
                {
                    return Broken(checkedCount, expectedSequence - 1, AuditBreakKind.LinkBroken, entry.Sequence, entry.Id,
                        $"entry {entry.Sequence} points at {Short(entry.PreviousHash)}, the entry before it has {Short(previousHash)}");
                }

                if (AuditWriter.ComputeHash(entry) != entry.Hash)
                {
                    return Broken(checkedCount, expectedSequence - 1, AuditBreakKind.ContentChanged, entry.Sequence, entry.Id,
                        $"entry {entry.Sequence} ({entry.EntityType} {entry.EntityId}) does not match its hash");
                }

                previousHash = entry.Hash;
                expectedSequence++;
                checkedCount++;
            }

            if (batch.Count < BatchSize)
            {
                break;
            }
        }

        var head = await db.AuditChainHeads.AsNoTracking().SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
        var last = expectedSequence - 1;
        if (head is null || head.LastSequence != last || head.LastHash != previousHash)
        {
            return Broken(checkedCount, last, AuditBreakKind.HeadMismatch, head?.LastSequence ?? 0, null,
                $"the chain head records entry {head?.LastSequence} ({Short(head?.LastHash)}), the log ends at entry {last} ({Short(previousHash)})");
        }

        return new AuditVerification(true, checkedCount, last, null);
    }

    /// <summary>Newest first; <paramref name="beforeSequence"/> is the cursor (exclusive).</summary>
    public async Task<IReadOnlyList<AuditEntry>> BrowseAsync(AuditFilter filter, long? beforeSequence, int limit, CancellationToken cancellationToken = default)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.EntityType))
        {
            query = query.Where(e => e.EntityType == filter.EntityType);
        }

        if (!string.IsNullOrWhiteSpace(filter.EntityId))
        {
            query = query.Where(e => e.EntityId == filter.EntityId);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(e => e.ActorName == filter.Actor);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.From is { } fromInstant)
        {
            query = query.Where(e => e.OccurredAt >= fromInstant);
        }

        if (filter.To is { } toInstant)
        {
            query = query.Where(e => e.OccurredAt < toInstant);
        }

        if (beforeSequence is { } cursor)
        {
            query = query.Where(e => e.Sequence < cursor);
        }

        return await query.OrderByDescending(e => e.Sequence).Take(limit).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> EntityTypesAsync(CancellationToken cancellationToken = default) =>
        await db.AuditEntries.AsNoTracking().Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);

    private static AuditVerification Broken(long checkedCount, long last, AuditBreakKind kind, long sequence, long? id, string detail) =>
        new(false, checkedCount, last, new AuditBreak(kind, sequence, id, detail));

    private static string Short(string? hash) => string.IsNullOrEmpty(hash) ? "(none)" : hash[..Math.Min(12, hash.Length)];
}
