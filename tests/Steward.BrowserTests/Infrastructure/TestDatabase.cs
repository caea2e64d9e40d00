using Microsoft.Data.Sqlite;
using Npgsql;
using Steward.Platform.Database;

namespace Steward.BrowserTests.Infrastructure;

/// <summary>
/// A fresh, empty database for one app. SQLite: a file in its own temporary folder, removed with the
/// folder. PostgreSQL: <c>CREATE DATABASE</c> on the server named by <c>STEWARD_TEST_PG</c> (the
/// throwaway cluster that <c>./test.sh</c> starts), dropped at the end.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "STEWARD_TEST_PG";

    private readonly Func<Task> drop;

    private TestDatabase(DatabaseProvider provider, string connectionString, Func<Task> drop)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.drop = drop;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var name = "steward_browser_" + Guid.NewGuid().ToString("N")[..16];
        if (provider == DatabaseProvider.Sqlite)
        {
            var folder = Directory.CreateTempSubdirectory("steward-browser-").FullName;
            var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, name + ".db") }.ToString();
            return new TestDatabase(provider, connectionString, () =>
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
                return Task.CompletedTask;
            });
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster and sets it.");
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        var database = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new TestDatabase(provider, database, async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    public ValueTask DisposeAsync() => new(drop());

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Runs a theory once on SQLite and once on PostgreSQL.</summary>
public sealed class BothDatabasesAttribute : Xunit.Sdk.DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        [[DatabaseProvider.Sqlite], [DatabaseProvider.Postgres]];
}
