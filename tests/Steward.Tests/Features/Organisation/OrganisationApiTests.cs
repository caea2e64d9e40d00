using System.Net;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Organisation;

public sealed class OrganisationApiTests
{
    [Theory, BothDatabases]
    public async Task CreateBranch_WithBadInput_Returns400WithEveryFieldAndStoresNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var home = await app.CreateBranchAsync("HOME");
        var (_, admin) = await app.SignInAsync(home.Id, StaffRole.Administrator);

        var problem = await (await admin.PostJsonAsync("/api/v1/branches", new { code = "HOME", name = "", nameEn = "X", timeZone = "Mars/Olympus" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("code", out _), "duplicate code");
        Assert.True(errors.TryGetProperty("name", out _), "missing name");
        Assert.True(errors.TryGetProperty("timeZone", out _), "unknown zone");
        var branches = await (await admin.GetAsync("/api/v1/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, branches.GetArrayLength());
    }

    [Theory, BothDatabases]
    public async Task UpdateBranch_WithStaleVersion_Returns409AndKeepsTheFirstChange(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync("CONC");
        var (_, first) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, second) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var ok = await first.PutJsonAsync($"/api/v1/branches/{branch.Id}", new { code = "CONC", name = "第一次修改", nameEn = "First", timeZone = "Asia/Shanghai", isActive = true, version = 1 });
        var updated = await ok.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, updated.GetProperty("version").GetInt32());

        var stale = await second.PutJsonAsync($"/api/v1/branches/{branch.Id}", new { code = "CONC", name = "第二次修改", nameEn = "Second", timeZone = "Asia/Shanghai", isActive = true, version = 1 });
        var problem = await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-version", problem.GetProperty("code").GetString());

        var now = await (await first.GetAsync("/api/v1/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("第一次修改", now[0].GetProperty("name").GetString());
    }

    [Theory, BothDatabases]
    public async Task Branches_ForBranchScopedRole_ListsOnlyTheirOwn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var a = await app.CreateBranchAsync("A");
        await app.CreateBranchAsync("B");
        var (_, agent) = await app.SignInAsync(a.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(a.Id, StaffRole.Compliance);

        var mine = await (await agent.GetAsync("/api/v1/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["A"], mine.EnumerateArray().Select(b => b.GetProperty("code").GetString()));
        var all = await (await compliance.GetAsync("/api/v1/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["A", "B"], all.EnumerateArray().Select(b => b.GetProperty("code").GetString()));
    }

    [Theory, BothDatabases]
    public async Task CreateStaff_WithWeakPassword_IsRefused_AndWithGoodOne_CanSignIn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var weak = await (await admin.PostJsonAsync("/api/v1/staff", new { username = "li.na", displayName = "李娜", homeBranchId = branch.Id, roles = new[] { "Agent" }, password = "short" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(weak.GetProperty("errors").TryGetProperty("password", out _));

        var created = await (await admin.PostJsonAsync("/api/v1/staff", new { username = "li.na", displayName = "李娜", homeBranchId = branch.Id, roles = new[] { "Agent", "TeamLead" }, password = "Lina-Counter-2026" }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["Agent", "TeamLead"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        var client = await app.ApiClientAsync("li.na", "Lina-Counter-2026");
        var me = await (await client.GetAsync("/api/v1/me")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Contains("CasesAssign", me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory, BothDatabases]
    public async Task MalformedJson_GetsAProblemDetailsBody(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        var response = await admin.PostAsync("/api/v1/branches", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
