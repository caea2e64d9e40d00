using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Steward.Platform.Database;

/// <summary>
/// Lets SQLite itself wait for a lock another connection holds (<c>PRAGMA busy_timeout</c>), with its own short
/// back-off (1, 2, 5 … 100 ms), instead of the driver's retry loop, which sleeps a thread for 150 ms between tries:
/// with a few writers at once (a request and the periodic jobs) those sleeps add up to seconds and hold thread-pool
/// threads. The wait is bounded by the connection's default timeout (30 s, set in the connection string).
/// </summary>
internal sealed class SqliteBusyWait : DbConnectionInterceptor
{
    public static readonly SqliteBusyWait Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        var seconds = connection is Microsoft.Data.Sqlite.SqliteConnection sqlite ? sqlite.DefaultTimeout : 30;
        command.CommandText = $"PRAGMA busy_timeout = {seconds * 1000};";
        return command;
    }
}
