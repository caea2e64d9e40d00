using System.ComponentModel.DataAnnotations;

namespace Steward.Platform.Database;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database Steward runs on. Bound from the <c>Database</c> section.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending schema migrations at start-up (default on).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// The connection string; when empty, <c>ConnectionStrings:Steward</c> is used, and for SQLite
    /// the default is <c>data/steward.db</c> under the content root.
    /// </summary>
    [MaxLength(2000)]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// How long one database command may run, in seconds (default 60). On SQLite it is also how long a write waits for the
    /// single writer's lock; past it the request fails as briefly unavailable (503, <see cref="TransientDatabaseFailure"/>).
    /// </summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 60;
}
