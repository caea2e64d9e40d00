using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Steward.Platform.Database;

/// <summary>One versioned SQL script for one provider, embedded in the assembly.</summary>
public sealed record MigrationScript(string Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));
}

/// <summary>
/// Applies the versioned SQL scripts in <c>Platform/Database/Migrations/{sqlite|postgres}</c> in order,
/// each in its own transaction together with its row in <c>schema_migrations</c>. A script already
/// applied whose text has since changed stops start-up: migrations are append-only. On PostgreSQL an
/// advisory lock makes concurrent starts of several nodes apply each script once.
/// </summary>
public sealed class MigrationRunner(StewardDbContext db, ILogger<MigrationRunner> logger)
{
    private const long PostgresLockKey = 0x5354_4557_4152_44; // "STEWARD"

    public static IReadOnlyList<MigrationScript> Scripts(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var prefix = $"migrations/{folder}/";
        var assembly = typeof(MigrationRunner).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var underscore = file.IndexOf('_', StringComparison.Ordinal);
                return new MigrationScript(file[..underscore], file[(underscore + 1)..], Read(assembly, n));
            })
            .ToList();
    }

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var provider = db.IsPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await MigrateAsync(db.Database.GetDbConnection(), provider, db.Time, logger, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Applies the scripts not yet applied over an open <paramref name="connection"/> (the app's own, or a bare one:
    /// the tests migrate one template database this way and copy it for each test app).
    /// </summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(
        DbConnection connection, DatabaseProvider provider, TimeProvider time, ILogger logger, CancellationToken cancellationToken = default)
    {
        var applied = new List<string>();
        if (provider == DatabaseProvider.Postgres)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", cancellationToken);
        }

        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    VARCHAR(20) PRIMARY KEY,
                name       VARCHAR(200) NOT NULL,
                checksum   VARCHAR(64) NOT NULL,
                applied_at VARCHAR(40) NOT NULL
            )
            """, cancellationToken);

        var done = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version, checksum FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                done[reader.GetString(0)] = reader.GetString(1);
            }
        }

        foreach (var script in Scripts(provider))
        {
            if (done.TryGetValue(script.Version, out var checksum))
            {
                if (checksum != script.Checksum)
                {
                    throw new InvalidOperationException(
                        $"Migration {script.Version}_{script.Name} was changed after it was applied (checksum {checksum} in the database, {script.Checksum} in the build). Migrations are append-only: add a new one instead.");
                }

                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@v, @n, @c, @a)";
                AddParameter(insert, "@v", script.Version);
                AddParameter(insert, "@n", script.Name);
                AddParameter(insert, "@c", script.Checksum);
                AddParameter(insert, "@a", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Applied migration {Version}_{Name}", script.Version, script.Name);
            applied.Add(script.Version);
        }

        if (provider == DatabaseProvider.Postgres)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", cancellationToken);
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
