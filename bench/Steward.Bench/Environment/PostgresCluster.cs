using Npgsql;

namespace Steward.Bench.Environment;

/// <summary>
/// A PostgreSQL server for one benchmark run: either a throwaway cluster (initdb in a temp folder,
/// a free port on 127.0.0.1, durability settings left at their defaults: fsync, synchronous_commit
/// and full_page_writes on) or a server the user names with <c>--pg</c>. Either way the run gets a
/// fresh database, dropped at the end.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    private readonly string? directory;
    private readonly string binaries;
    private readonly string serverConnectionString;

    private PostgresCluster(string serverConnectionString, string databaseName, string? directory, string binaries)
    {
        this.serverConnectionString = serverConnectionString;
        this.directory = directory;
        this.binaries = binaries;
        DatabaseName = databaseName;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = databaseName }.ConnectionString;
    }

    public string DatabaseName { get; }

    /// <summary>The connection string of the run's own database.</summary>
    public string ConnectionString { get; }

    public bool IsThrowaway => directory is not null;

    /// <summary>With <c>--pg</c>: leave the run's database on the server at the end (<c>--keep-db</c>), e.g. to EXPLAIN queries on the loaded data.</summary>
    public bool Keep { get; init; }

    /// <summary>Starts a throwaway cluster (or connects to <paramref name="external"/>) and creates the run's database.</summary>
    /// <remarks>With <paramref name="name"/> (<c>--database</c>, only with <c>--pg</c>) the run uses that database, creating it if missing, and keeps it.</remarks>
    public static async Task<PostgresCluster> StartAsync(string? external, int maxConnections, Action<string> log, CancellationToken cancellationToken, bool keep = false, string? name = null)
    {
        var binaries = System.Environment.GetEnvironmentVariable("PG_BIN") ?? "/usr/lib/postgresql/15/bin";
        var database = name ?? "steward_bench_" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
        if (external is not null)
        {
            keep |= name is not null;
            var cluster = new PostgresCluster(external, database, null, binaries) { Keep = keep };
            var created = await cluster.CreateDatabaseAsync(cancellationToken, ifMissing: name is not null);
            log($"Using the PostgreSQL server of --pg; database {database} ({(created ? "new" : "existing")}, {(keep ? "kept" : "dropped")} at the end)");
            return cluster;
        }

        if (!File.Exists(Path.Combine(binaries, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 server binaries not found in {binaries} (set PG_BIN or pass --pg).");
        }

        var dir = Directory.CreateTempSubdirectory("steward-bench-pg.").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        if (ProcessRunner.IsRoot)
        {
            await ProcessRunner.RunAsync("chown", ["postgres:postgres", dir], cancellationToken);
        }

        var port = ProcessRunner.FreePort();
        var server = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=600;Maximum Pool Size={maxConnections}";
        var started = new PostgresCluster(server, database, dir, binaries);
        try
        {
            await started.AsPostgresAsync("initdb", ["-D", $"{dir}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"], cancellationToken);
            // Durability at the defaults (fsync, synchronous_commit, full_page_writes on): benchmarks measure what production pays.
            // pg_stat_statements is loaded (negligible cost) so that scenarios can say which statements dominate.
            await started.AsPostgresAsync("pg_ctl", ["-D", $"{dir}/data", "-l", $"{dir}/log", "-w", "start",
                "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {dir} -c max_connections={maxConnections + 50} -c shared_preload_libraries=pg_stat_statements"], cancellationToken);
            await started.CreateDatabaseAsync(cancellationToken);
            log($"PostgreSQL throwaway cluster on 127.0.0.1:{port} in {dir}");
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>Server version and the settings that decide write and read costs, for the report.</summary>
    public async Task<(string Version, IReadOnlyList<(string Name, string Value)> Settings)> DescribeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var version = new NpgsqlCommand("SHOW server_version", connection);
        var v = (string)(await version.ExecuteScalarAsync(cancellationToken))!;
        await using var command = new NpgsqlCommand(
            """
            SELECT name, current_setting(name) FROM pg_settings
            WHERE name = ANY(@names) ORDER BY name
            """, connection);
        command.Parameters.AddWithValue("names", new[]
        {
            "fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "wal_level", "shared_buffers", "work_mem",
            "effective_cache_size", "max_connections", "max_wal_size", "checkpoint_timeout", "lc_collate", "jit",
        });
        var settings = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            settings.Add((reader.GetString(0), reader.GetString(1)));
        }

        return (v, settings);
    }

    public async ValueTask DisposeAsync()
    {
        if (directory is null && Keep)
        {
            NpgsqlConnection.ClearAllPools();
            return;
        }

        if (directory is null)
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                await using var connection = new NpgsqlConnection(serverConnectionString);
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
                await drop.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException)
            {
                // Best effort: the user's server keeps an extra database.
            }

            return;
        }

        NpgsqlConnection.ClearAllPools();
        try
        {
            await AsPostgresAsync("pg_ctl", ["-D", $"{directory}/data", "-m", "fast", "-w", "stop"], CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Already down.
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Creates the run's database; with <paramref name="ifMissing"/> an existing one is used as it is (returns false).</summary>
    private async Task<bool> CreateDatabaseAsync(CancellationToken cancellationToken, bool ifMissing = false)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (ifMissing)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = DatabaseName });
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return false;
            }
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    private Task<string> AsPostgresAsync(string tool, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(binaries, tool);
        return ProcessRunner.IsRoot
            ? ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], cancellationToken)
            : ProcessRunner.RunAsync(path, arguments, cancellationToken);
    }
}
