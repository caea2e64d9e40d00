using System.Net;
using System.Net.Http.Json;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

public sealed class RateLimitTests
{
    [Theory, BothDatabases]
    public async Task PublicStatusLookup_BeyondTheLimit_Answers429ProblemWithRetryAfter(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:PublicPerMinute"] = "2" });
        var client = app.AnonymousClient();
        var body = new { reference = "SV-20261123-000001", contact = "13900139000" };

        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/public/cases/status", body)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/public/cases/status", body)).StatusCode);
        var third = await client.PostAsJsonAsync("/api/v1/public/cases/status", body);

        var problem = await third.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal("too-many-requests", problem.GetProperty("code").GetString());
        Assert.Equal("60", third.Headers.GetValues("Retry-After").Single());
    }

    [Theory, BothDatabases]
    public async Task PublicPages_BeyondTheLimit_Answer429WithAReadablePage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:PublicPerMinute"] = "1" });
        var client = app.AnonymousClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Public/Status")).StatusCode);
        var second = await client.GetAsync("/Public/Status");

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("请求过于频繁", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task TokenRequests_BeyondTheSignInLimit_Answer429_WhileSignedInCallsAreUnaffected(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["RateLimits:SignInPerMinute"] = "2" });
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, Steward.Platform.Identity.StaffRole.Agent);

        var signedIn = await app.ApiClientAsync(staff.Username);
        var anonymous = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = "wrong" })).StatusCode);
        await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = "wrong" })).ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);

        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/v1/me")).StatusCode);
    }
}
