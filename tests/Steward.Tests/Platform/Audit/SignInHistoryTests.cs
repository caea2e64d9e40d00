using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Audit;

/// <summary>Sign-in bookkeeping stays out of the business audit log and goes to the sign-in history (decision 0015).</summary>
public sealed class SignInHistoryTests
{
    [Theory, BothDatabases]
    public async Task SignInAndLanguageSwitch_WriteNoStaffAuditEntry_AndSignInsAreInTheHistory(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);

        await app.ApiClientAsync(agent.Username);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var page = await PageClient.SignInAsync(app, agent.Username);
        Assert.Equal(HttpStatusCode.Redirect, (await page.PostFormAsync("/Account/Culture", new() { ["culture"] = "en", ["returnUrl"] = "/" }, "/")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var wrong = await app.AnonymousClient().PostAsJsonAsync("/api/v1/auth/token", new { username = agent.Username, password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        await app.AnonymousClient().PostAsJsonAsync("/api/v1/auth/token", new { username = "nobody-" + agent.Username, password = "Secret-Passw0rd!" });

        // Only the account's creation is in the business audit log: no "Staff modified" for signing in or switching language.
        var entries = await app.AuditEntriesAsync("Staff", agent.Id.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([AuditAction.Created], entries.Select(e => e.Action));
        Assert.Equal("en", await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == agent.Id).Select(s => s.Culture).SingleAsync()));

        // The history, newest first: the unknown name (not kept), the wrong password, the page sign-in, the API sign-in.
        var history = await (await compliance.GetAsync("/api/v1/audit/sign-ins?limit=4")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var items = history.GetProperty("items").EnumerateArray().Select(i => (
            Staff: i.GetProperty("staffId").ValueKind == JsonValueKind.Null ? (long?)null : i.GetProperty("staffId").GetInt64(),
            Username: i.GetProperty("username").GetString(),
            Outcome: i.GetProperty("outcome").GetString(),
            Channel: i.GetProperty("channel").GetString())).ToList();
        Assert.Equal(
            [
                (null, null, "InvalidCredentials", "api"),
                (agent.Id, agent.Username, "InvalidCredentials", "api"),
                (agent.Id, agent.Username, "Success", "page"),
                (agent.Id, agent.Username, "Success", "api"),
            ],
            items);
        var mine = await (await compliance.GetAsync($"/api/v1/audit/sign-ins?person={agent.Username}&outcome=Success")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("items").GetArrayLength());
        var agentApi = await app.ApiClientAsync(agent.Username);
        await (await agentApi.GetAsync("/api/v1/audit/sign-ins")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory, BothDatabases]
    public async Task Unlock_ByAnAdministrator_IsAudited_WhileTheLockoutItselfIsOnlyInTheHistory(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var (admin, adminApi) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        for (var i = 0; i < 5; i++)
        {
            await app.AnonymousClient().PostAsJsonAsync("/api/v1/auth/token", new { username = agent.Username, password = "wrong-" + i });
        }

        var id = agent.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal([AuditAction.Created], (await app.AuditEntriesAsync("Staff", id)).Select(e => e.Action));
        var outcomes = await app.WithDbAsync(db => db.Set<SignInRecord>().Where(r => r.StaffId == agent.Id).OrderBy(r => r.Id).Select(r => r.Outcome).ToListAsync());
        Assert.Equal([.. Enumerable.Repeat(SignInOutcome.InvalidCredentials, 4), SignInOutcome.LockedOut], outcomes);

        (await adminApi.PostAsync($"/api/v1/staff/{agent.Id}/unlock", null)).EnsureSuccessStatusCode();

        var unlock = Assert.Single(await app.AuditEntriesAsync("Staff", id), e => e.Action == AuditAction.Updated);
        Assert.Equal(admin.Id, unlock.ActorId);
        var after = JsonDocument.Parse(unlock.Changes).RootElement.GetProperty("after");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("locked_until").ValueKind);
    }
}
