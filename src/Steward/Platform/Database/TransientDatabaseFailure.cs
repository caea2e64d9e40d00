using Microsoft.Data.Sqlite;
using Npgsql;

namespace Steward.Platform.Database;

/// <summary>
/// Tells a database that is briefly unreachable or overloaded (worth a retry in a few seconds) from a real fault. Such a
/// failure is answered 503 with <c>Retry-After: <see cref="RetryAfterSeconds"/></c>; nothing was committed, and a create
/// retried with the same idempotency key runs once (docs/decisions/0017-input-validation.md).
/// <list type="bullet">
/// <item>PostgreSQL: SQLSTATE class 08 (connection exception), class 53 (insufficient resources: too many connections,
/// out of memory, disk full), 57P01–57P03 (the server shutting down, crashed or still starting and recovering), and
/// 40001 / 40P01 (serialization failure, deadlock: the transaction was rolled back). Npgsql's own verdict
/// (<see cref="NpgsqlException.IsTransient"/>) for failures without a server answer: a broken connection, a timeout,
/// a database not accepting connections.</item>
/// <item>SQLite: <c>SQLITE_BUSY</c> and <c>SQLITE_LOCKED</c>, another writer held the database longer than the busy timeout.</item>
/// </list>
/// The exception is looked for along the inner exceptions, since EF wraps it (<c>DbUpdateException</c>, and
/// <c>InvalidOperationException</c> for a transient failure seen by its execution strategy).
/// </summary>
public static class TransientDatabaseFailure
{
    public const int RetryAfterSeconds = 5;

    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static bool Is(Exception exception) => Find(exception) is not null;

    /// <summary>A one-line account for the log: the database's own error, without a stack trace (nothing is wrong with the code).</summary>
    public static string Describe(Exception exception) => Find(exception) switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        { } found => found.Message,
        null => exception.Message,
    };

    private static Exception? Find(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            var transient = e switch
            {
                PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                    || pg.SqlState is "57P01" or "57P02" or "57P03" or "40001" or "40P01" || pg.IsTransient,
                NpgsqlException npgsql => npgsql.IsTransient,
                SqliteException sqlite => sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked,
                _ => false,
            };
            if (transient)
            {
                return e;
            }
        }

        return null;
    }
}
