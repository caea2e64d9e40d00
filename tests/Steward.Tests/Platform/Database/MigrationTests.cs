using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Database;

public sealed class MigrationTests
{
    [Theory, BothDatabases]
    public async Task MigrateAsync_OnMigratedDatabase_AppliesNothingAndRecordsEveryScript(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var scripts = MigrationRunner.Scripts(provider);
        Assert.NotEmpty(scripts);

        await using var scope = app.Services.CreateAsyncScope();
        var applied = await scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync();

        Assert.Empty(applied);
        var recorded = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT version AS \"Value\" FROM schema_migrations ORDER BY version").ToListAsync());
        Assert.Equal(scripts.Select(s => s.Version), recorded);
    }

    [Theory, BothDatabases]
    public async Task MigrateAsync_WhenAnAppliedScriptChanged_RefusesToStart(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = '0001'"));

        await using var scope = app.Services.CreateAsyncScope();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<MigrationRunner>().MigrateAsync());
        Assert.Contains("0001", error.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The hand-written SQL migrations and the EF model must describe the same tables, columns,
    /// nullability and unique indexes; otherwise queries fail at run time on one provider only.
    /// </summary>
    [Theory, BothDatabases]
    public async Task MigratedSchema_MatchesTheDataModel(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        await app.WithDbAsync(async db =>
        {
            var actual = await ReadSchemaAsync(db, provider);
            var problems = new List<string>();
            foreach (var table in db.Model.GetRelationalModel().Tables)
            {
                if (!actual.TryGetValue(table.Name, out var columns))
                {
                    problems.Add($"table {table.Name} is in the model but not in the database");
                    continue;
                }

                foreach (var column in table.Columns)
                {
                    if (!columns.TryGetValue(column.Name, out var info))
                    {
                        problems.Add($"{table.Name}.{column.Name} is in the model but not in the database");
                        continue;
                    }

                    if (info.Nullable != column.IsNullable)
                    {
                        problems.Add($"{table.Name}.{column.Name}: model nullable={column.IsNullable}, database nullable={info.Nullable}");
                    }

                    if (provider == DatabaseProvider.Postgres && !SameType(column.StoreType, info.Type))
                    {
                        problems.Add($"{table.Name}.{column.Name}: model type {column.StoreType}, database type {info.Type}");
                    }
                }

                foreach (var extra in columns.Keys.Except(table.Columns.Select(c => c.Name)))
                {
                    problems.Add($"{table.Name}.{extra} is in the database but not in the model");
                }

                var uniqueInDb = await UniqueIndexesAsync(db, provider, table.Name);
                foreach (var index in table.Indexes.Where(i => i.IsUnique))
                {
                    var key = string.Join(",", index.Columns.Select(c => c.Name));
                    if (!uniqueInDb.Contains(key))
                    {
                        problems.Add($"unique index on {table.Name}({key}) is in the model but not in the database");
                    }
                }
            }

            var modelTables = db.Model.GetRelationalModel().Tables.Select(t => t.Name).ToHashSet();
            foreach (var table in actual.Keys.Where(t => !modelTables.Contains(t) && t != "schema_migrations" && !t.StartsWith("sqlite_", StringComparison.Ordinal) && !FullTextSearchTables.Contains(t)))
            {
                problems.Add($"table {table} is in the database but not in the model");
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        });
    }

    /// <summary>
    /// Full-text search tables are written with SQL, not EF (Features/Cases/CaseSearch.cs): on SQLite the
    /// FTS5 virtual table case_search and its shadow tables, on PostgreSQL case_search with a tsvector.
    /// </summary>
    private static readonly HashSet<string> FullTextSearchTables =
        ["case_search", "case_search_data", "case_search_idx", "case_search_content", "case_search_docsize", "case_search_config"];

    private static bool SameType(string modelType, string databaseType)
    {
        static string Normalize(string t) => t.ToLowerInvariant() switch
        {
            var s when s.StartsWith("character varying", StringComparison.Ordinal) || s.StartsWith("varchar", StringComparison.Ordinal) => "varchar",
            var s when s.StartsWith("numeric", StringComparison.Ordinal) => "numeric",
            "timestamptz" or "timestamp with time zone" => "timestamptz",
            "int" or "int4" or "integer" => "integer",
            "int8" or "bigint" => "bigint",
            "bool" or "boolean" => "boolean",
            "int2" or "smallint" => "smallint",
            var s => s,
        };
        return Normalize(modelType) == Normalize(databaseType);
    }

    private sealed record ColumnInfo(string Type, bool Nullable);

    private static async Task<Dictionary<string, Dictionary<string, ColumnInfo>>> ReadSchemaAsync(DbContext db, DatabaseProvider provider)
    {
        var result = new Dictionary<string, Dictionary<string, ColumnInfo>>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            if (provider == DatabaseProvider.Postgres)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'";
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    Add(result, reader.GetString(0), reader.GetString(1), new ColumnInfo(reader.GetString(2), reader.GetString(3) == "YES"));
                }
            }
            else
            {
                var tables = new List<string>();
                await using (var command = connection.CreateCommand())
                {
                    command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        tables.Add(reader.GetString(0));
                    }
                }

                foreach (var table in tables)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')";
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        // An INTEGER PRIMARY KEY is never null even without NOT NULL.
                        var notNull = reader.GetInt64(2) == 1 || reader.GetInt64(3) == 1;
                        Add(result, table, reader.GetString(0), new ColumnInfo(reader.GetString(1), !notNull));
                    }
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return result;
    }

    private static async Task<HashSet<string>> UniqueIndexesAsync(DbContext db, DatabaseProvider provider, string table)
    {
        var sql = provider == DatabaseProvider.Postgres
            ? $"""
               SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS "Value"
               FROM pg_index i
               JOIN pg_class c ON c.oid = i.indrelid
               CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
               WHERE c.relname = '{table}' AND i.indisunique AND NOT i.indisprimary
               GROUP BY i.indexrelid
               """
            : $"""
               SELECT group_concat(ii.name, ',') AS "Value"
               FROM pragma_index_list('{table}') il, pragma_index_info(il.name) ii
               WHERE il."unique" = 1 AND il.origin = 'c'
               GROUP BY il.name
               """;
        return (await db.Database.SqlQueryRaw<string>(sql).ToListAsync()).ToHashSet();
    }

    private static void Add(Dictionary<string, Dictionary<string, ColumnInfo>> result, string table, string column, ColumnInfo info)
    {
        if (!result.TryGetValue(table, out var columns))
        {
            result[table] = columns = [];
        }

        columns[column] = info;
    }
}
