using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Steward.Bench.Environment;
using Steward.Bench.Measurement;

namespace Steward.Bench.Scenarios;

/// <summary>
/// The branches, counters and counter staff the queue scenarios share, made through the API as an administrator would:
/// branches with a calendar open every day (the bench runs on the real clock, a weekend too), three service types (A cash,
/// B accounts, D loans; none needs a qualification), five counters each serving all three (counter 1 a priority counter),
/// one agent per counter signed in to it. <see cref="Current"/> is each counter's called ticket, released before its next call.
/// </summary>
public sealed class QueueFloor
{
    public const int CountersPerBranch = 5;

    private static readonly (string Prefix, string Name, string NameEn, int TargetWait)[] Types =
    [
        ("A", "现金业务", "Cash", 10),
        ("B", "开户与账户业务", "Accounts", 15),
        ("D", "个人贷款", "Personal loans", 20),
    ];

    private QueueFloor(IReadOnlyList<FloorBranch> branches, IReadOnlyList<FloorCounter> counters)
    {
        Branches = branches;
        Counters = counters;
    }

    public IReadOnlyList<FloorBranch> Branches { get; }

    /// <summary>Every counter, branch by branch (counter <c>i</c> is at branch <c>i / 5</c>).</summary>
    public IReadOnlyList<FloorCounter> Counters { get; }

    /// <summary>20 branches × 5 counters (quick: 2 × 5, so the smoke run signs in 10 agents rather than 100).</summary>
    public static Task<QueueFloor> GetAsync(BenchContext context, CancellationToken ct) =>
        context.Shared("queue-floor", () => CreateAsync(context, context.Options.Quick ? 2 : 20, ct));

    private static async Task<QueueFloor> CreateAsync(BenchContext context, int branchCount, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var admin = await context.TokenAsync("admin", ct);
        var run = Guid.NewGuid().ToString("N")[..4].ToUpperInvariant();
        var week = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" }.ToDictionary(d => d, _ => new[] { "00:00-23:59" });
        var calendar = await SendAsync(context, HttpMethod.Post, "api/v1/calendars", admin,
            new { name = $"基准排队全周日历 {run}", nameEn = $"Bench queue all-week calendar {run}", timeZone = "Asia/Shanghai", weeklyPeriods = week, isDefault = false }, ct);
        var calendarId = calendar.GetProperty("id").GetInt64();

        var branches = new FloorBranch[branchCount];
        await Parallel.ForAsync(0, branchCount, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (b, c) =>
        {
            var code = string.Create(CultureInfo.InvariantCulture, $"QB{run}{b + 1:00}");
            var branch = await SendAsync(context, HttpMethod.Post, "api/v1/branches", admin,
                new { code, name = $"基准排队支行 {code}", nameEn = $"Bench queue branch {code}", timeZone = "Asia/Shanghai", address = (string?)null }, c);
            var id = branch.GetProperty("id").GetInt64();
            await SendAsync(context, HttpMethod.Put, $"api/v1/calendars/branches/{id}", admin, new { calendarId, version = (int?)null }, c);
            var typeIds = new List<long>();
            foreach (var (type, i) in Types.Select((t, i) => (t, i)))
            {
                var created = await SendAsync(context, HttpMethod.Post, $"api/v1/branches/{id}/queue/service-types", admin,
                    new { name = type.Name, nameEn = type.NameEn, prefix = type.Prefix, targetWaitMinutes = type.TargetWait, sortOrder = i, isActive = true }, c);
                typeIds.Add(created.GetProperty("id").GetInt64());
            }

            var counters = new List<FloorCounter>();
            for (var n = 1; n <= CountersPerBranch; n++)
            {
                var counter = await SendAsync(context, HttpMethod.Post, $"api/v1/branches/{id}/queue/counters", admin,
                    new { number = n, name = n == 1 ? "爱心窗口" : "综合窗口", nameEn = n == 1 ? "Priority counter" : "General counter", serviceTypeIds = typeIds, isPriorityCounter = n == 1, isWealthZone = false, isActive = true }, c);
                var username = string.Create(CultureInfo.InvariantCulture, $"bench.queue.{run.ToLowerInvariant()}.{b + 1:00}.{n}");
                var staff = await SendAsync(context, HttpMethod.Post, "api/v1/staff", admin,
                    new { username, displayName = $"基准柜员 {code}-{n}", email = (string?)null, homeBranchId = id, teamId = (long?)null, roles = new[] { "Agent" }, extraBranchIds = Array.Empty<long>(), password = BenchContext.DemoPassword }, c);
                counters.Add(new FloorCounter(id, counter.GetProperty("id").GetInt64(), n, username) { StaffId = staff.GetProperty("id").GetInt64() });
            }

            branches[b] = new FloorBranch(id, code, typeIds, counters);
        });

        var all = branches.SelectMany(b => b.Counters).ToList();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (counter, c) =>
        {
            counter.Token = await context.TokenAsync(counter.Username, c);
            await SendAsync(context, HttpMethod.Post, $"api/v1/branches/{counter.BranchId}/queue/counters/{counter.CounterId}/sign-in", counter.Token, null, c);
        });
        context.Say(string.Create(CultureInfo.InvariantCulture, $"  queue floor: {branchCount} branches, {all.Count} counters signed in, in {watch.Elapsed.TotalSeconds:0.0} s"));
        return new QueueFloor(branches, all);
    }

    /// <summary>Tops every branch up to <paramref name="perBranch"/> waiting tickets through the kiosk API (round the service types).</summary>
    public async Task FillAsync(BenchContext context, int perBranch, CancellationToken ct)
    {
        var waiting = await WaitingAsync(context, ct);
        var issues = Branches.SelectMany(b => Enumerable.Range(waiting.GetValueOrDefault(b.Id), Math.Max(0, perBranch - waiting.GetValueOrDefault(b.Id))).Select(i => (b, i))).ToList();
        await Parallel.ForEachAsync(issues, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (x, c) =>
        {
            using var response = await context.Http.SendAsync(IssueRequest(x.b, x.i), c);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Issuing a ticket at {x.b.Code} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(c)}");
            }
        });
    }

    /// <summary>Waiting tickets per bench branch, from the board (what the screen shows).</summary>
    public async Task<Dictionary<long, int>> WaitingAsync(BenchContext context, CancellationToken ct)
    {
        var counts = new Dictionary<long, int>();
        foreach (var branch in Branches)
        {
            var board = await SendAsync(context, HttpMethod.Get, $"api/v1/branches/{branch.Id}/queue/board", null, null, ct);
            counts[branch.Id] = board.GetProperty("waiting").EnumerateArray().Sum(w => w.GetProperty("waiting").GetInt32());
        }

        return counts;
    }

    /// <summary>A kiosk's ticket request (anonymous) for the <paramref name="n"/>-th service type in rotation.</summary>
    public static HttpRequestMessage IssueRequest(FloorBranch branch, long n) =>
        new(HttpMethod.Post, $"api/v1/branches/{branch.Id}/queue/tickets") { Content = JsonContent.Create(new { serviceTypeId = branch.TypeIds[(int)(n % branch.TypeIds.Count)] }) };

    /// <summary>Lets the counter's called ticket go ("left") so that it may call again; nothing when it has none.</summary>
    public static async Task<OpOutcome?> ReleaseAsync(HttpClient http, FloorCounter counter, CancellationToken ct)
    {
        if (counter.Current is not { } ticket)
        {
            return null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/branches/{counter.BranchId}/queue/tickets/{ticket}/left");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", counter.Token);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            return OpOutcome.FromStatus((int)response.StatusCode, false, "release: " + await response.Content.ReadAsStringAsync(ct));
        }

        counter.Current = null;
        return null;
    }

    /// <summary>
    /// Calls the next ticket at the counter (POST …/queue/calls as its agent): 200 with the ticket, 204 when nobody waits. A ticket
    /// already handed to a counter during the run is counted in <paramref name="twice"/> (and fails the operation).
    /// </summary>
    public static async Task<(OpOutcome Outcome, string? Number)> CallAsync(HttpClient http, FloorCounter counter, ConcurrentDictionary<long, long> handedTo, Action twice, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/branches/{counter.BranchId}/queue/calls") { Content = JsonContent.Create(new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", counter.Token);
        using var response = await http.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return (OpOutcome.FromStatus(status, true), null);
        }

        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return (OpOutcome.FromStatus(status, false, body.Length > 300 ? body[..300] + "…" : body), null);
        }

        var ticket = JsonDocument.Parse(body).RootElement;
        var id = ticket.GetProperty("id").GetInt64();
        counter.Current = id;
        if (!handedTo.TryAdd(id, counter.CounterId))
        {
            twice();
            return (new OpOutcome(false, "called twice", $"ticket {id} was handed to counter {handedTo[id]} and again to {counter.CounterId}"), null);
        }

        return (OpOutcome.FromStatus(status, true), ticket.GetProperty("number").GetString());
    }

    private static async Task<JsonElement> SendAsync(BenchContext context, HttpMethod method, string url, string? token, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        else if (method != HttpMethod.Get)
        {
            request.Content = JsonContent.Create(new { });
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await context.Http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {url} answered {(int)response.StatusCode}: {(text.Length > 400 ? text[..400] : text)}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}

public sealed record FloorBranch(long Id, string Code, IReadOnlyList<long> TypeIds, IReadOnlyList<FloorCounter> Counters);

public sealed record FloorCounter(long BranchId, long CounterId, int Number, string Username)
{
    public long StaffId { get; set; }

    public string Token { get; set; } = "";

    /// <summary>The ticket the counter called last and has not released yet.</summary>
    public long? Current { get; set; }
}

/// <summary>
/// Issue 14's queue load: ticket issue at the kiosk API, then call-next at 100 counters across 20 branches, each worker a
/// counter clerk (a worker owns the counters <c>i</c> with <c>i mod workers = worker</c> and serves them in turn).
/// </summary>
public sealed class QueueScenario : Scenario
{
    /// <summary>Waiting tickets per branch while counters call: a busy branch's morning (about six per counter).</summary>
    public const int WaitingPerBranch = 30;

    public override string Name => "queue";

    public override string Description => "Branch queue (issue 14) on 20 branches × 5 counters (quick: 2 × 5), made through the API with one agent signed in per counter. "
        + "Step `issue`: anonymous `POST …/queue/tickets` (kiosk) round the branches and service types. Step `call-next`: each worker is a counter clerk who, at "
        + "each of its counters in turn, lets the previous ticket go (`…/tickets/{id}/left`), issues one ticket at that branch (so the queue stays at "
        + $"{WaitingPerBranch} waiting per branch) and calls the next (`POST …/queue/calls`); only the call is timed. Every called ticket id is checked "
        + "against all earlier calls of the run, and afterwards the database is asked for tickets called more than once.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/branches/{id}/queue/tickets", "POST /api/v1/branches/{id}/queue/calls"];

    public override bool RequiresPostgres => true;

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var floor = await QueueFloor.GetAsync(context, cancellationToken);
        var branches = floor.Branches;

        var issue = await context.RunStepsAsync(result, "issue", context.HttpOperation((_, i) => QueueFloor.IssueRequest(branches[(int)(i % branches.Count)], i / branches.Count)), cancellationToken);

        // The issue step leaves thousands waiting; the calls measure a branch with a realistic queue, so the surplus "left".
        var db = context.Postgres!;
        var ids = floor.Branches.Select(b => b.Id).ToArray();
        await using (var trim = db.CreateCommand("""
            UPDATE queue_tickets t SET status = 'Left', ended_at = now()
            FROM (SELECT id, row_number() OVER (PARTITION BY branch_id ORDER BY id) AS n FROM queue_tickets WHERE branch_id = ANY($1) AND status = 'Waiting') w
            WHERE t.id = w.id AND w.n > $2
            """))
        {
            trim.Parameters.AddWithValue(ids);
            trim.Parameters.AddWithValue(WaitingPerBranch);
            await trim.ExecuteNonQueryAsync(cancellationToken);
        }

        await floor.FillAsync(context, WaitingPerBranch, cancellationToken);

        var handedTo = new ConcurrentDictionary<long, long>();
        var twice = 0;
        var empty = 0L;
        var counters = floor.Counters;
        var concurrency = context.Options.Concurrency.Select(c => Math.Min(c, counters.Count)).Distinct().ToList();
        var calls = new List<StepResult>();
        var stats = await PgStatements.EnableAsync(db, cancellationToken);
        foreach (var workers in concurrency)
        {
            await stats.ResetAsync(cancellationToken);
            var turn = new int[workers];
            var step = await context.RunStepsAsync(result, "call-next", async (worker, _, ct) =>
            {
                var mine = (counters.Count - worker + workers - 1) / workers;
                var counter = counters[worker + (workers * (turn[worker]++ % mine))];
                if (await QueueFloor.ReleaseAsync(context.Http, counter, ct) is { } failed)
                {
                    return failed;
                }

                var branch = branches.First(b => b.Id == counter.BranchId);
                using (var refill = QueueFloor.IssueRequest(branch, turn[worker]))
                using (var issued = await context.Http.SendAsync(refill, ct))
                {
                    if (!issued.IsSuccessStatusCode)
                    {
                        return OpOutcome.FromStatus((int)issued.StatusCode, false, "refill: " + await issued.Content.ReadAsStringAsync(ct));
                    }
                }

                var t0 = Stopwatch.GetTimestamp();
                var (outcome, number) = await QueueFloor.CallAsync(context.Http, counter, handedTo, () => Interlocked.Increment(ref twice), ct);
                var elapsed = Stopwatch.GetElapsedTime(t0);
                if (outcome.Success && number is null)
                {
                    Interlocked.Increment(ref empty);
                }

                return outcome with { Latency = elapsed };
            }, cancellationToken, concurrency: [workers]);
            calls.AddRange(step);
            if (stats.Available && step.Count == 1 && workers == concurrency.Max())
            {
                // Per operation: one release, one refill and one call (the three requests of a clerk's turn), warm-up included.
                result.Sections.Add(PgStatements.Render($"**call-next c={workers}: PostgreSQL time by statement** (per clerk's turn: release + refill + call; warm-up included)",
                    await stats.ReadAsync(cancellationToken), step[0].AllOperations, step[0].Latency.Mean / 1000, top: 14));
            }
        }

        var sixteen = calls.Where(s => s.Concurrency == 16).ToList();
        if (sixteen.Count > 0)
        {
            Targets.P95(result, sixteen, Targets.QueueCallNextP95Ms);
        }
        else
        {
            result.Targets.Add(TargetCheck.Unmeasured(result.Name, $"p95 ≤ {Targets.QueueCallNextP95Ms:0} ms (call-next, c=16)"));
        }

        await using var check = db.CreateCommand("""
            SELECT count(*) AS calls, count(DISTINCT e.ticket_id) AS tickets,
                   (SELECT count(*) FROM (SELECT ticket_id FROM queue_ticket_events x JOIN queue_tickets y ON y.id = x.ticket_id
                                          WHERE y.branch_id = ANY($1) AND x.kind = 'Called' GROUP BY ticket_id HAVING count(*) > 1) d) AS twice
            FROM queue_ticket_events e JOIN queue_tickets t ON t.id = e.ticket_id
            WHERE t.branch_id = ANY($1) AND e.kind = 'Called'
            """);
        check.Parameters.AddWithValue(ids);
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            var (called, tickets, calledTwice) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            result.Figures.Add(("calls in the database (Called events) / distinct tickets", string.Create(CultureInfo.InvariantCulture, $"{called:N0} / {tickets:N0}")));
            result.Figures.Add(("tickets handed to two counters", string.Create(CultureInfo.InvariantCulture, $"{calledTwice + twice} (database: {calledTwice}; bench: {twice} of {handedTo.Count:N0} calls answered)")));
            if (calledTwice + twice > 0)
            {
                result.Fail($"{calledTwice + twice} tickets were handed to two counters");
            }
        }

        result.Figures.Add(("calls answered 204 (nobody waiting)", empty.ToString("N0", CultureInfo.InvariantCulture)));
        result.Figures.Add(("counters / branches", string.Create(CultureInfo.InvariantCulture, $"{counters.Count} / {branches.Count}")));
        result.Notes.Add("Issue 14's goal is call-next p95 ≤ 30 ms at 16 workers on PostgreSQL with 100 counters across 20 branches (a full run). "
            + "The calls of one branch are one at a time (the branch's call row), so 16 clerks over 20 branches mostly meet at different branches; "
            + "the release and the refill before each call are not timed, the `issue` step times the kiosk alone.");
        result.Figures.Add(("tickets issued in the `issue` steps", issue.Sum(s => s.AllOperations).ToString("N0", CultureInfo.InvariantCulture)));
    }
}

/// <summary>
/// Issue 14's board latency across two app nodes: a second Steward process on the same PostgreSQL; boards connected to its
/// SignalR hub as the branch screen is; calls made through the first node. Timed from sending the call to the moment the board,
/// told <c>changed</c> by the second node (PostgreSQL NOTIFY fan-out), has read its state again and shows the called ticket.
/// </summary>
public sealed class QueueBoardScenario : Scenario
{
    public override string Name => "queue-board";

    public override string Description => "A second Steward node is started on the same PostgreSQL; each worker is a branch's display board connected to the second node's "
        + "hub (`/hubs/queue-board`, the .NET SignalR client, `Join(branch)`) and a clerk at that branch's counter 1 on the first node who lets the previous "
        + "ticket go, issues one, waits for the board to have seen both, then calls next. Timed from sending the call to the board's `GET …/queue/board` on the "
        + "second node (read on `changed`, as the page does) showing the called number as the current call.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/branches/{id}/queue/calls", "GET /api/v1/branches/{id}/queue/board"];

    public override bool RequiresPostgres => true;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var floor = await QueueFloor.GetAsync(context, cancellationToken);
        var started = Stopwatch.StartNew();
        await using var node2 = await context.StartSecondNodeAsync(cancellationToken);
        result.Figures.Add(("second node start", string.Create(CultureInfo.InvariantCulture, $"{started.Elapsed.TotalSeconds:0.0} s (pid {node2.ProcessId})")));
        using var handler2 = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, UseCookies = false };
        using var http2 = new HttpClient(handler2) { BaseAddress = node2.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await floor.FillAsync(context, QueueScenario.WaitingPerBranch, cancellationToken);

        var boards = new List<Board>();
        try
        {
            foreach (var branch in floor.Branches)
            {
                boards.Add(await Board.ConnectAsync(node2.BaseAddress, branch, cancellationToken));
            }

            var handedTo = new ConcurrentDictionary<long, long>();
            var twice = 0;
            var push = new LatencyHistogram();
            var steps = new List<StepResult>();
            foreach (var workers in context.Options.Concurrency.Select(c => Math.Min(c, boards.Count)).Distinct())
            {
                var pushes = Enumerable.Range(0, workers).Select(_ => new LatencyHistogram()).ToArray();
                var step = await context.RunStepsAsync(result, "call→board", async (worker, iteration, ct) =>
                {
                    var board = boards[worker];
                    var counter = board.Branch.Counters[0];
                    board.Drain();
                    var hadTicket = counter.Current is not null;
                    if (await QueueFloor.ReleaseAsync(context.Http, counter, ct) is { } failed)
                    {
                        return failed;
                    }

                    using (var refill = QueueFloor.IssueRequest(board.Branch, iteration))
                    using (var issued = await context.Http.SendAsync(refill, ct))
                    {
                        if (!issued.IsSuccessStatusCode)
                        {
                            return OpOutcome.FromStatus((int)issued.StatusCode, false, "refill: " + await issued.Content.ReadAsStringAsync(ct));
                        }
                    }

                    // The release and the issue each tell the board once; let both arrive so that the call's own message is what is timed.
                    if (!await board.WaitMessagesAsync(hadTicket ? 2 : 1, Patience, ct))
                    {
                        return new OpOutcome(false, "no changed", "the board on the second node was not told of the release and the issue within 5 s");
                    }

                    board.Drain();
                    var t0 = Stopwatch.GetTimestamp();
                    var (outcome, number) = await QueueFloor.CallAsync(context.Http, counter, handedTo, () => Interlocked.Increment(ref twice), ct);
                    if (!outcome.Success)
                    {
                        return outcome;
                    }

                    if (number is null)
                    {
                        return new OpOutcome(false, "nobody waiting", $"the call at {board.Branch.Code} found nobody waiting");
                    }

                    var deadline = t0 + (long)(Patience.TotalSeconds * Stopwatch.Frequency);
                    var first = true;
                    while (Stopwatch.GetTimestamp() < deadline)
                    {
                        if (!await board.WaitMessagesAsync(1, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline), ct))
                        {
                            break;
                        }

                        if (first)
                        {
                            pushes[worker].Record((long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                            first = false;
                        }

                        board.Drain();
                        using var read = await http2.GetAsync($"api/v1/branches/{board.Branch.Id}/queue/board", ct);
                        var state = JsonDocument.Parse(await read.Content.ReadAsStringAsync(ct)).RootElement;
                        var calls = state.GetProperty("calls");
                        if (calls.GetArrayLength() > 0 && calls[0].GetProperty("number").GetString() == number)
                        {
                            return OpOutcome.Ok with { Latency = Stopwatch.GetElapsedTime(t0) };
                        }
                    }

                    return new OpOutcome(false, "board late", $"the board on the second node did not show {number} within 5 s of the call");
                }, cancellationToken, concurrency: [workers]);
                steps.AddRange(step);
                foreach (var h in pushes)
                {
                    push.Add(h);
                }
            }

            Targets.P95(result, steps, Targets.QueueBoardP95Ms);
            if (push.Count > 0)
            {
                result.Figures.Add(("call sent → `changed` received on node 2 (all steps)", string.Create(CultureInfo.InvariantCulture,
                    $"p50 {push.ValueAtPercentile(50) / 1000.0:0.0} ms, p95 {push.ValueAtPercentile(95) / 1000.0:0.0} ms, max {push.Max / 1000.0:0.0} ms ({push.Count:N0} calls, warm-up included)")));
            }

            if (twice > 0)
            {
                result.Fail($"{twice} tickets were handed to two counters");
            }

            result.Notes.Add("Issue 14's goal is board p95 ≤ 500 ms across two nodes. The path: the call commits on node 1, which sends `pg_notify`; node 2's "
                + "listener (one LISTEN connection) tells its hub group; the board reads its state from node 2. Each step's workers are boards of different branches.");
            if (node2.HasExited)
            {
                result.Fail("the second node exited during the scenario:\n" + node2.Tail());
            }
        }
        finally
        {
            foreach (var board in boards)
            {
                await board.DisposeAsync();
            }
        }
    }

    /// <summary>A display board: a hub connection to one node, in its branch's group; each <c>changed</c> is a message in <see cref="messages"/>.</summary>
    private sealed class Board : IAsyncDisposable
    {
        private readonly HubConnection connection;
        private readonly Channel<long?> messages = Channel.CreateUnbounded<long?>();

        private Board(HubConnection connection, FloorBranch branch)
        {
            this.connection = connection;
            Branch = branch;
            connection.On<long?>("changed", sequence => messages.Writer.TryWrite(sequence));
        }

        public FloorBranch Branch { get; }

        public static async Task<Board> ConnectAsync(Uri node, FloorBranch branch, CancellationToken ct)
        {
            var connection = new HubConnectionBuilder().WithUrl(new Uri(node, "hubs/queue-board")).Build();
            var board = new Board(connection, branch);
            await connection.StartAsync(ct);
            await connection.InvokeAsync("Join", branch.Id, ct);
            return board;
        }

        public void Drain()
        {
            while (messages.Reader.TryRead(out _))
            {
            }
        }

        /// <summary>Waits until <paramref name="count"/> messages arrived (consuming them); false on time-out.</summary>
        public async Task<bool> WaitMessagesAsync(int count, TimeSpan timeout, CancellationToken ct)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    await messages.Reader.ReadAsync(limit.Token);
                }

                return true;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
