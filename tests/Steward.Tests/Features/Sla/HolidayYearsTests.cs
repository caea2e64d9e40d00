using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Notifications;
using Steward.Features.Sla;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// Which years a calendar holds holidays for (issue 10): imports mark them, deadlines into other years say so, the
/// calendar pages show them, and administrators are reminded from 1 November when next year's are missing.
/// </summary>
public sealed class HolidayYearsTests
{
    private static async Task<long> ShanghaiWithPrcAsync(HttpClient admin, string name = "上海")
    {
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name, nameEn = name, timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var id = calendar.GetProperty("id").GetInt64();
        var imported = await (await admin.PostJsonAsync($"/api/v1/calendars/{id}/prc-preset", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([2025, 2026], imported.GetProperty("holidayYears").EnumerateArray().Select(y => y.GetInt32()));
        return id;
    }

    [Theory, BothDatabases]
    public async Task Preview_FromTheLastAfternoonOf2026_SaysThat2027HasNoHolidaysUntilTheYearIsConfirmed(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await ShanghaiWithPrcAsync(admin);
        var request = new
        {
            calendarId = id, start = "2026-12-31T16:30:00+08:00", language = "zh-CN",
            targets = new[] { new { amount = 16, unit = "BusinessHours" } },
        };

        // 16:30–17:30 on Thu 12-31 (1 h), Fri 2027-01-01 counted as a working day (7 h), Mon 01-04 (7 h), Tue 01-05 09:00–10:00.
        var preview = await (await admin.PostJsonAsync("/api/v1/sla/preview", request)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var result = preview.GetProperty("results")[0];
        Assert.Equal("2027-01-05T10:00:00+08:00", result.GetProperty("deadline").GetString());
        var warning = result.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "HolidaysNotLoaded");
        Assert.Equal("2027", warning.GetProperty("parameters").GetProperty("year").GetString());
        Assert.StartsWith("日历中没有 2027 年的节假日安排", warning.GetProperty("text").GetString(), StringComparison.Ordinal);

        // The administrator loads 2027 (here: confirms it has nothing more) and the warning goes.
        var calendar = await (await admin.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var confirmed = await (await admin.PutJsonAsync($"/api/v1/calendars/{id}", new
        {
            name = "上海", nameEn = "上海", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, holidayYears = new[] { 2025, 2026, 2027 },
            version = calendar.GetProperty("version").GetInt32(),
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(61, confirmed.GetProperty("holidays").GetArrayLength());
        preview = await (await admin.PostJsonAsync("/api/v1/sla/preview", request)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(preview.GetProperty("results")[0].GetProperty("steps").EnumerateArray(), s => s.GetProperty("code").GetString() == "HolidaysNotLoaded");

        var bad = await (await admin.PutJsonAsync($"/api/v1/calendars/{id}", new
        {
            name = "上海", nameEn = "上海", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, holidayYears = new[] { 1800 }, version = confirmed.GetProperty("version").GetInt32(),
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("holidayYears", out _));
    }

    [Theory, BothDatabases]
    public async Task CalendarPages_ShowTheLoadedYears_AndAYearConfirmedOnTheEditPageCounts(DatabaseProvider provider)
    {
        // The fake clock starts on 2026-11-23: from 1 November the pages ask for 2027.
        var (app, branch, api) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await ShanghaiWithPrcAsync(api);
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var admin = await PageClient.SignInAsync(app, staff.Username);
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}");

        async Task<string> YearsCellAsync() =>
            HtmlForms.Parse((await admin.GetAsync("/Sla/Calendars")).Html).QuerySelector("[data-testid=calendar-years]")!.TextContent.Trim();

        Assert.Matches(@"^2025, 2026\s+缺 2027 年$", await YearsCellAsync());
        var (_, html) = await admin.GetAsync(edit);
        Assert.Contains("日历“上海”尚未载入 2027 年的节假日", html, StringComparison.Ordinal);

        var confirmed = await admin.SubmitFormAsync(edit, f => f.Posts("Year") && f.HasHidden("loaded", "true"), new() { ["year"] = "2027" });
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("2025, 2026, 2027", await YearsCellAsync());

        // Taking 2026 back: the current year is missing now.
        var unconfirmed = await admin.SubmitFormAsync(edit, f => f.Posts("Year") && f.HasHidden("year", "2026"));
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.StatusCode);
        Assert.Matches(@"^2025, 2027\s+缺 2026 年$", await YearsCellAsync());
    }

    [Theory, BothDatabases]
    public async Task HolidayReminder_FromFirstNovemberInEachCalendarsZone_TellsTheAdministratorsOnce(DatabaseProvider provider)
    {
        // 2026-10-31 15:00 UTC is 23:00 in Shanghai (UTC+08:00) and 15:00 in London (GMT since 25 October).
        await using var app = await StewardApp.StartAsync(
            provider, new Dictionary<string, string?> { ["Background:Enabled"] = "false" }, TestClock.Create(new DateTimeOffset(2026, 10, 31, 15, 0, 0, TimeSpan.Zero)));
        var branch = await app.CreateBranchAsync();
        var (first, api) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var second = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var shanghai = await ShanghaiWithPrcAsync(api);
        await SlaApi.CreateCalendarAsync(api, new { name = "London", nameEn = "London", timeZone = "Europe/London", weeklyPeriods = SlaApi.Weekdays("09:00-17:30"), holidayYears = new[] { 2026 } });
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();

        async Task<List<Notification>> RemindersAsync() =>
            await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.Kind == HolidayReminders.Kind).OrderBy(n => n.Id).ToListAsync());

        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 31, 15, 59, 59, TimeSpan.Zero)); // Shanghai 23:59:59 on 31 October
        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        Assert.Empty(await RemindersAsync());

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 31, 16, 0, 0, TimeSpan.Zero)); // Shanghai 00:00 on 1 November; London still 31 October
        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        var told = await RemindersAsync();
        Assert.Equal([first.Id, second.Id], told.Select(n => n.StaffId).Order());
        Assert.All(told, n =>
        {
            Assert.Equal("日历“上海”尚未载入 2027 年的节假日安排，跨入该年的到期时间将按普通工作周计算。请在主管部门公布后（中国：国务院办公厅通知）载入并确认该年。", n.TextZh);
            Assert.StartsWith("Calendar “上海” has no holidays for 2027 yet", n.TextEn, StringComparison.Ordinal);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={shanghai}"), n.Link);
        });

        // Again on this node, and on a second node: nothing more.
        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        await using (var node = app.StartSecondNode())
        {
            Assert.Null((await node.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(HolidayReminders.JobName)).Error);
        }

        Assert.Equal(2, (await RemindersAsync()).Count);

        // Midnight in London: its calendar's turn, once.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        Assert.Null((await host.RunOnceAsync(HolidayReminders.JobName)).Error);
        var all = await RemindersAsync();
        Assert.Equal(4, all.Count);
        Assert.Equal(2, all.Count(n => n.TextEn.StartsWith("Calendar “London” has no holidays for 2027", StringComparison.Ordinal)));
        Assert.DoesNotContain(all, n => n.StaffId == agent.Id);
    }
}
