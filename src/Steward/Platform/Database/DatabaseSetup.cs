using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Database;

public static class DatabaseSetup
{
    public static IServiceCollection AddStewardDatabase(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(options, configuration, environment);

        services.AddDbContext<StewardDbContext>(builder =>
        {
            if (options.Provider == DatabaseProvider.Postgres)
            {
                builder.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(60));
            }
            else
            {
                builder.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(60));
            }

            builder.AddInterceptors(DeferredAuditGuard.Instance);
        });
        services.AddScoped<MigrationRunner>();
        services.AddHealthChecks().AddDbContextCheck<StewardDbContext>("database", tags: ["ready"]);

        services.AddDataProtection().SetApplicationName("Steward");
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);
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
