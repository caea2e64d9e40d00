using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;

namespace Steward.Platform.Identity;

/// <summary>
/// The failure count and lock of a sign-in name that has no active account (unknown, or disabled), so that
/// such a name is counted and locked exactly like a real account and its answers do not tell it apart.
/// The name is kept only as a keyed hash (<see cref="NameKey"/>): people type passwords into the username field.
/// </summary>
public sealed class SignInFailure
{
    /// <summary>HMAC-SHA256 (hex) of the lower-case name, with the personal-data index key.</summary>
    public string NameKey { get; set; } = "";

    public int FailedSignIns { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> builder)
    {
        builder.ToTable("sign_in_failures");
        builder.HasKey(f => f.NameKey);
        builder.Property(f => f.NameKey).HasMaxLength(64);
    }
}

/// <summary>
/// Reserves a sign-in attempt before its password is checked, in one conditional <c>UPDATE … RETURNING</c>
/// (an upsert for names without an account), atomic on SQLite and PostgreSQL alike: the attempt is counted
/// as a failure up front, and the attempt that reaches the threshold locks the account in the same statement.
/// While the account is locked nothing is reserved, so no more than the threshold's worth of guesses is ever
/// checked, however many arrive at once and on however many nodes. A right password undoes the count
/// (<see cref="SignInService"/>). A lock that has run out starts the count again at one.
/// See docs/decisions/0004-sign-in-and-tokens.md.
/// </summary>
internal static class SignInAttempts
{
    /// <summary>The attempt's number, 1 to <paramref name="max"/>; null when the account is locked.</summary>
    public static async Task<int?> ReserveForStaffAsync(StewardDbContext db, long staffId, int max, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        object at = Instant(db, now), until = Instant(db, lockUntil);
        var rows = await db.Database.SqlQuery<int>($"""
            UPDATE staff
            SET failed_sign_ins = CASE WHEN locked_until IS NULL THEN failed_sign_ins + 1 ELSE 1 END,
                locked_until = CASE WHEN (CASE WHEN locked_until IS NULL THEN failed_sign_ins + 1 ELSE 1 END) >= {max} THEN {until} ELSE NULL END
            WHERE id = {staffId} AND (locked_until IS NULL OR locked_until <= {at})
            RETURNING failed_sign_ins AS "Value"
            """).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The same for a name without an active account, in <c>sign_in_failures</c>.</summary>
    public static async Task<int?> ReserveForNameAsync(StewardDbContext db, string nameKey, int max, DateTimeOffset now, DateTimeOffset lockUntil, CancellationToken cancellationToken)
    {
        object at = Instant(db, now), until = Instant(db, lockUntil);
        var rows = await db.Database.SqlQuery<int>($"""
            INSERT INTO sign_in_failures (name_key, failed_sign_ins, locked_until)
            VALUES ({nameKey}, 1, CASE WHEN 1 >= {max} THEN {until} ELSE NULL END)
            ON CONFLICT (name_key) DO UPDATE
            SET failed_sign_ins = CASE WHEN sign_in_failures.locked_until IS NULL THEN sign_in_failures.failed_sign_ins + 1 ELSE 1 END,
                locked_until = CASE WHEN (CASE WHEN sign_in_failures.locked_until IS NULL THEN sign_in_failures.failed_sign_ins + 1 ELSE 1 END) >= {max}
                    THEN {until} ELSE NULL END
            WHERE sign_in_failures.locked_until IS NULL OR sign_in_failures.locked_until <= {at}
            RETURNING failed_sign_ins AS "Value"
            """).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    // Instants are stored as UTC ticks on SQLite (StewardDbContext's converter) and as timestamptz on PostgreSQL.
    private static object Instant(StewardDbContext db, DateTimeOffset value) => db.IsPostgres ? value.ToUniversalTime() : value.UtcTicks;
}

/// <summary>
/// One password check at a time per sign-in name in this process: simultaneous attempts under one name wait
/// for each other instead of all holding reserved attempts at once, so that eight simultaneous right
/// sign-ins of one person do not use up the five attempts and lock the account. The reservation in the
/// database (<see cref="SignInAttempts"/>) is what bounds the checks across nodes; this only orders them.
/// </summary>
public sealed class SignInGate
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string name, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(name, out entry!))
            {
                entry = new Entry();
                entries[name] = entry;
            }

            entry.Users++;
        }

        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(name, entry, entered: false);
            throw;
        }

        return new Lease(this, name, entry);
    }

    private void Leave(string name, Entry entry, bool entered)
    {
        if (entered)
        {
            entry.Semaphore.Release();
        }

        lock (entries)
        {
            if (--entry.Users == 0)
            {
                entries.Remove(name);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Lease(SignInGate gate, string name, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                gate.Leave(name, entry, entered: true);
            }
        }
    }
}
