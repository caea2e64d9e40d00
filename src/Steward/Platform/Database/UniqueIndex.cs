using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Steward.Platform.Database;

/// <summary>
/// A unique index as the migrations create it, to recognise a save refused by exactly this index on either database:
/// PostgreSQL names the index (SQLSTATE 23505, <c>constraint_name</c>); SQLite names only the columns
/// (<c>UNIQUE constraint failed: table.a, table.b</c>, extended code 2067).
/// </summary>
public sealed class UniqueIndex(string table, string name, params string[] columns)
{
    private const int SqliteConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private readonly string sqliteMessage = $"UNIQUE constraint failed: {string.Join(", ", columns.Select(c => table + "." + c))}'";

    public string Name => name;

    /// <summary>True when <paramref name="error"/> is a duplicate key of this index (and of no other).</summary>
    public bool IsViolatedBy(DbUpdateException error) => error.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName == name,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == SqliteConstraintUnique && sqlite.Message.Contains(sqliteMessage, StringComparison.Ordinal),
        _ => false,
    };
}
