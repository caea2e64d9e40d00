using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

/// <summary>
/// Sessions per user (issue 18, docs/decisions/0045): each browser sign-in and each API token is a session; the person lists
/// and revokes their own, an administrator anyone's; a revoked session's cookie or token is refused at its next request;
/// each start and revocation is in the audit chain.
/// </summary>
public sealed class StaffSessionsTests
{
    private static async Task<List<JsonElement>> SessionsAsync(HttpClient client, string url)
    {
        var list = await client.GetFromJsonAsync<JsonElement>(url);
        return list.GetProperty("sessions").EnumerateArray().ToList();
    }

    [Theory, BothDatabases]
    public async Task OwnSessions_AreListed_AndARevokedOneIsRefusedAtItsNextRequest(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var dana = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var laptop = await PageClient.SignInAsync(app, dana.Username);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var phone = await PageClient.SignInAsync(app, dana.Username);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var api = await app.ApiClientAsync(dana.Username);

        // Three sessions, newest first: the token (this request's own), the phone, the laptop.
        var mine = await SessionsAsync(api, "/api/v1/me/sessions");
        Assert.Equal(["ApiToken", "Password", "Password"], mine.Select(s => s.GetProperty("method").GetString()));
        Assert.Equal([true, false, false], mine.Select(s => s.GetProperty("current").GetBoolean()));
        Assert.Equal(TestClock.DefaultStart, mine[2].GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(TestClock.DefaultStart.AddMinutes(5), mine[1].GetProperty("startedAt").GetDateTimeOffset());
        var laptopSession = mine[2].GetProperty("id").GetInt64();
        var phoneSession = mine[1].GetProperty("id").GetInt64();

        // The page lists them too, the laptop's own marked as this one.
        var (status, html) = await laptop.GetAsync("/Account/Sessions");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, html.Split("data-testid=\"session\"").Length - 1);
        Assert.Contains($"data-session=\"{laptopSession}\"", html);
        Assert.Single(html.Split("data-testid=\"session-current\"").Skip(1));

        // Last seen moves with use (at most once a minute): the laptop was used just now, ten minutes after it started.
        var seen = await app.WithDbAsync(db => db.Set<StaffSession>().AsNoTracking().SingleAsync(s => s.Id == laptopSession));
        Assert.Equal(TestClock.DefaultStart.AddMinutes(10), seen.LastSeenAt);

        // From the laptop dana revokes the phone: the phone's next request is refused, the laptop still works.
        var revoke = await laptop.PostFormAsync("/Account/Sessions?handler=Revoke", new() { ["sessionId"] = phoneSession.ToString(CultureInfo.InvariantCulture) }, "/Account/Sessions");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Contains("data-testid=\"session-revoked\"", await revoke.Content.ReadAsStringAsync());
        var refused = await phone.Http.GetAsync("/Account/Sessions");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("/Account/SignIn", refused.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, (await laptop.Http.GetAsync("/Account/Sessions")).StatusCode);

        // The token revokes itself through the API: its next call is refused.
        var tokenSession = mine[0].GetProperty("id").GetInt64();
        var revoked = await api.DeleteAsync($"/api/v1/me/sessions/{tokenSession}");
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v1/me/sessions")).StatusCode);
        Assert.Equal(1, (await SessionsAsync(await app.ApiClientAsync(dana.Username), "/api/v1/me/sessions")).Count(s => s.GetProperty("method").GetString() == "Password"));

        // Signing out ends the session: it is no longer listed.
        var signOut = await laptop.PostFormAsync("/Account/SignOut", [], "/Account/Sessions");
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        var left = await SessionsAsync(await app.ApiClientAsync(dana.Username), "/api/v1/me/sessions");
        Assert.DoesNotContain(left, s => s.GetProperty("id").GetInt64() == laptopSession);

        // Audited: the phone's session started and revoked by dana herself.
        var audit = await app.AuditEntriesAsync("StaffSession", phoneSession.ToString(CultureInfo.InvariantCulture));
        Assert.Equal([AuditAction.Created, AuditAction.Updated], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(dana.Id, e.ActorId));
        Assert.Contains("revoked_at", audit[1].Changes);
        var phoneKey = await app.WithDbAsync(db => db.Set<StaffSession>().Where(s => s.Id == phoneSession).Select(s => s.Key).SingleAsync());
        Assert.DoesNotContain(phoneKey, audit[0].Changes, StringComparison.OrdinalIgnoreCase); // the key is never written out
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task AnotherPersonsSessions_AreListedAndRevokedOnlyByAnAdministrator(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var erin = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var erinBrowser = await PageClient.SignInAsync(app, erin.Username);
        var (colleagueStaff, colleague) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var (adminStaff, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var erinSession = await app.WithDbAsync(db => db.Set<StaffSession>().Where(s => s.StaffId == erin.Id).Select(s => s.Id).SingleAsync());

        // A colleague or a team lead may neither list nor revoke erin's sessions, by either route.
        foreach (var other in new[] { colleague, lead })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/v1/staff/{erin.Id}/sessions")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.DeleteAsync($"/api/v1/staff/{erin.Id}/sessions/{erinSession}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/v1/me/sessions/{erinSession}")).StatusCode);
        }

        var colleaguePage = await PageClient.SignInAsync(app, colleagueStaff.Username);
        Assert.Equal(HttpStatusCode.NotFound, (await colleaguePage.GetAsync($"/Account/Sessions/{erin.Id}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await erinBrowser.Http.GetAsync("/Account/Sessions")).StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Set<StaffSession>().Where(s => s.Id == erinSession).Select(s => s.RevokedAt).SingleAsync()));

        // The administrator lists them (API and page) and revokes the browser's: erin's next request is refused.
        var listed = Assert.Single(await SessionsAsync(admin, $"/api/v1/staff/{erin.Id}/sessions"));
        Assert.Equal(erinSession, listed.GetProperty("id").GetInt64());
        Assert.False(listed.GetProperty("current").GetBoolean());
        var adminPage = await PageClient.SignInAsync(app, adminStaff.Username);
        var (status, html) = await adminPage.GetAsync($"/Account/Sessions/{erin.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(erin.Username, html);
        Assert.Contains($"data-session=\"{erinSession}\"", html);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/staff/{erin.Id}/sessions/{erinSession}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await erinBrowser.Http.GetAsync("/Account/Sessions")).StatusCode);
        Assert.Empty(await SessionsAsync(admin, $"/api/v1/staff/{erin.Id}/sessions"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/staff/{erin.Id}/sessions/999999")).StatusCode);

        // The revocation is audited with the administrator as actor, and says who revoked it.
        var revocation = (await app.AuditEntriesAsync("StaffSession", erinSession.ToString(CultureInfo.InvariantCulture))).Last();
        Assert.Equal((AuditAction.Updated, adminStaff.Id), (revocation.Action, revocation.ActorId));
        Assert.Contains("revoked_by_id", revocation.Changes);
    }
}
