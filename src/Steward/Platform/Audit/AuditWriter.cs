using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

/// <summary>Appends entries to the keyed hash chain inside the caller's transaction.</summary>
internal static class AuditWriter
{
    public static async Task AppendAsync(StewardDbContext db, IReadOnlyList<PendingAudit> pending, AuditActor actor, AuditKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var head = await LockHeadAsync(db, cancellationToken);
        var sequence = head.LastSequence;
        var previous = head.LastHash;
        foreach (var item in pending)
        {
            var changes = new JsonObject();
            if (item.Before is not null)
            {
                changes["before"] = item.Before;
            }

            if (item.After is not null)
            {
                changes["after"] = item.After;
            }

            var entity = (IAuditable)item.Entry.Entity;
            var entry = new AuditEntry
            {
                Sequence = ++sequence,
                OccurredAt = now,
                ActorId = actor.StaffId,
                ActorName = actor.Name,
                Action = item.Action,
                EntityType = item.Entry.Metadata.ClrType.Name,
                EntityId = entity.Id.ToString(CultureInfo.InvariantCulture),
                BranchId = item.Entry.Entity is IBranchOwned owned ? owned.OwningBranchId : null,
                Changes = changes.ToJsonString(),
                PreviousHash = previous,
                KeyId = key.Id,
            };
            entry.Hash = KeyedHash(entry, key);
            previous = entry.Hash;
            db.AuditEntries.Add(entry);
        }

        // The head is tracked: the caller's SaveChanges writes the entries and the head update in one batch (one round trip).
        // Set through its entry, so the change is known without another scan of every tracked row.
        var tracked = db.Entry(head);
        tracked.Property(h => h.LastSequence).CurrentValue = sequence;
        tracked.Property(h => h.LastHash).CurrentValue = previous;
    }

    /// <summary>
    /// HMAC-SHA256, under <paramref name="key"/>'s entry subkey, of the key id and the entry's content and previous
    /// hash (<see cref="Content"/>): without the key nobody can compute the hash of an edited or invented entry.
    /// </summary>
    public static string KeyedHash(AuditEntry e, AuditKey key) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key.EntryKey, Encoding.UTF8.GetBytes(key.Id + Separator + Content(e))));

    /// <summary>The plain SHA-256 of the content, how entries were hashed before the chain was keyed (<see cref="AuditKeyRing.LegacyKeyId"/>).</summary>
    public static string LegacyHash(AuditEntry e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content(e))));

    /// <summary>The hash <paramref name="e"/> must have under its own key id, or null when that key is not configured.</summary>
    public static string? ExpectedHash(AuditEntry e, AuditKeyRing keys) =>
        e.KeyId == AuditKeyRing.LegacyKeyId ? LegacyHash(e) : keys.Find(e.KeyId) is { } key ? KeyedHash(e, key) : null;

    private const char Separator = '\u001f';

    /// <summary>
    /// The hashed text: the entry's fields and the previous hash joined by U+001F. The instant is taken to the
    /// microsecond, the precision both databases keep.
    /// </summary>
    private static string Content(AuditEntry e)
    {
        var occurred = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero);
        return string.Join(Separator,
            e.Sequence.ToString(CultureInfo.InvariantCulture),
            occurred.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            e.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.ActorName,
            e.Action.ToString(),
            e.EntityType,
            e.EntityId,
            e.BranchId?.ToString(CultureInfo.InvariantCulture) ?? "",
            e.Changes,
            e.PreviousHash);
    }

    private static async Task<AuditChainHead> LockHeadAsync(StewardDbContext db, CancellationToken cancellationToken)
    {
        // A head tracked by an earlier append of this context is stale: read it afresh.
        foreach (var stale in db.ChangeTracker.Entries<AuditChainHead>().ToList())
        {
            stale.State = EntityState.Detached;
        }

        AuditChainHead? head;
        if (db.IsPostgres)
        {
            head = await db.AuditChainHeads.FromSqlRaw("SELECT * FROM audit_chain_head WHERE id = 1 FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        }
        else
        {
            // SQLite: the business rows were just written in this transaction, so it already holds
            // the database's single write lock; nobody else can append until it commits.
            head = await db.AuditChainHeads.SingleOrDefaultAsync(h => h.Id == 1, cancellationToken);
        }

        return head ?? throw new InvalidOperationException("The audit chain head row is missing; the schema was not migrated.");
    }
}

/// <summary>Rows that belong to one branch; the audit log records it so scoped staff can browse it.</summary>
public interface IBranchOwned
{
    long? OwningBranchId { get; }
}
