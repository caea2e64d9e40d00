using System.Net;
using System.Net.Http.Json;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

public sealed class SignInTests
{
    [Theory, BothDatabases]
    public async Task Token_WithRightPassword_ReturnsBearerTokenThatCallsTheApi(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        var client = app.AnonymousClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username.ToUpperInvariant(), password = StewardApp.Password });
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());

        client.DefaultRequestHeaders.Authorization = new("Bearer", body.GetProperty("access_token").GetString());
        var me = await (await client.GetAsync("/api/v1/me")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(staff.Username, me.GetProperty("username").GetString());
        Assert.Equal("Agent", me.GetProperty("roles")[0].GetString());
        Assert.False(me.GetProperty("institutionScope").GetBoolean());
    }

    [Theory, BothDatabases]
    public async Task Token_WithWrongPasswordOrUnknownUser_Returns401ProblemThatDoesNotSayWhich(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var client = app.AnonymousClient();

        var wrong = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = "nope" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        var unknown = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "ghost", password = "nope" })).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(wrong.GetProperty("title").GetString(), unknown.GetProperty("title").GetString());
        Assert.Equal(wrong.GetProperty("type").GetString(), unknown.GetProperty("type").GetString());
    }

    [Theory, BothDatabases]
    public async Task Token_AfterFiveFailures_LocksTheAccountUntilFifteenMinutesPass(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var client = app.AnonymousClient();

        for (var i = 0; i < 5; i++)
        {
            await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = "wrong" });
        }

        var locked = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = StewardApp.Password }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("account-locked", locked.GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromMinutes(14));
        var stillLocked = await (await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = StewardApp.Password }))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("account-locked", stillLocked.GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var ok = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = StewardApp.Password });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Token_AfterItsLifetime_IsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, client) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await (await client.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, BothDatabases]
    public async Task Api_Anonymous_Gets401_AndRoleWithoutRight_Gets403(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        await (await app.AnonymousClient().GetAsync("/api/v1/staff")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        await (await agent.GetAsync("/api/v1/staff")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await agent.GetAsync("/api/v1/audit")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/staff")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Api_AfterAccountIsDisabled_RefusesItsExistingToken(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, agentClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var current = await (await admin.GetAsync($"/api/v1/staff/{agent.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var update = await admin.PutJsonAsync($"/api/v1/staff/{agent.Id}", new
        {
            displayName = "停用的员工",
            homeBranchId = branch.Id,
            roles = new[] { "Agent" },
            isActive = false,
            version = current.GetProperty("version").GetInt32(),
        });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);

        await (await agentClient.GetAsync("/api/v1/me")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, BothDatabases]
    public async Task Health_IsAnonymous_AndReadyChecksTheDatabase(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var client = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
    }

    [Theory, BothDatabases]
    public async Task OpenApi_DocumentDescribesTheTokenEndpoint(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var doc = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/auth/token", out _));
    }

    [Theory, BothDatabases]
    public async Task Token_ManySimultaneousSignInsOfOneUser_AllSucceed_AndDoNotMakeAnAdminEditStale(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var before = await (await admin.GetAsync($"/api/v1/staff/{staff.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.AnonymousClient().PostAsJsonAsync("/api/v1/auth/token", new { username = staff.Username, password = StewardApp.Password })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        // The admin's edit was based on the version read before those sign-ins; it still applies.
        var edit = await admin.PutJsonAsync($"/api/v1/staff/{staff.Id}", new
        {
            displayName = "改名后的员工", homeBranchId = branch.Id, roles = new[] { "Agent" }, isActive = true, version = before.GetProperty("version").GetInt32(),
        });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
    }
}
