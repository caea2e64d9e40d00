using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Steward.Bench.Data;
using Steward.Bench.Environment;
using Steward.Bench.Measurement;

namespace Steward.Bench.Scenarios;

/// <summary>Everything a scenario needs: options, the running Steward, the database, the load runner.</summary>
public sealed class BenchContext(
    BenchOptions options, StewardServer server, HttpClient http, IReadOnlySet<string> operations, NpgsqlDataSource? postgres, Action<string> say,
    Func<CancellationToken, Task<StewardServer>>? secondNode = null)
{
    /// <summary>
    /// Every demo account that signs in with its password alone (README; all have <see cref="DemoPassword"/>);
    /// <c>compliance2</c>, which has two-factor sign-in, is left out.
    /// </summary>
    public static readonly IReadOnlyList<string> DemoUsers =
    [
        "admin", "compliance", "qa", "qa2",
        "sh.manager", "sh.lead", "sh.agent1", "sh.agent2", "sh.backoffice",
        "bj.manager", "bj.lead", "bj.agent1", "bj.agent2", "bj.backoffice",
        "sz.manager", "sz.lead", "sz.agent1", "sz.agent2", "sz.backoffice",
        "hz.manager", "hz.lead", "hz.agent1", "hz.agent2", "hz.backoffice",
        "ln.manager", "ln.lead", "ln.agent1", "ln.agent2", "ln.backoffice",
    ];

    public const string DemoPassword = "Steward!2026";

    private readonly ConcurrentDictionary<string, Task<string>> tokens = new(StringComparer.Ordinal);

    public BenchOptions Options => options;

    public StewardServer Server => server;

    /// <summary>A client for Steward (base address set, connections pooled without limit).</summary>
    public HttpClient Http => http;

    /// <summary>The API operations of the running build ("METHOD /path").</summary>
    public IReadOnlySet<string> Operations => operations;

    /// <summary>Steward's own PostgreSQL database (null on SQLite): for raw baselines and bulk loads.</summary>
    public NpgsqlDataSource? Postgres => postgres;

    public DataGenerator? Data => postgres is null ? null : new DataGenerator(postgres, options.Seed, Math.Clamp(System.Environment.ProcessorCount, 1, 4));

    public void Say(string message) => say(message);

    /// <summary>
    /// Starts a second Steward process on the same database (its keys, no demo seed of its own), for scenarios across two
    /// app nodes; the caller disposes it. Throws when this run cannot have one.
    /// </summary>
    public Task<StewardServer> StartSecondNodeAsync(CancellationToken cancellationToken) =>
        (secondNode ?? throw new InvalidOperationException("This run cannot start a second node."))(cancellationToken);

    private readonly ConcurrentDictionary<string, object> shared = new(StringComparer.Ordinal);

    /// <summary>Set-up that several scenarios of the run share (made by the first that asks).</summary>
    public T Shared<T>(string key, Func<T> create)
        where T : class => (T)shared.GetOrAdd(key, _ => create());

    private Task<CaseLoadResult>? cases;

    /// <summary>
    /// The bulk-loaded cases (<c>--cases</c>, seeded), loaded by the first scenario that asks (PostgreSQL
    /// only); later scenarios of the run share them. With <c>--database</c>, cases an earlier run loaded into
    /// that database with the same seed and count are used instead of loading them again.
    /// </summary>
    public Task<CaseLoadResult> CasesAsync(CancellationToken cancellationToken) =>
        cases ??= LoadCasesAsync(cancellationToken);

    private async Task<CaseLoadResult> LoadCasesAsync(CancellationToken cancellationToken)
    {
        var data = Data!;
        if (options.DatabaseName is not null && await data.ReuseAsync(options.Cases, options.SearchRows, cancellationToken) is { } reused)
        {
            say(string.Create(CultureInfo.InvariantCulture, $"  Reusing the {options.Cases:N0} cases loaded into {options.DatabaseName} (anchor {reused.Universe.Anchor:u})"));
            return reused;
        }

        return await data.CasesAsync(options.Cases, DateTimeOffset.UtcNow, cancellationToken, options.SearchRows);
    }

    /// <summary>True once <see cref="CasesAsync"/> has been called.</summary>
    public bool CasesRequested => cases is not null;

    /// <summary>Operations a quick-mode step completes inside its measured window before it may end.</summary>
    public const int QuickMinOperations = 3;

    /// <summary>Concurrency steps of the case scenarios: in quick mode only the highest, and (with <c>caseSteps</c> in <see cref="RunStepsAsync"/>) 0.1 s + 0.4 s steps, which keeps the smoke test short.</summary>
    public IReadOnlyList<int> CaseConcurrency => options.Quick ? [options.Concurrency.Max()] : options.Concurrency;

    /// <summary>A GET with a bearer token.</summary>
    public static HttpRequestMessage Get(string url, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>A bearer token for a demo user (fetched once per run).</summary>
    public Task<string> TokenAsync(string username, CancellationToken cancellationToken) =>
        tokens.GetOrAdd(username, async user =>
        {
            using var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password = DemoPassword }, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Token for {user}: {(int)response.StatusCode} {body}");
            }

            return System.Text.Json.JsonSerializer.Deserialize<TokenBody>(body)?.AccessToken
                ?? throw new InvalidOperationException($"Token for {user}: no access_token in {body}");
        });

    /// <summary>An HTTP operation: 2xx (or <paramref name="isSuccess"/>) is success; the body is always read to the end.</summary>
    public LoadOperation HttpOperation(Func<int, long, HttpRequestMessage> request, Func<int, bool>? isSuccess = null) =>
        async (worker, iteration, cancellationToken) =>
        {
            using var message = request(worker, iteration);
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var status = (int)response.StatusCode;
            var ok = isSuccess?.Invoke(status) ?? response.IsSuccessStatusCode;
            if (ok)
            {
                return OpOutcome.FromStatus(status, true);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return OpOutcome.FromStatus(status, false, body.Length > 300 ? body[..300] + "…" : body);
        };

    /// <summary>
    /// Runs <paramref name="operation"/> at each concurrency of the run (warm-up excluded), sampling
    /// Steward's RSS when <paramref name="sampleMemory"/>; adds the steps to <paramref name="result"/> and
    /// fails it when an operation failed.
    /// </summary>
    public async Task<IReadOnlyList<StepResult>> RunStepsAsync(
        ScenarioResult result, string label, LoadOperation operation, CancellationToken cancellationToken, bool sampleMemory = true, IReadOnlyList<int>? concurrency = null,
        bool caseSteps = false)
    {
        var steps = new List<StepResult>();
        foreach (var workers in concurrency ?? options.Concurrency)
        {
            if (sampleMemory)
            {
                RssSampler.ResetHighWaterMark(server.ProcessId);
            }

            var sampler = sampleMemory ? RssSampler.Start(server.ProcessId, TimeSpan.FromMilliseconds(100)) : null;
            var cpuBefore = ProcessCpu.Read(server.ProcessId);
            StepResult step;
            try
            {
                var (warmup, duration) = caseSteps && options.Quick ? (TimeSpan.FromSeconds(0.1), TimeSpan.FromSeconds(0.4)) : (options.Warmup, options.Duration);
                // A smoke step must measure something: its window stays open (up to 15 s) until a few operations completed in it.
                step = options.Quick
                    ? await LoadRunner.RunAsync(label, workers, warmup, duration, operation, cancellationToken, minOperations: QuickMinOperations, maxDuration: TimeSpan.FromSeconds(15))
                    : await LoadRunner.RunAsync(label, workers, warmup, duration, operation, cancellationToken);
            }
            finally
            {
                if (sampler is not null)
                {
                    await sampler.DisposeAsync();
                }
            }

            if (sampler is not null)
            {
                var peak = Math.Max(sampler.PeakBytes, sampler.HighWaterMarkBytes ?? 0);
                step = step with { PeakRssBytes = peak };
                result.PeakRssBytes = Math.Max(result.PeakRssBytes ?? 0, sampler.PeakBytes);
                result.HighWaterMarkBytes = Math.Max(result.HighWaterMarkBytes ?? 0, sampler.HighWaterMarkBytes ?? 0);
            }

            // Steward's CPU over the whole step (warm-up and tail too) per operation completed in it; meaningless for raw steps.
            var cpu = ProcessCpu.Read(server.ProcessId) - cpuBefore;
            var cpuPerOp = cpu is { } used && step.AllOperations > 0 ? $"  Steward cpu {used.TotalMilliseconds / step.AllOperations:0.00} ms/op" : "";
            steps.Add(step);
            result.Steps.Add(step);
            say(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Name,-11} {label,-14} c={workers,-3} {step.Operations,8} ops {step.Throughput,9:0.0}/s  p50 {step.P50Ms,7:0.00}  p95 {step.P95Ms,7:0.00}  p99 {step.P99Ms,7:0.00}  max {step.MaxMs,8:0.00} ms  errors {step.Errors}{cpuPerOp}"));
            // Functional checks count the warm-up and the tail too; a slow step is a figure, not a failure.
            if (step.AllErrors > 0)
            {
                result.Fail($"{label} c={workers}: {step.AllErrors} of {step.AllOperations} operations failed " +
                    $"(measured window: {(step.Outcomes.Count == 0 ? "no operation" : string.Join(", ", step.Outcomes.Select(o => $"{o.Key}×{o.Value}")))}); first: {step.FirstError}");
            }
            else if (step.AllOperations == 0)
            {
                result.Fail($"{label} c={workers}: no operation completed at all");
            }
            else if (step.Operations == 0)
            {
                // Nothing measured is a functional failure, never a figure (its p99 would read "0.00 ms").
                result.Fail($"{label} c={workers}: no operation completed inside the measured window ({step.AllOperations} outside it); lengthen --duration.");
            }

            if (server.HasExited)
            {
                result.Fail("Steward exited during the scenario:\n" + server.Tail());
                break;
            }
        }

        return steps;
    }

    private sealed record TokenBody([property: JsonPropertyName("access_token")] string AccessToken);
}
