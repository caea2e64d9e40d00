using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

/// <summary>
/// Single sign-on (issue 18, docs/decisions/0045) through a real OpenID Connect flow: authorization code with PKCE against
/// <see cref="TestIdentityProvider"/> on a 127.0.0.1 port. The browser's part (the redirects) is played by two clients, one
/// for Steward and one real HTTP client for the provider; Steward's handler reads discovery, JWKS and the token endpoint
/// over real HTTP.
/// </summary>
public sealed class SsoSignInTests
{
    private const string ClientId = "steward-test";
    private const string ClientSecret = "s3cret-for-tests";

    private static async Task<(StewardApp App, TestIdentityProvider Idp)> StartAsync(DatabaseProvider provider)
    {
        var idp = await TestIdentityProvider.StartAsync(ClientId, ClientSecret);
        // The app's clock starts at the real time: the provider is another system, on its own clock, and IdentityModel
        // checks the id token's lifetime and the nonce's age against the system clock.
        var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Security:Sso:Authority"] = idp.Authority,
            ["Security:Sso:ClientId"] = ClientId,
            ["Security:Sso:ClientSecret"] = ClientSecret,
            ["Security:Sso:RequireHttpsMetadata"] = "false",
            ["Security:Sso:DisplayNameEn"] = "Test Bank ID",
        }, TestClock.Create(DateTimeOffset.UtcNow));
        return (app, idp);
    }

    /// <summary>Plays the browser through the flow; answers Steward's client (its cookies) and where Steward sent it at the end.</summary>
    private static async Task<(HttpClient Browser, string Location)> SignInThroughProviderAsync(StewardApp app, TestIdentityProvider idp)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var challenge = await browser.GetAsync("/Account/SignIn?handler=Sso&returnUrl=%2FAccount%2FSessions");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(idp.Authority + "/authorize?", authorize.ToString());
        Assert.Contains("code_challenge_method=S256", authorize.Query);

        var atProvider = await outside.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, atProvider.StatusCode);
        var callback = atProvider.Headers.Location!;
        Assert.Equal("/signin-oidc", callback.AbsolutePath);

        var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        return (browser, back.Headers.Location!.OriginalString);
    }

    private static async Task MapAsync(HttpClient admin, string group, StaffRole? role, long? branchId)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/sso/group-mappings", new { group, role = role?.ToString(), branchId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static Task<List<SignInRecord>> HistoryAsync(StewardApp app) =>
        app.WithDbAsync(db => db.Set<SignInRecord>().AsNoTracking().Where(r => r.Channel == "sso").OrderBy(r => r.Id).ToListAsync());

    private static Task<(List<StaffRole> Roles, long Home, List<long> Extra)> AccessOfAsync(StewardApp app, long staffId) => app.WithDbAsync(async db =>
    {
        var s = await db.Set<Staff>().AsNoTracking().Include(x => x.Roles).Include(x => x.ExtraBranches).SingleAsync(x => x.Id == staffId);
        return (s.Roles.Select(r => r.Role).Order().ToList(), s.HomeBranchId, s.ExtraBranches.Select(b => b.BranchId).Order().ToList());
    });

    [Theory, BothDatabases]
    public async Task SignIn_MappedUser_LandsWithTheMappedRolesAndBranch_AndAGroupChangeAppliesAtTheNextSignIn(DatabaseProvider provider)
    {
        var (app, idp) = await StartAsync(provider);
        await using var _ = idp;
        await using var __ = app;
        var home = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(home.Id, StaffRole.Administrator);
        await MapAsync(admin, "CS-Leads", StaffRole.TeamLead, other.Id);
        await MapAsync(admin, "cs-leads", null, home.Id);
        await MapAsync(admin, "cs-agents", StaffRole.Agent, null);
        var alice = await app.CreateStaffAsync(home.Id, StaffRole.Agent, StaffRole.Compliance);

        // Groups are compared without regard to case; "finance" maps to nothing and is ignored.
        idp.User = new TestIdentityProvider.Person("sub-alice", alice.Username.ToUpperInvariant(), ["cs-leads", "finance"], ["pwd"]);
        var (browser, location) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/Sessions", location);
        Assert.Equal(1, idp.TokensIssued);

        // Roles exactly those mapped; home branch kept (it is mapped), the other mapped branch added.
        var access = await AccessOfAsync(app, alice.Id);
        Assert.Equal([StaffRole.TeamLead], access.Roles);
        Assert.Equal(home.Id, access.Home);
        Assert.Equal([other.Id], access.Extra);
        var page = await browser.GetAsync("/Account/Sessions");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Single sign-on", html);
        Assert.Contains("data-testid=\"session-current\"", html);
        var success = Assert.Single(await HistoryAsync(app));
        Assert.Equal((SignInOutcome.Success, alice.Id), (success.Outcome, success.StaffId));
        // The change of roles is in the audit chain, made by the person at their sign-in.
        var roleChanges = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.EntityType == "StaffRoleAssignment" && e.ActorId == alice.Id).CountAsync());
        Assert.Equal(3, roleChanges); // Agent and Compliance removed, TeamLead added

        // At the provider alice moves to the agents' group: at her next sign-in she is an agent, and the old cookie, issued
        // with the roles of then, no longer works.
        idp.User = idp.User with { Groups = ["cs-agents"] };
        var (second, again) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/Sessions", again);
        access = await AccessOfAsync(app, alice.Id);
        Assert.Equal([StaffRole.Agent], access.Roles);
        Assert.Equal(home.Id, access.Home); // no branch mapped: branches left as they were
        Assert.Equal([other.Id], access.Extra);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Account/Sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Sessions")).StatusCode);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task SignIn_UnknownOrUnmappedUser_IsRefusedWithAMessage_AndTheAttemptIsRecorded(DatabaseProvider provider)
    {
        var (app, idp) = await StartAsync(provider);
        await using var _ = idp;
        await using var __ = app;
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        await MapAsync(admin, "cs-agents", StaffRole.Agent, null);
        await MapAsync(admin, "branch-only", null, branch.Id);
        var bob = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        idp.User = new TestIdentityProvider.Person("sub-x", "nobody-here", ["cs-agents"], ["pwd"]);
        var (browser, location) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/SignIn?sso=unknown", location);
        var html = await (await browser.GetAsync(location)).Content.ReadAsStringAsync();
        Assert.Contains("there is no active Steward account for you", html);

        // A group that gives only a branch gives no role: refused.
        idp.User = new TestIdentityProvider.Person("sub-bob", bob.Username, ["branch-only", "unmapped"], ["pwd"]);
        (browser, location) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/SignIn?sso=unmapped", location);
        Assert.Contains("none of your groups gives a Steward role", await (await browser.GetAsync(location)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Sessions")).StatusCode);

        // The person cancels at the provider.
        idp.User = null;
        location = (await SignInThroughProviderAsync(app, idp)).Location;
        Assert.Equal("/Account/SignIn?sso=failed", location);

        var history = await HistoryAsync(app);
        Assert.Equal([SignInOutcome.SsoUnknownAccount, SignInOutcome.SsoNoMappedRole, SignInOutcome.SsoFailed], history.Select(h => h.Outcome));
        Assert.Equal([null, bob.Id, null], history.Select(h => h.StaffId));
        Assert.Equal([StaffRole.Agent], (await AccessOfAsync(app, bob.Id)).Roles); // a refusal changes nothing
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<StaffSession>().CountAsync(s => s.StaffId == bob.Id)));
    }

    [Theory, BothDatabases]
    public async Task SignIn_RoleRequiringTwoFactor_AsksForItUnlessTheProviderDidMfa(DatabaseProvider provider)
    {
        var (app, idp) = await StartAsync(provider);
        await using var _ = idp;
        await using var __ = app;
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        await MapAsync(admin, "leads", StaffRole.TeamLead, null);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/two-factor/policy", new { requiredRoles = new[] { "TeamLead" } })).StatusCode);
        var carol = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);

        // Password only at the provider: the role's rule applies — set up an authenticator first, not signed in yet.
        idp.User = new TestIdentityProvider.Person("sub-carol", carol.Username, ["leads"], ["pwd"]);
        var (browser, location) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/TwoFactor", location);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/Account/Sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/TwoFactor")).StatusCode);

        // The provider says it did multi-factor authentication: in at once.
        idp.User = idp.User with { Amr = ["pwd", "mfa"] };
        (browser, location) = await SignInThroughProviderAsync(app, idp);
        Assert.Equal("/Account/Sessions", location);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Account/Sessions")).StatusCode);
        var history = await HistoryAsync(app);
        Assert.Equal([SignInOutcome.SecondFactorPending, SignInOutcome.Success], history.Select(h => h.Outcome));
    }

    [Theory, BothDatabases]
    public async Task SignIn_ProviderUnreachable_IsAMessageOnTheSignInPage_AndRecorded(DatabaseProvider provider)
    {
        // A port that was just free: nothing answers there, so the discovery document cannot be read.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Security:Sso:Authority"] = $"http://127.0.0.1:{port}",
            ["Security:Sso:ClientId"] = ClientId,
            ["Security:Sso:ClientSecret"] = ClientSecret,
            ["Security:Sso:RequireHttpsMetadata"] = "false",
        });
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var start = await browser.GetAsync("/Account/SignIn?handler=Sso");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/Account/SignIn?sso=unavailable", start.Headers.Location!.OriginalString);
        Assert.Contains("The identity provider cannot be reached just now", await (await browser.GetAsync("/Account/SignIn?sso=unavailable")).Content.ReadAsStringAsync());
        Assert.Equal([SignInOutcome.SsoFailed], (await HistoryAsync(app)).Select(h => h.Outcome));
    }

    [Theory, BothDatabases]
    public async Task GroupMappings_BadInputIsAProblem_AndOnlySecurityStaffMayChangeThem(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var empty = await admin.PostAsJsonAsync("/api/v1/sso/group-mappings", new { group = " ", role = (string?)null, branchId = 999999 });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var problem = await empty.Content.ReadFromJsonAsync<JsonElement>();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["branchId", "group", "role"], fields);
        // A role that Steward does not have is refused at the field, naming the allowed values; nothing is stored.
        var unknownRole = await admin.PostAsJsonAsync("/api/v1/sso/group-mappings", new { group = "g0", role = "Boss" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRole.StatusCode);
        var roleProblem = await unknownRole.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["role"], roleProblem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Contains("TeamLead", roleProblem.GetProperty("errors").GetProperty("role")[0].GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Steward.Platform.Identity.Sso.SsoGroupMapping>().CountAsync()));
        await MapAsync(admin, "g1", StaffRole.Agent, null);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/sso/group-mappings", new { group = "G1", role = "Agent" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/sso/group-mappings")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/sso/group-mappings", new { group = "g2", role = "Administrator" })).StatusCode);

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sso/group-mappings");
        var id = Assert.Single(list.EnumerateArray()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/sso/group-mappings/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/sso/group-mappings/{id}")).StatusCode);
        var audit = await app.AuditEntriesAsync("SsoGroupMapping", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, audit.Count); // added, removed
    }
}
