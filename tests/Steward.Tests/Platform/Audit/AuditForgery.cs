using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Audit;

/// <summary>
/// What someone who can write to the database (and nothing else) can do to the audit log, in plain SQL: edit entries,
/// recompute the chain with the published unkeyed formula (SHA-256 over the fields joined by U+001F), delete entries
/// and move the head. Written out here from decision 0005, not taken from Steward's code.
/// </summary>
internal static class AuditForgery
{
    public static Task<long> LastSequenceAsync(StewardApp app) => app.WithDbAsync(db => db.AuditEntries.MaxAsync(e => e.Sequence));

    /// <summary>Sets an entry's changes to <paramref name="changes"/> without touching its hash.</summary>
    public static Task EditChangesAsync(StewardApp app, long sequence, string changes) => app.WithDbAsync(db =>
        db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit_entries SET changes = {changes} WHERE sequence = {sequence}"));

    /// <summary>
    /// Recomputes the hash of every entry from <paramref name="from"/> on with plain SHA-256, relinks them and points the
    /// head at the new last hash, so that each entry matches its hash and the one before it. With
    /// <paramref name="keyId"/> the entries are also relabelled with that key id (e.g. as unkeyed legacy entries).
    /// </summary>
    public static Task RecomputeWithSha256Async(StewardApp app, long from, string? keyId = null) => app.WithDbAsync(async db =>
    {
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync();
        var previous = "";
        foreach (var e in entries)
        {
            if (e.Sequence < from)
            {
                previous = e.Hash;
                continue;
            }

            var occurred = new DateTimeOffset(e.OccurredAt.UtcTicks - (e.OccurredAt.UtcTicks % 10), TimeSpan.Zero);
            var text = string.Join('\u001f', e.Sequence.ToString(CultureInfo.InvariantCulture),
                occurred.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture), e.ActorId?.ToString(CultureInfo.InvariantCulture) ?? "",
                e.ActorName, e.Action.ToString(), e.EntityType, e.EntityId, e.BranchId?.ToString(CultureInfo.InvariantCulture) ?? "", e.Changes, previous);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit_entries SET previous_hash = {previous}, hash = {hash} WHERE sequence = {e.Sequence}");
            if (keyId is not null)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit_entries SET key_id = {keyId} WHERE sequence = {e.Sequence}");
            }

            previous = hash;
        }

        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit_chain_head SET last_hash = {previous} WHERE id = 1");
    });

    /// <summary>Deletes the newest <paramref name="count"/> entries and moves the head back to the entry before them.</summary>
    public static Task DeleteNewestAndMoveHeadAsync(StewardApp app, int count) => app.WithDbAsync(async db =>
    {
        var keep = await db.AuditEntries.MaxAsync(e => e.Sequence) - count;
        var hash = await db.AuditEntries.Where(e => e.Sequence == keep).Select(e => e.Hash).SingleAsync();
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM audit_entries WHERE sequence > {keep}");
        await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE audit_chain_head SET last_sequence = {keep}, last_hash = {hash} WHERE id = 1");
    });
}
