using System.Net;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// Standards and calendars are cached per node by their version; a change must apply to the very next case.
/// Each test creates a case first (so the cache holds the old content), changes the data, then creates another.
/// </summary>
public sealed partial class SlaClockTests
{
    [Theory, BothDatabases]
    public async Task Create_AfterANewStandardVersionTakesEffect_TheNextCaseUsesItsTargets(DatabaseProvider provider)
    {
        // Monday 2026-11-23 09:00 in Shanghai, built-in hours 09:00–17:30. Seeded: a consultation's first response is
        // 4 business hours → 13:00.
        var w = await StartAsync(provider, Sh(2026, 11, 23, 9));
        await using var app = w.App;
        var (before, _, _) = await CreateCaseAsync(w, "Consultation");
        Assert.Equal(Sh(2026, 11, 23, 13), Due(Clock(await SlaAsync(w.AgentClient, before), "FirstResponse")));

        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new
        {
            version = 1,
            effectiveFrom = "2026-11-23T09:00:00+08:00",
            changeNote = "faster first response",
            rules = new[] { new { caseKind = (string?)null, priority = (string?)null, customerTier = (string?)null, channel = (string?)null, targetType = "FirstResponse", amount = 2, unit = "BusinessHours" } },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);

        // Version 2 is in force from now: 09:00 + 2 business hours = 11:00; the earlier case keeps 13:00.
        var (after, _, _) = await CreateCaseAsync(w, "Consultation");
        Assert.Equal(Sh(2026, 11, 23, 11), Due(Clock(await SlaAsync(w.AgentClient, after), "FirstResponse")));
        Assert.Equal(Sh(2026, 11, 23, 13), Due(Clock(await SlaAsync(w.AgentClient, before), "FirstResponse")));
    }

    [Theory, BothDatabases]
    public async Task Create_AfterTheBranchGetsACalendarAndItChanges_TheNextCaseUsesIt(DatabaseProvider provider)
    {
        // Monday 2026-11-23 09:00 in Shanghai; a consultation's first response is 4 business hours.
        var w = await StartAsync(provider, Sh(2026, 11, 23, 9));
        await using var app = w.App;
        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        var (fallback, _, _) = await CreateCaseAsync(w, "Consultation");
        // Built-in hours 09:00–17:30: 13:00.
        Assert.Equal(Sh(2026, 11, 23, 13), Due(Clock(await SlaAsync(w.AgentClient, fallback), "FirstResponse")));

        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "午休", nameEn = "午休", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var calendarId = calendar.GetProperty("id").GetInt64();
        await (await admin.PutJsonAsync($"/api/v1/calendars/branches/{w.Branch.Id}", new { calendarId })).ShouldBeJsonAsync(HttpStatusCode.OK);

        // 09:00–12:00 is 3 hours, the 4th is 13:30–14:30.
        var (lunch, _, _) = await CreateCaseAsync(w, "Consultation");
        Assert.Equal(Sh(2026, 11, 23, 14, 30), Due(Clock(await SlaAsync(w.AgentClient, lunch), "FirstResponse")));

        // Same calendar, new hours (its version moves on): 08:00–10:00 and 14:00–18:00 → 09:00–10:00 is 1 hour, 14:00–17:00 the other 3.
        await (await admin.PutJsonAsync($"/api/v1/calendars/{calendarId}", new
        {
            name = "午休", nameEn = "午休", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.Weekdays("08:00-10:00", "14:00-18:00"), version = calendar.GetProperty("version").GetInt32(),
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var (changed, _, _) = await CreateCaseAsync(w, "Consultation");
        Assert.Equal(Sh(2026, 11, 23, 17), Due(Clock(await SlaAsync(w.AgentClient, changed), "FirstResponse")));
    }
}
