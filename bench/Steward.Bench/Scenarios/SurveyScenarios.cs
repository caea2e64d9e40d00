using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Steward.Bench.Scenarios;

/// <summary>
/// Submitting survey answers through the public link (issue 15): <c>POST /api/v1/public/surveys/{token}/response</c>, no sign-in.
/// Every operation answers a fresh invitation: set-up writes them straight into the database by one <c>INSERT … SELECT</c> over
/// <c>generate_series</c> (the token's SHA-256 is what Steward stores, the bench keeps the token), about the bulk-loaded cases
/// (their customer, branch, team, assignee, channel, kind and product), of the demo's case-service survey. The answers are a
/// realistic mix: one in ten poor (CSAT 2, NPS 3: a follow-up case for the team lead, in the same transaction), four in ten
/// promoters (NPS 9–10: a thank-you in the outbox), every fifth with a Chinese comment. Target: p95 ≤ 50 ms at 16 workers.
/// </summary>
public sealed class SurveySubmitScenario : Scenario
{
    public override string Name => "survey-submit";

    public override string Description =>
        "`POST /api/v1/public/surveys/{token}/response` (anonymous) with CSAT, NPS, effort, a choice and every fifth a Chinese comment; each operation answers its own "
        + "fresh invitation (written by SQL before the run about the `--cases` bulk-loaded cases); one in ten is poor and opens a follow-up case, four in ten are "
        + "promoters and get a thank-you through the outbox. Quick: 16 workers only; full: every `--concurrency` step. Target: p95 ≤ 50 ms at 16 workers (issue 15).";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/public/surveys/{token}/response"];

    public override bool RequiresPostgres => true;

    private static readonly string[] Comments =
    [
        "柜员很耐心，讲解得非常清楚，谢谢。",
        "等待时间有点长，希望能多开几个窗口。",
        "手机银行转账限额的问题终于解决了。",
        "The staff were helpful and quick.",
        "电话一直打不通，体验不好。",
    ];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        await context.CasesAsync(cancellationToken);
        var db = context.Postgres!;
        IReadOnlyList<int> concurrency = context.Options.Quick ? [Targets.SurveySubmitWorkers] : context.Options.Concurrency;
        // Enough links for the fastest plausible rate over every step (warm-up included), with room to spare.
        var perStep = context.Options.Quick ? 4_000 : (int)Math.Min(200_000, 600 * (context.Options.Duration + context.Options.Warmup).TotalSeconds + 2_000);
        var count = perStep * concurrency.Count;
        var prefix = "bench-" + Guid.NewGuid().ToString("N")[..12] + "-";
        var watch = Stopwatch.StartNew();
        var inserted = await SeedInvitationsAsync(db, prefix, count, cancellationToken);
        result.Figures.Add(("fresh invitations written (INSERT … SELECT)", string.Create(CultureInfo.InvariantCulture, $"{inserted:N0} in {watch.Elapsed.TotalSeconds:0.0} s")));
        if (inserted < count)
        {
            result.Fail($"only {inserted} of {count} invitations written (no bulk-loaded cases, or no case-service survey)");
            return;
        }

        long next = 0;
        var exhausted = false;
        var steps = await context.RunStepsAsync(result, "steward", async (_, _, ct) =>
        {
            var n = Interlocked.Increment(ref next);
            if (n > count)
            {
                exhausted = true;
                return new Measurement.OpOutcome(false, "no-link", "ran out of fresh invitations");
            }

            var poor = n % 10 == 0;
            var promoter = n % 10 is >= 1 and <= 4;
            var answers = new Dictionary<string, object>
            {
                ["csat"] = poor ? 2 : 4 + (int)(n % 2),
                ["nps"] = poor ? 3 : promoter ? 9 + (int)(n % 2) : 7 + (int)(n % 2),
                ["effort"] = poor ? 6 : 2,
                ["good"] = poor ? Array.Empty<string>() : new[] { "speed", "attitude" },
            };
            if (n % 5 == 0)
            {
                answers["comment"] = Comments[(int)(n / 5 % Comments.Length)];
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/public/surveys/{prefix}{n.ToString(CultureInfo.InvariantCulture)}/response")
            {
                Content = JsonContent.Create(new { answers, language = "zh-CN" }),
            };
            using var response = await context.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            if (response.IsSuccessStatusCode)
            {
                return Measurement.OpOutcome.FromStatus((int)response.StatusCode, true);
            }

            var body = await response.Content.ReadAsStringAsync(ct);
            return Measurement.OpOutcome.FromStatus((int)response.StatusCode, false, body.Length > 300 ? body[..300] + "…" : body);
        }, cancellationToken, concurrency: concurrency);
        if (exhausted)
        {
            result.Notes.Add("The run used up its fresh invitations: raise the count in SurveySubmitScenario.");
        }

        Targets.P95(result, steps.Where(s => s.Concurrency == Targets.SurveySubmitWorkers), Targets.SurveySubmitP95Ms);
        await using (var stats = db.CreateCommand(
            "SELECT count(*), count(*) FILTER (WHERE r.follow_up_case_id IS NOT NULL), count(*) FILTER (WHERE r.thanked_at IS NOT NULL) FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id WHERE i.recipient_key LIKE $1"))
        {
            stats.Parameters.Add(new NpgsqlParameter { Value = "bench-submit:%" });
            await using var reader = await stats.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            result.Figures.Add(("responses stored / follow-up cases opened / promoters thanked", string.Create(CultureInfo.InvariantCulture,
                $"{reader.GetInt64(0):N0} / {reader.GetInt64(1):N0} / {reader.GetInt64(2):N0}")));
        }

        if (!steps.Any(s => s.Concurrency == Targets.SurveySubmitWorkers))
        {
            result.Notes.Add("No step ran at 16 workers (--concurrency): the target was not measured.");
        }
    }

    /// <summary>Invitations <paramref name="prefix"/>1 … <paramref name="prefix"/><paramref name="count"/>, sent an hour ago, open for a week, about the bulk-loaded cases in turn.</summary>
    private static async Task<long> SeedInvitationsAsync(NpgsqlDataSource db, string prefix, int count, CancellationToken ct)
    {
        const string Insert = """
            WITH d AS (SELECT id FROM survey_definitions WHERE code = 'case-service' ORDER BY number DESC LIMIT 1),
            cs AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, customer_id, assignee_id, branch_id, team_id, channel, kind, product_id
                   FROM cases WHERE customer_id IS NOT NULL ORDER BY id LIMIT 50000),
            n AS (SELECT count(*) AS c FROM cs)
            INSERT INTO survey_invitations (definition_id, event_kind, event_id, customer_id, recipient_key, status, delivery_channel, token_hash, created_at, send_at,
                expires_at, staff_id, branch_id, team_id, channel, kind, product_id)
            SELECT d.id, 'Case', cs.id, cs.customer_id, 'bench-submit:' || g, 'Sent', 'Email', encode(sha256(convert_to($1 || g, 'UTF8')), 'hex'),
                now() - interval '1 hour', now() - interval '1 hour', now() + interval '7 days', cs.assignee_id, cs.branch_id, cs.team_id, cs.channel, cs.kind, cs.product_id
            FROM generate_series(1, $2) g CROSS JOIN d CROSS JOIN n JOIN cs ON cs.k = g % n.c
            """;
        await using var insert = db.CreateCommand(Insert);
        insert.CommandTimeout = 3600;
        insert.Parameters.Add(new NpgsqlParameter { Value = prefix });
        insert.Parameters.Add(new NpgsqlParameter { Value = count });
        var inserted = await insert.ExecuteNonQueryAsync(ct);
        await using var analyze = db.CreateCommand("ANALYZE survey_invitations");
        await analyze.ExecuteNonQueryAsync(ct);
        return inserted;
    }
}

/// <summary>
/// The surveys page a branch manager opens (<c>GET /Surveys</c> as <c>sh.manager</c>, signed in with a cookie like a browser):
/// the analysis of their branch over the default period (the last 90 days: one branch-quarter), the monthly trend, the comment
/// keywords, the latest responses and the open follow-ups, over 2,000,000 responses (quick: 20,000) written by SQL:
/// 2.5 M invitations (quick 25,000), four in five answered, about the bulk-loaded cases in turn (so SH01, the busiest branch,
/// has 30 % of them), submitted evenly over the 730 days before the load, every fifth with a Chinese or English comment.
/// The API's analysis for the same branch-quarter (<c>GET /api/v1/surveys/analysis?branchId=</c>) is measured beside it.
/// Target: p95 ≤ 300 ms for the page (issue 15).
/// </summary>
public sealed class SurveyAnalysisScenario : Scenario
{
    public override string Name => "survey-analysis";

    public override string Description =>
        "`GET /Surveys` as `sh.manager` (cookie sign-in; the page's default period is the last 90 days of their branch: analysis by branch, monthly trend, comment "
        + "keywords, latest responses, open follow-ups) and `GET /api/v1/surveys/analysis?branchId=<SH01>&from=&to=` over the same quarter, one request at a time, "
        + "after SQL wrote 2,000,000 responses (quick: 20,000) to 2,500,000 invitations over two years about the bulk-loaded cases (SH01 30 %). Target: p95 ≤ 300 ms "
        + "for the page (issue 15).";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/surveys/analysis"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        await context.CasesAsync(cancellationToken);
        var db = context.Postgres!;
        var responses = context.Options.Quick ? 20_000 : 2_000_000;
        var watch = Stopwatch.StartNew();
        var (invitations, written) = await SeedResponsesAsync(db, responses, cancellationToken);
        result.Figures.Add(("invitations / responses written (INSERT … SELECT, then VACUUM ANALYZE)", invitations == 0
            ? "none: the kept database (--database) already holds them"
            : string.Create(CultureInfo.InvariantCulture, $"{invitations:N0} / {written:N0} in {watch.Elapsed.TotalSeconds:0.0} s")));
        long branchId;
        await using (var quarter = db.CreateCommand(
            "SELECT b.id, count(r.id) FROM branches b LEFT JOIN survey_responses r ON r.branch_id = b.id AND r.submitted_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '90 days' WHERE b.code = 'SH01' GROUP BY b.id"))
        {
            await using var reader = await quarter.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            branchId = reader.GetInt64(0);
            result.Figures.Add(("SH01's responses in the quarter measured", reader.GetInt64(1).ToString("N0", CultureInfo.InvariantCulture)));
        }

        await using (var total = db.CreateCommand("SELECT count(*) FROM survey_responses"))
        {
            result.Figures.Add(("responses in the table", ((long)(await total.ExecuteScalarAsync(cancellationToken))!).ToString("N0", CultureInfo.InvariantCulture)));
        }

        var cookie = await SignInAsync(context, "sh.manager", cancellationToken);
        IReadOnlyList<int> one = [1];
        using var pages = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = context.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var page = await context.RunStepsAsync(result, "page", async (_, _, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "Surveys");
            request.Headers.Add("Cookie", cookie);
            using var response = await pages.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var html = await response.Content.ReadAsStringAsync(ct);
            // A sign-in redirect or an error page is a failure, not a fast figure.
            return response.StatusCode == HttpStatusCode.OK && html.Contains("data-testid=\"survey-analysis\"", StringComparison.Ordinal)
                ? Measurement.OpOutcome.FromStatus(200, true)
                : Measurement.OpOutcome.FromStatus((int)response.StatusCode, false, html.Length > 300 ? html[..300] : html);
        }, cancellationToken, concurrency: one);
        Targets.P95(result, page, Targets.SurveyAnalysisP95Ms);

        var token = await context.TokenAsync("sh.manager", cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var url = string.Create(CultureInfo.InvariantCulture, $"api/v1/surveys/analysis?branchId={branchId}&from={today.AddDays(-90):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
        var api = await context.RunStepsAsync(result, "api", context.HttpOperation((_, _) => BenchContext.Get(url, token)), cancellationToken, concurrency: one);
        Targets.P95(result, api, Targets.SurveyAnalysisP95Ms);
        // The page's parts, for what dominates it: the monthly trend and the comment keywords of the same quarter (no target of their own).
        await context.RunStepsAsync(result, "api-by-month", context.HttpOperation((_, _) => BenchContext.Get(url + "&by=Month", token)), cancellationToken, concurrency: one);
        await context.RunStepsAsync(result, "api-keywords", context.HttpOperation((_, _) => BenchContext.Get(url.Replace("analysis?", "analysis/keywords?", StringComparison.Ordinal), token)), cancellationToken, concurrency: one);
        result.Notes.Add("The page is what a manager opens (issue 15: \"the analysis page\"); the API lines are its parts for the same branch-quarter: the analysis by branch (target too), by month (the trend) and the comment keywords.");
    }

    /// <summary>
    /// 1.25 × <paramref name="responses"/> invitations and <paramref name="responses"/> responses (every invitation whose number is not a multiple of 5),
    /// with explicit ids so that each invitation names its response; returns how many of each were written.
    /// </summary>
    private static async Task<(long Invitations, long Responses)> SeedResponsesAsync(NpgsqlDataSource db, int responses, CancellationToken ct)
    {
        var invitations = responses / 4 * 5;
        await using (var have = db.CreateCommand("SELECT count(*) FROM survey_invitations WHERE recipient_key LIKE 'bench-analysis:%'"))
        {
            // A kept database (--database) that a run already filled is used as it is.
            if ((long)(await have.ExecuteScalarAsync(ct))! >= invitations)
            {
                return (0, 0);
            }
        }

        var script = """
            CREATE TEMP TABLE bench_survey_seed ON COMMIT DROP AS
            WITH d AS (SELECT id FROM survey_definitions WHERE code = 'case-service' ORDER BY number DESC LIMIT 1),
            cs AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, customer_id, assignee_id, branch_id, team_id, channel, kind, product_id
                   FROM cases ORDER BY id LIMIT 200000),
            n AS (SELECT count(*) AS c FROM cs)
            SELECT g, d.id AS definition_id, cs.*, now() - (g::double precision / $1) * interval '730 days' AS at,
                (SELECT coalesce(max(id), 0) FROM survey_invitations) + g AS invitation_id,
                CASE WHEN g % 5 <> 0 THEN (SELECT coalesce(max(id), 0) FROM survey_responses) + g END AS response_id
            FROM generate_series(1, $1) g CROSS JOIN d CROSS JOIN n JOIN cs ON cs.k = (g::bigint * 7919) % n.c;

            INSERT INTO survey_invitations (id, definition_id, event_kind, event_id, customer_id, recipient_key, status, delivery_channel, token_hash, created_at, send_at,
                expires_at, response_id, staff_id, branch_id, team_id, channel, kind, product_id)
            SELECT invitation_id, definition_id, 'Case', id, customer_id, 'bench-analysis:' || g, CASE WHEN response_id IS NULL THEN 'Sent' ELSE 'Answered' END, 'Email', NULL,
                at - interval '1 hour', at - interval '1 hour', at + interval '7 days', response_id, assignee_id, branch_id, team_id, channel, kind, product_id
            FROM bench_survey_seed;

            INSERT INTO survey_responses (id, invitation_id, definition_id, submitted_at, language, answers_json, csat, nps, effort, is_poor, event_kind, event_id, customer_id,
                staff_id, branch_id, team_id, channel, kind, product_id, complaint_suspected)
            SELECT response_id, invitation_id, definition_id, at, 'zh-CN',
                '{"csat":["' || s.csat || '"],"nps":["' || s.nps || '"],"effort":["' || s.effort || '"]'
                    || CASE WHEN g % 25 = 1 THEN ',"comment":["' || (ARRAY['柜员很耐心，讲解得非常清楚，谢谢。', '等待时间有点长，希望能多开几个窗口。', '手机银行转账限额的问题终于解决了。',
                        'The staff were helpful and quick.', '电话一直打不通，体验不好。', '理财经理推荐的产品风险讲得不清楚。'])[1 + (g / 25) % 6] || '"]' ELSE '' END || '}',
                s.csat, s.nps, s.effort, s.csat <= 2 OR s.nps <= 6 OR s.effort >= 6, 'Case', id, customer_id, assignee_id, branch_id, team_id, channel, kind, product_id, false
            FROM bench_survey_seed
            CROSS JOIN LATERAL (SELECT (ARRAY[5,5,4,4,4,3,5,2,4,1])[1 + (g * 31) % 10] AS csat, (ARRAY[10,9,9,8,7,10,6,3,9,8,5])[1 + (g * 17) % 11] AS nps,
                1 + (g * 13) % 7 AS effort) s
            WHERE response_id IS NOT NULL;

            SELECT setval(pg_get_serial_sequence('survey_invitations', 'id'), (SELECT max(id) FROM survey_invitations));
            SELECT setval(pg_get_serial_sequence('survey_responses', 'id'), (SELECT max(id) FROM survey_responses));
            """.Replace("$1", invitations.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var seed = new NpgsqlCommand(script, connection, transaction) { CommandTimeout = 3600 })
        {
            await seed.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        // VACUUM as autovacuum would soon after such a load (insert-driven, PostgreSQL 13+): the visibility map lets the analysis's covering indexes answer alone.
        foreach (var table in new[] { "survey_invitations", "survey_responses" })
        {
            // One statement per command: VACUUM cannot run inside a multi-statement batch.
            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE " + table, connection) { CommandTimeout = 3600 };
            await vacuum.ExecuteNonQueryAsync(ct);
        }

        return (invitations, invitations - invitations / 5);
    }

    /// <summary>Signs in through the sign-in page like a browser (antiforgery token and cookie); returns the Cookie header for later requests.</summary>
    internal static async Task<string> SignInAsync(BenchContext context, string username, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = context.Server.BaseAddress };
        using var page = await http.GetAsync("Account/SignIn", ct);
        var html = await page.Content.ReadAsStringAsync(ct);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var cookies = Cookies(page);
        using var post = new HttpRequestMessage(HttpMethod.Post, "Account/SignIn")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = username, ["Password"] = BenchContext.DemoPassword, ["__RequestVerificationToken"] = token }),
        };
        post.Headers.Add("Cookie", cookies);
        using var signedIn = await http.SendAsync(post, ct);
        if (signedIn.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther) || !signedIn.Headers.Contains("Set-Cookie"))
        {
            throw new InvalidOperationException($"Signing in as {username} answered {(int)signedIn.StatusCode} without a cookie.");
        }

        return cookies + "; " + Cookies(signedIn);
    }

    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);
}
