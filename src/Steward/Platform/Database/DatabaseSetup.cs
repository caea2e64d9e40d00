using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Steward.Platform.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Database;

public static class DatabaseSetup
{
    /// <summary>
    /// Queries that include several collections (a case's SLA clocks with their pauses and changes) load a
    /// handful of rows, so one round trip beats several; a query over many parents says <c>AsSplitQuery()</c> itself
    /// (the staff list, the standards with their versions and rules).
    /// </summary>
    private const QuerySplittingBehavior DefaultSplitting = QuerySplittingBehavior.SingleQuery;

    public static IServiceCollection AddStewardDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(options, configuration, environment);

        services.AddDbContext<StewardDbContext>(builder =>
        {
            if (options.Provider == DatabaseProvider.Postgres)
            {
                builder.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(options.CommandTimeoutSeconds).UseQuerySplittingBehavior(DefaultSplitting));
            }
            else
            {
                builder.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(options.CommandTimeoutSeconds).UseQuerySplittingBehavior(DefaultSplitting));
                builder.AddInterceptors(SqliteBusyWait.Instance);
            }

            builder.AddInterceptors(DeferredAuditGuard.Instance, ControlCharacterGuard.Instance);
        });
        services.AddScoped<MigrationRunner>();
        services.AddHealthChecks().AddDbContextCheck<StewardDbContext>("database", tags: ["ready"]);

        services.AddDataProtection().SetApplicationName("Steward");
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseXmlRepository, PersonalDataProtector>((o, repository, protector) =>
            {
                o.XmlRepository = repository;
                o.XmlEncryptor = new KeyRingEncryptor(protector);
            });
        return services;
    }

    /// <summary>Resolves the connection string; for SQLite makes sure the file's folder exists.</summary>
    public static string ResolveConnectionString(DatabaseOptions options, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = options.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = configuration.GetConnectionString("Steward");
        }

        if (options.Provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    ["Database:Provider is Postgres but no connection string is set (ConnectionStrings:Steward)."]);
            }

            // Npgsql sends DISCARD ALL whenever a pooled connection is returned (three round trips' worth per request
            // in the benchmarks). Steward leaves no session state behind (no session SET, temporary tables or
            // prepared statements; the migration runner releases its advisory lock itself), so skip it unless the
            // connection string says otherwise (docs/benchmarks.md).
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            return given.ContainsKey("No Reset On Close") || given.ContainsKey("NoResetOnClose")
                ? connectionString
                : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = "Data Source=" + Path.Combine(environment.ContentRootPath, "data", "steward.db");
        }

        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            var full = Path.GetFullPath(builder.DataSource, environment.ContentRootPath);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }

        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    /// <summary>Applies migrations (when configured) before the app takes requests.</summary>
    public static async Task MigrateStewardDatabaseAsync(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        try
        {
            // The provider's own connection, opened outside EF, so that a missing database is one clear line.
            var connection = db.Database.GetDbConnection();
            await connection.OpenAsync();
            await connection.CloseAsync();
        }
        catch (System.Data.Common.DbException e)
        {
            throw DatabaseUnavailableException.For(db, e);
        }

        if (!db.IsPostgres)
        {
            // WAL lets readers run beside the single writer; the setting is stored in the file.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }

        if (options.MigrateOnStartup)
        {
            await scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync();
        }
    }
}

/// <summary>The database cannot be opened at start-up (missing database or role, wrong password, server down, unwritable file).</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner)
{
    public static DatabaseUnavailableException For(StewardDbContext db, System.Data.Common.DbException e)
    {
        var connection = db.Database.GetDbConnection();
        if (db.IsPostgres)
        {
            var where = $"database \"{connection.Database}\" on {connection.DataSource}";
            var hint = e is Npgsql.PostgresException { SqlState: "3D000" or "28000" or "28P01" }
                ? " Create the database and its role first (README, \"PostgreSQL\"), or fix ConnectionStrings__Steward."
                : " Check that PostgreSQL is running and ConnectionStrings__Steward points at it.";
            return new DatabaseUnavailableException($"the PostgreSQL {where} cannot be opened: {e.Message}.{hint}", e);
        }

        return new DatabaseUnavailableException($"the SQLite database {connection.DataSource} cannot be opened: {e.Message}. Check that its folder exists and is writable.", e);
    }
}
