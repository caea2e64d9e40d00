using System.Globalization;
using System.Text;
using Npgsql;

namespace Steward.Bench.Measurement;

/// <summary>
/// Which SQL statements took the database's time during a step, from <c>pg_stat_statements</c> (loaded
/// in the throwaway cluster; with <c>--pg</c> only when the server preloads it). Execution time includes
/// lock waits (e.g. on the audit chain head) and, for COMMIT, the WAL flush.
/// </summary>
public sealed class PgStatements(NpgsqlDataSource dataSource)
{
    public sealed record Statement(string Query, long Calls, double TotalMs, double MeanMs, long Rows);

    public bool Available { get; private set; }

    public static async Task<PgStatements> EnableAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var stats = new PgStatements(dataSource);
        try
        {
            await using var create = dataSource.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            await create.ExecuteNonQueryAsync(ct);
            await using var probe = dataSource.CreateCommand("SELECT count(*) FROM pg_stat_statements");
            await probe.ExecuteScalarAsync(ct);
            stats.Available = true;
        }
        catch (PostgresException)
        {
        }

        return stats;
    }

    public async Task ResetAsync(CancellationToken ct)
    {
        if (Available)
        {
            await using var reset = dataSource.CreateCommand("SELECT pg_stat_statements_reset()");
            await reset.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Statements of the current database since the last reset, by total time (the bench's own statistics queries excluded).</summary>
    public async Task<IReadOnlyList<Statement>> ReadAsync(CancellationToken ct)
    {
        var list = new List<Statement>();
        if (!Available)
        {
            return list;
        }

        await using var read = dataSource.CreateCommand(
            """
            SELECT query, calls, total_exec_time, mean_exec_time, rows FROM pg_stat_statements
            WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
            ORDER BY total_exec_time DESC
            """);
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new Statement(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }

        return list;
    }

    /// <summary>A Markdown table: per operation, the statements' calls and database time, the top <paramref name="top"/> statements.</summary>
    public static string Render(string title, IReadOnlyList<Statement> statements, long operations, double meanLatencyMs, int top = 8)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        var totalMs = statements.Sum(s => s.TotalMs);
        var calls = statements.Sum(s => s.Calls);
        var perOp = operations == 0 ? 0 : totalMs / operations;
        md.Append(c, $"{title}: {calls / (double)Math.Max(1, operations):0.0} statements and {perOp:0.00} ms of PostgreSQL execution per operation ")
          .Append(c, $"(mean latency {meanLatencyMs:0.00} ms; the rest is Steward, the network round trips and waiting for a connection or the CPU).\n\n");
        md.Append("| statement | calls | calls/op | total ms | mean ms | share |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var s in statements.Take(top))
        {
            var query = System.Text.RegularExpressions.Regex.Replace(s.Query, @"\s+", " ").Trim();
            if (query.Length > 140)
            {
                query = query[..140] + "…";
            }

            md.Append(c, $"| `{query.Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}` | {s.Calls} | {s.Calls / (double)Math.Max(1, operations):0.00} | {s.TotalMs:0} | {s.MeanMs:0.000} | {(totalMs <= 0 ? 0 : s.TotalMs / totalMs):P0} |\n");
        }

        if (statements.Count > 0)
        {
            md.Append("\nThe first in full:\n\n```sql\n").Append(statements[0].Query.Trim()).Append("\n```\n");
        }

        return md.ToString();
    }
}
