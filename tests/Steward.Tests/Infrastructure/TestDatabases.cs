using Microsoft.Data.Sqlite;
using Npgsql;
using Steward.Platform.Database;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// Makes a fresh, empty database per test app. PostgreSQL comes from <c>STEWARD_TEST_PG</c>, the
/// throwaway cluster that <c>./test.sh</c> starts; each app gets its own database. SQLite gets its
/// own file in a temporary folder. Nothing is shared between apps, so tests never see each other's data.
/// </summary>
public static class TestDatabases
{
    public const string PostgresVariable = "STEWARD_TEST_PG";

    private static readonly string SqliteFolder = Directory.CreateTempSubdirectory("steward-tests-").FullName;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with ./test.sh, which starts a throwaway PostgreSQL cluster and sets it.");

    /// <summary>A path for one app's audit checkpoint file, in the temporary folder (the file is created on the first checkpoint).</summary>
    public static string CheckpointFile() => Path.Combine(SqliteFolder, "checkpoints-" + Guid.NewGuid().ToString("N")[..16] + ".log");

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var name = "steward_" + Guid.NewGuid().ToString("N")[..16];
        if (provider == DatabaseProvider.Sqlite)
        {
            var path = Path.Combine(SqliteFolder, name + ".db");
            return new TestDatabase(provider, new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString(), () =>
            {
                foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                {
                    File.Delete(file);
                }

                return Task.CompletedTask;
            });
        }

        var server = ServerConnectionString;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 20 };
        return new TestDatabase(provider, builder.ToString(), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        });
    }
}

public sealed class TestDatabase(DatabaseProvider provider, string connectionString, Func<Task> drop) : IAsyncDisposable
{
    public DatabaseProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    public ValueTask DisposeAsync() => new(drop());
}

/// <summary>Runs a theory once on SQLite and once on PostgreSQL.</summary>
public sealed class BothDatabasesAttribute : Xunit.Sdk.DataAttribute
{
    public override IEnumerable<object[]> GetData(System.Reflection.MethodInfo testMethod) =>
        [[DatabaseProvider.Sqlite], [DatabaseProvider.Postgres]];
}
