using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace Steward.Bench.Scenarios;

/// <summary>
/// POST /api/v1/auth/token. Each worker signs in as its own demo user (worker i → user i mod 29), so
/// beyond 30 workers two workers share a user. Cost is dominated by password hashing: ASP.NET Core
/// Identity v3 (PBKDF2-HMAC-SHA512, Steward's default 100 000 iterations), measured alone here too.
/// </summary>
public sealed class AuthScenario : Scenario
{
    public const int Iterations = 100_000;

    public override string Name => "auth";

    public override string Description =>
        "Token issuance (`POST /api/v1/auth/token`), worker *i* signs in as demo user *i* mod 29 (every demo account but compliance2, which has two-factor sign-in). " +
        "Dominated by password hashing (PBKDF2-HMAC-SHA512, 100 000 iterations: Steward's default `PasswordHashIterations`), " +
        "plus a staff-row update per sign-in.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/auth/token"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        // The hash alone, on one core in this process: the floor of a sign-in's latency and 1/cores of its throughput ceiling.
        var salt = RandomNumberGenerator.GetBytes(16);
        var samples = new List<double>();
        var hashes = context.Options.Quick ? 3 : 5;
        for (var i = 0; i < hashes; i++)
        {
            var watch = Stopwatch.StartNew();
            Rfc2898DeriveBytes.Pbkdf2(BenchContext.DemoPassword, salt, Iterations, HashAlgorithmName.SHA512, 32);
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        var hashMs = samples[samples.Count / 2];
        result.Figures.Add(($"PBKDF2-HMAC-SHA512 × 100 000, one hash (median of {hashes}, bench process)", hashMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms"));
        result.Figures.Add(("Ceiling from hashing alone (cores ÷ hash time)",
            (System.Environment.ProcessorCount * 1000 / hashMs).ToString("0", CultureInfo.InvariantCulture) + " sign-ins/s"));

        var users = BenchContext.DemoUsers;
        await context.RunStepsAsync(result, "steward", context.HttpOperation((worker, _) => new HttpRequestMessage(HttpMethod.Post, "api/v1/auth/token")
        {
            Content = JsonContent.Create(new { username = users[worker % users.Count], password = BenchContext.DemoPassword }),
        }), cancellationToken);
        if (context.Options.Concurrency.Any(c => c > users.Count))
        {
            result.Notes.Add($"Above {users.Count} workers some workers share a demo user, so sign-ins of the same staff row run concurrently.");
        }
    }
}

/// <summary>GET /api/v1/me with a bearer token: the cost of authentication and a trivial endpoint.</summary>
public sealed class MeScenario : Scenario
{
    public override string Name => "me";

    public override string Description => "`GET /api/v1/me` as `sh.agent1` with a bearer token: token validation, the current-user lookup and JSON, no business query.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/me"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var token = await context.TokenAsync("sh.agent1", cancellationToken);
        await context.RunStepsAsync(result, "steward", context.HttpOperation((_, _) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }), cancellationToken);
    }
}

/// <summary>GET /api/v1/audit?limit=50 as compliance: the newest page of the hash-chained audit log.</summary>
public sealed class AuditPageScenario : Scenario
{
    public override string Name => "audit-page";

    public override string Description => "`GET /api/v1/audit?limit=50` as `compliance`: the newest page of the audit log (demo seed plus sign-ins), 50 entries with their change JSON.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/audit"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var token = await context.TokenAsync("compliance", cancellationToken);
        await context.RunStepsAsync(result, "steward", context.HttpOperation((_, _) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit?limit=50");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }), cancellationToken);
    }
}
