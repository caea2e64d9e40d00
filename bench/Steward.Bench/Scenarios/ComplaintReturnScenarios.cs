using System.Diagnostics;
using System.Globalization;

namespace Steward.Bench.Scenarios;

/// <summary>
/// The PRC and FCA complaint returns (issue 13) over a half-year: every bulk-loaded case (<c>--cases</c>) gets a complaint by one
/// <c>INSERT … SELECT</c>, received over the 182 days before the load's anchor, London's under the FCA regime and the rest under the
/// PRC one, 80 % decided within 0–69 days, a fifth of the upheld ones with an approved compensation; then each return is asked for
/// the half-year as <c>compliance</c> (all branches), one request at a time. Target: ≤ 2 s each on PostgreSQL (stated for 1 M complaints).
/// </summary>
public sealed class ComplaintReturnsScenario : Scenario
{
    public override string Name => "complaint-returns";

    public override string Description =>
        "`GET /api/v1/complaints/returns/{prc|fca}?from=&to=` over a half-year as `compliance`, one request at a time (quick: 2 runs each, full: 5), after one "
        + "`INSERT … SELECT` gave every `--cases` bulk-loaded case a complaint received in that half-year (London: FCA regime and product groups; others: PRC), "
        + "80 % decided, a fifth of the upheld ones with an approved compensation. Target: ≤ 2 s per return (issue 13, stated for 1 M complaints).";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/complaints/returns/{regime}"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var load = await context.CasesAsync(cancellationToken);
        var anchor = load.Universe.Anchor;
        var watch = Stopwatch.StartNew();
        var inserted = await SeedAsync(context, anchor, cancellationToken);
        watch.Stop();
        result.Figures.Add(("complaints inserted (INSERT … SELECT, then ANALYZE)", inserted.ToString("N0", CultureInfo.InvariantCulture)));
        result.Figures.Add(("insert time", watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"));
        await using (var count = context.Postgres!.CreateCommand("SELECT count(*) FROM complaints"))
        {
            result.Figures.Add(("complaints in the database", ((long)(await count.ExecuteScalarAsync(cancellationToken))!).ToString("N0", CultureInfo.InvariantCulture)));
        }

        var token = await context.TokenAsync("compliance", cancellationToken);
        var from = anchor.AddDays(-182).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = anchor.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var runs = context.Options.Quick ? 2 : 5;
        foreach (var regime in new[] { "prc", "fca" })
        {
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                using var request = BenchContext.Get($"api/v1/complaints/returns/{regime}?from={from}&to={to}", token);
                var one = Stopwatch.StartNew();
                using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                one.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    result.Fail($"{regime} return answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                    return;
                }

                times.Add(one.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            var median = times[times.Count / 2];
            result.Figures.Add(($"{regime} return, {runs} runs: median / max", $"{Targets.Ms(median)} / {Targets.Ms(times[^1])}"));
            Targets.Duration(result, $"{regime} return over a half-year (median of {runs})", median, 2000);
        }

        result.Notes.Add("Issue 13 states the goal for 1 M complaints over a half-year: run with `--cases 1000000` for that size.");
    }

    /// <summary>A complaint for every loaded case without one; returns how many were inserted (the dashboard scenario loads the same).</summary>
    internal static async Task<long> SeedAsync(BenchContext context, DateTimeOffset anchor, CancellationToken ct)
    {
        const string Insert = """
            INSERT INTO complaints (case_id, branch_id, customer_id, complainant_kind, what_happened, what_they_want, currency, channel, received_at, regime, regulatory_due_at, taxonomy_id,
                nature, jrt_channel, jrt_business, jrt_cause, fca_product_group, root_cause, outcome, outcome_at, version, created_at, updated_at)
            SELECT c.id, c.branch_id, c.customer_id, 'Customer', 'bench', 'bench', CASE WHEN r.fca THEN 'GBP' ELSE 'CNY' END, c.channel, r.received,
                CASE WHEN r.fca THEN 'UK-FCA-DISP' ELSE 'CN-CBIRC-2020-3' END, r.received + interval '56 days', t.id, 'SERVICE',
                (ARRAY['A01','A031','A032','A033'])[1 + c.id % 4], (ARRAY['B01','B02','B03','B04','B99'])[1 + c.id % 5],
                (ARRAY['C01','C03','C05','C08','C11'])[1 + (c.id / 5) % 5],
                CASE WHEN r.fca THEN (ARRAY['BANKING','HOME','INSURANCE','INVESTMENTS'])[1 + (c.id / 3) % 4] END,
                CASE WHEN r.decided THEN 'bench' END,
                CASE WHEN r.decided THEN (ARRAY['Upheld','PartlyUpheld','NotUpheld','Withdrawn'])[1 + (c.id / 7) % 4] END,
                CASE WHEN r.decided THEN r.decided_at END, 1, now(), now()
            FROM cases c
            JOIN branches b ON b.id = c.branch_id
            CROSS JOIN LATERAL (SELECT b.code = 'LN01' AS fca, $1 - ((c.id * 104729) % (182 * 86400)) * interval '1 second' AS received) r0
            CROSS JOIN LATERAL (SELECT r0.fca, r0.received, r0.received + ((c.id * 7919) % 70) * interval '1 day' AS decided_at,
                c.id % 10 < 8 AND r0.received + ((c.id * 7919) % 70) * interval '1 day' < $1 AS decided) r
            CROSS JOIN (SELECT id FROM complaint_taxonomies ORDER BY number DESC LIMIT 1) t
            WHERE NOT EXISTS (SELECT 1 FROM complaints x WHERE x.case_id = c.id)
            """;
        const string Remedies = """
            INSERT INTO complaint_remedies (complaint_id, kind, amount, currency, status, approver_level, proposed_at, approved_at, version)
            SELECT x.id, 'Compensation', 100 + x.id % 900, x.currency, 'Approved', 'Handler', x.outcome_at, x.outcome_at, 1
            FROM complaints x
            WHERE x.what_happened = 'bench' AND x.outcome IN ('Upheld', 'PartlyUpheld') AND x.id % 5 = 0
              AND NOT EXISTS (SELECT 1 FROM complaint_remedies m WHERE m.complaint_id = x.id)
            """;
        await using var insert = context.Postgres!.CreateCommand(Insert);
        insert.CommandTimeout = 3600;
        insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = anchor.UtcDateTime, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        var inserted = await insert.ExecuteNonQueryAsync(ct);
        await using var remedies = context.Postgres.CreateCommand(Remedies);
        remedies.CommandTimeout = 3600;
        await remedies.ExecuteNonQueryAsync(ct);
        await using var analyze = context.Postgres.CreateCommand("ANALYZE complaints; ANALYZE complaint_remedies");
        analyze.CommandTimeout = 3600;
        await analyze.ExecuteNonQueryAsync(ct);
        return inserted;
    }
}
