using System.Net;
using System.Text;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Calendars as data: iCalendar round trip, versions, branch calendars, bad input.</summary>
public sealed class CalendarsApiTests
{
    [Theory, BothDatabases]
    public async Task ICalendar_ExportedFromOneCalendarAndImportedIntoAnother_GivesTheSameDays(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var source = await SlaApi.CreateCalendarAsync(admin, new
        {
            name = "Source",
            nameEn = "Source",
            timeZone = "Asia/Shanghai",
            weeklyPeriods = SlaApi.ShanghaiHours,
            holidays = new[] { new { date = "2026-10-01", name = (string?)"国庆节, National Day" }, new { date = "2026-10-02", name = (string?)"国庆节, National Day" }, new { date = "2026-12-25", name = (string?)null } },
            makeUpWorkingDays = new[] { new { date = "2026-10-10", worksLike = "Friday", name = "调休上班" } },
        });
        var export = await admin.GetAsync($"/api/v1/calendars/{source.GetProperty("id").GetInt64()}/holidays.ics");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("text/calendar", export.Content.Headers.ContentType?.MediaType);
        var ics = await export.Content.ReadAsStringAsync();
        Assert.Contains("DTEND;VALUE=DATE:20261003\r\nDTSTAMP:", ics, StringComparison.Ordinal); // properties in alphabetical order
        Assert.Contains("\r\nDTSTART;VALUE=DATE:20261001\r\n", ics, StringComparison.Ordinal);
        Assert.Contains("SUMMARY:国庆节\\, National Day", ics, StringComparison.Ordinal);
        Assert.Contains("X-STEWARD-WORKS-LIKE:FR", ics, StringComparison.Ordinal);

        var target = await SlaApi.CreateCalendarAsync(admin, new { name = "Target", nameEn = "Target", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var targetId = target.GetProperty("id").GetInt64();
        var upload = await admin.PostAsync($"/api/v1/calendars/{targetId}/holidays?version=1", new StringContent(ics, Encoding.UTF8, "text/calendar"));
        var imported = await upload.ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal(source.GetProperty("holidays").ToString(), imported.GetProperty("holidays").ToString());
        Assert.Equal(source.GetProperty("makeUpWorkingDays").ToString(), imported.GetProperty("makeUpWorkingDays").ToString());
        Assert.Equal(2, imported.GetProperty("version").GetInt32());

        // The same upload again on the old version is refused.
        var stale = await admin.PostAsync($"/api/v1/calendars/{targetId}/holidays?version=1", new StringContent(ics, Encoding.UTF8, "text/calendar"));
        await stale.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var broken = await admin.PostAsync($"/api/v1/calendars/{targetId}/holidays", new StringContent("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", Encoding.UTF8, "text/calendar"));
        var problem = await broken.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("iCalendar 文件第 3 行：DTSTART 的日期“2026”无效（应为 YYYYMMDD）。", problem.GetProperty("errors").GetProperty("file")[0].GetString());
        using var english = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/calendars/{targetId}/holidays")
        {
            Content = new StringContent("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", Encoding.UTF8, "text/calendar"),
            Headers = { AcceptLanguage = { new System.Net.Http.Headers.StringWithQualityHeaderValue("en") } },
        };
        var problemInEnglish = await (await admin.SendAsync(english)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("iCalendar line 3: DTSTART has an invalid date '2026' (expected YYYYMMDD).", problemInEnglish.GetProperty("errors").GetProperty("file")[0].GetString());
    }

    [Theory, BothDatabases]
    public async Task UpdateCalendar_WithStaleVersion_Returns409AndBadHoursReturn400(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "Cal", nameEn = "Cal", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var id = calendar.GetProperty("id").GetInt64();
        Assert.True(calendar.GetProperty("isDefault").GetBoolean(), "the first calendar becomes the default");

        var updated = await (await admin.PutJsonAsync($"/api/v1/calendars/{id}", new { name = "Cal", nameEn = "Cal", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.Weekdays("08:30-17:00"), version = 1 }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["08:30-17:00"], SlaApi.Strings(updated.GetProperty("weeklyPeriods").GetProperty("Monday")));
        Assert.Empty(updated.GetProperty("weeklyPeriods").GetProperty("Saturday").EnumerateArray());
        await (await admin.PutJsonAsync($"/api/v1/calendars/{id}", new { name = "Cal", nameEn = "Cal", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, version = 1 }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var bad = await (await admin.PutJsonAsync($"/api/v1/calendars/{id}", new
        {
            name = "",
            timeZone = "Asia/Shanghai",
            weeklyPeriods = new Dictionary<string, string[]> { ["Funday"] = ["09:00-17:00"], ["Tuesday"] = ["17:00-09:00"] },
            version = 2,
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("weeklyPeriods.Funday", out _));
        Assert.True(errors.TryGetProperty("weeklyPeriods.Tuesday", out _));
        var unchanged = await (await admin.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, unchanged.GetProperty("version").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task BranchCalendar_OwnCalendarOrElseTheInstitutionDefault(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var other = await app.CreateBranchAsync("LDN", "Europe/London");
        var shanghai = await SlaApi.CreateCalendarAsync(admin, new { name = "Shanghai", nameEn = "Shanghai", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var london = await SlaApi.CreateCalendarAsync(admin, new { name = "London", nameEn = "London", timeZone = "Europe/London", weeklyPeriods = SlaApi.Weekdays("09:00-17:30") });
        Assert.False(london.GetProperty("isDefault").GetBoolean());

        var mapped = await (await admin.PutJsonAsync($"/api/v1/calendars/branches/{other.Id}", new { calendarId = london.GetProperty("id").GetInt64() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(london.GetProperty("id").GetInt64(), mapped.GetProperty("effectiveCalendarId").GetInt64());

        var all = await (await admin.GetAsync("/api/v1/calendars/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var home = all.EnumerateArray().Single(b => b.GetProperty("branchId").GetInt64() == branch.Id);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, home.GetProperty("calendarId").ValueKind);
        Assert.Equal(shanghai.GetProperty("id").GetInt64(), home.GetProperty("effectiveCalendarId").GetInt64());

        var snapshot = await app.WithDbAsync(async db =>
        {
            var service = new Steward.Features.Sla.Calendars.CalendarService(db, new Steward.Features.Sla.Calendars.BusinessCalendarCache(), app.Clock);
            return (await service.GetForBranchAsync(other.Id), await service.GetForBranchAsync(branch.Id));
        });
        Assert.Equal("Europe/London", snapshot.Item1!.Calendar.Zone.Id);
        Assert.Equal("Asia/Shanghai", snapshot.Item2!.Calendar.Zone.Id);
    }
}
