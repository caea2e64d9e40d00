using System.Net;
using System.Text.Json;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// POST /api/v1/sla/preview. Expected instants are worked out by hand in the comments; the calendars use
/// Mon–Fri 09:00–12:00 + 13:30–17:30 (7 working hours a day) unless said otherwise.
/// </summary>
public sealed class DeadlinePreviewApiTests
{
    /// <summary>National Day 2026: 1–7 Oct off (Thu–Wed), Sat 10 Oct a make-up working day (works like Monday).</summary>
    private static object NationalDayCalendar() => new
    {
        timeZone = "Asia/Shanghai",
        weeklyPeriods = SlaApi.ShanghaiHours,
        holidays = Enumerable.Range(1, 7).Select(d => new { date = $"2026-10-0{d}", name = "国庆节" }),
        makeUpWorkingDays = new[] { new { date = "2026-10-10", worksLike = "Monday", name = "国庆节调休上班" } },
    };

    [Theory, BothDatabases]
    public async Task Preview_InlineCalendarAcrossNationalDay_ReturnsHandWorkedDeadlinesWarningsAndSteps(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;

        var response = await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendar = NationalDayCalendar(),
            start = "2026-09-30T16:00:00+08:00",
            targets = new object[]
            {
                new { name = "16h", amount = 16, unit = "BusinessHours" },
                new { name = "5d", amount = 5, unit = "CalendarDays", rollForward = true, clock = "Calendar" },
                new { name = "3bd", amount = 3, unit = "BusinessDays" },
            },
            language = "en",
        });
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Asia/Shanghai", body.GetProperty("timeZone").GetString());
        Assert.Equal("2026-09-30T16:00:00+08:00", body.GetProperty("start").GetString());
        var results = body.GetProperty("results");

        // 16 business hours from Wed 30 Sep 16:00: 30 Sep 16:00–17:30 = 1.5 h; 1–7 Oct holidays; Thu 8 Oct 7 h (8.5);
        // Fri 9 Oct 7 h (15.5); Sat 10 Oct (make-up, Monday hours) 09:00–09:30 → 16 h.
        var hours = results[0];
        Assert.Equal("Scheduled", hours.GetProperty("status").GetString());
        Assert.Equal("2026-10-10T09:30:00+08:00", hours.GetProperty("deadline").GetString());
        Assert.Equal(16 * 60, hours.GetProperty("budgetMinutes").GetInt64());
        // 75% = 12 h: 8.5 h by the end of 8 Oct, then 3 h (09:00–12:00) + 0.5 h (13:30–14:00) on 9 Oct.
        // 90% = 14 h 24 min: 8.5 h + 3 h + 2 h 54 min from 13:30 → 16:24 on 9 Oct.
        var warnings = hours.GetProperty("warnings");
        Assert.Equal(75m, warnings[0].GetProperty("percent").GetDecimal());
        Assert.Equal("2026-10-09T14:00:00+08:00", warnings[0].GetProperty("at").GetString());
        Assert.Equal("2026-10-09T16:24:00+08:00", warnings[1].GetProperty("at").GetString());
        var codes = hours.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("code").GetString()).ToList();
        Assert.Equal(7, codes.Count(c => c == "SkippedHoliday"));
        Assert.Equal(["MadeUpWorkingDay", "DeadlineReached"], codes.TakeLast(2));
        var madeUp = hours.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "MadeUpWorkingDay");
        Assert.Equal("2026-10-10", madeUp.GetProperty("parameters").GetProperty("date").GetString());
        Assert.Equal("2026-10-10 (Sat) is a make-up working day (国庆节调休上班) and counts with Mon's working hours.", madeUp.GetProperty("text").GetString());

        // 5 calendar days: receipt 30 Sep not counted, day 5 = 5 Oct, a holiday; rolled forward past 6 and 7 Oct to
        // Thu 8 Oct, ending at 24:00 = 9 Oct 00:00.
        var days = results[1];
        Assert.Equal("2026-10-09T00:00:00+08:00", days.GetProperty("deadline").GetString());
        var rolled = days.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "RolledForward");
        Assert.Equal("2026-10-05", rolled.GetProperty("parameters").GetProperty("from").GetString());
        Assert.Equal("2026-10-08", rolled.GetProperty("parameters").GetProperty("to").GetString());
        Assert.Contains("Civil Code art. 203", rolled.GetProperty("text").GetString(), StringComparison.Ordinal);

        // 3 business days after 30 Sep: 8 Oct (1), 9 Oct (2), 10 Oct make-up (3); close of business 17:30.
        Assert.Equal("2026-10-10T17:30:00+08:00", results[2].GetProperty("deadline").GetString());
    }

    [Theory, BothDatabases]
    public async Task Preview_WithClosedAndOpenPauses_MovesTheDeadlineOrReportsPaused(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;

        // 8 business hours from Thu 8 Oct 09:00, paused 10:00–14:00 (2 h + 0.5 h of working time excluded):
        // 09:00–10:00 = 1 h, 14:00–17:30 = 3.5 h (4.5), Fri 9 Oct 09:00–12:00 = 3 h (7.5), 13:30–14:00 → 8 h.
        var closed = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendar = NationalDayCalendar(),
            start = "2026-10-08T09:00:00+08:00",
            targets = new[] { new { amount = 8, unit = "BusinessHours" } },
            pauses = new[] { new { from = "2026-10-08T10:00:00+08:00", to = "2026-10-08T14:00:00+08:00" } },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var result = closed.GetProperty("results")[0];
        Assert.Equal("2026-10-09T14:00:00+08:00", result.GetProperty("deadline").GetString());
        var pause = result.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("code").GetString() == "PauseExcluded");
        Assert.Equal("0:02:30:00", pause.GetProperty("parameters").GetProperty("excluded").GetString());

        var open = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendar = NationalDayCalendar(),
            start = "2026-10-08T09:00:00+08:00",
            targets = new[] { new { amount = 8, unit = "BusinessHours" } },
            pauses = new[] { new { from = "2026-10-08T10:00:00+08:00", to = (string?)null } },
            language = "zh-CN",
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var paused = open.GetProperty("results")[0];
        Assert.Equal("Paused", paused.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, paused.GetProperty("deadline").ValueKind);
        Assert.Equal("2026-10-08T10:00:00+08:00", paused.GetProperty("pausedSince").GetString());
        Assert.Equal("自 2026-10-08 10:00（周四） 起暂停计时，尚未恢复：已用 1 小时，剩余 7 小时；恢复计时前没有到期时间。",
            paused.GetProperty("steps").EnumerateArray().Last().GetProperty("text").GetString());
    }

    [Theory, BothDatabases]
    public async Task Preview_StoredCalendarWithPrcPresetImported_RollsForwardOverNationalDay(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "上海 9-17", nameEn = "上海 9-17", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.Weekdays("09:00-17:00") });
        var id = calendar.GetProperty("id").GetInt64();
        var imported = await (await admin.PostJsonAsync($"/api/v1/calendars/{id}/prc-preset", new { years = new[] { 2025, 2026 }, version = 1 }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        // 2025: 28 days off, 5 make-up days; 2026: 33 days off, 6 make-up days (State Council notices).
        Assert.Equal(61, imported.GetProperty("holidays").GetArrayLength());
        Assert.Equal(11, imported.GetProperty("makeUpWorkingDays").GetArrayLength());
        Assert.Equal(2, imported.GetProperty("version").GetInt32());

        var body = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendarId = id,
            start = "2026-09-16T10:00:00+08:00",
            targets = new object[]
            {
                new { amount = 15, unit = "CalendarDays", rollForward = true },
                new { amount = 10, unit = "BusinessDays" },
            },
            language = "zh-CN",
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, body.GetProperty("calendarId").GetInt64());
        Assert.Equal(2, body.GetProperty("calendarVersion").GetInt32());

        // 15 days after Wed 16 Sep is Thu 1 Oct (National Day); 2–7 Oct are off too; Thu 8 Oct is worked → ends 9 Oct 00:00.
        var prc = body.GetProperty("results")[0];
        Assert.Equal("2026-10-09T00:00:00+08:00", prc.GetProperty("deadline").GetString());
        Assert.Contains(prc.GetProperty("steps").EnumerateArray(), s => s.GetProperty("text").GetString() ==
            "期限最后一日 2026-10-01（周四） 不是工作日，顺延至下一个工作日 2026-10-08（周四）（《民法典》第二百零三条）。");

        // Business days after 16 Sep: 17 (1), 18 (2), Sun 20 make-up (3), 21–24 (4–7), 25–27 Mid-Autumn off,
        // 28 (8), 29 (9), 30 (10) → close of business Wed 30 Sep 17:00.
        Assert.Equal("2026-09-30T17:00:00+08:00", body.GetProperty("results")[1].GetProperty("deadline").GetString());
    }

    [Theory, BothDatabases]
    public async Task Preview_WithBadInput_Returns400NamingEachField(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;

        var problem = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendar = new
            {
                timeZone = "Mars/Olympus",
                weeklyPeriods = new Dictionary<string, string[]> { ["Monday"] = ["09:00-12:00", "11:00-13:00"] },
            },
            start = "2026-10-08T09:00:00+08:00",
            targets = new[] { new { amount = 8, unit = "Fortnights" } },
            pauses = new[] { new { from = "2026-10-08T12:00:00+08:00", to = "2026-10-08T10:00:00+08:00" } },
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("calendar.timeZone", out _), "unknown zone");
        Assert.True(errors.TryGetProperty("calendar.weeklyPeriods.Monday", out _), "overlapping periods");
        Assert.True(errors.TryGetProperty("targets[0].unit", out _), "unknown unit");
        Assert.True(errors.TryGetProperty("pauses[0].to", out _), "end before start");

        var missing = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendarId = 999_999,
            start = "2026-10-08 09:00",
            targets = new[] { new { amount = 0, unit = "BusinessHours", rollForward = true } },
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var fields = missing.GetProperty("errors");
        Assert.True(fields.TryGetProperty("calendarId", out _));
        Assert.True(fields.TryGetProperty("start", out _));
        Assert.True(fields.TryGetProperty("targets[0].amount", out _));
        Assert.True(fields.TryGetProperty("targets[0].rollForward", out _));
    }

    [Theory, BothDatabases]
    public async Task Preview_InstantsOutsideTheBusinessYears_Are400NamingTheField(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        object Body(string start, string? pauseFrom = null) => new
        {
            calendar = new { timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours },
            start,
            targets = new[] { new { amount = 2, unit = "BusinessDays" } },
            pauses = pauseFrom is null ? null : new[] { new { from = pauseFrom, to = (string?)null } },
        };

        // The edges of DateTimeOffset: these local times have no UTC instant (10000-01-01T13:59:59Z, 0000-12-31T10:00:00Z).
        foreach (var start in new[] { "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2201-01-01T00:00:00+08:00", "1899-12-31T23:59:59+08:00" })
        {
            var problem = await (await admin.PostJsonAsync("/api/v1/sla/preview", Body(start))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("1900 至 2200", problem.GetProperty("errors").GetProperty("start")[0].GetString(), StringComparison.Ordinal);
        }

        var pause = await (await admin.PostJsonAsync("/api/v1/sla/preview", Body("2026-10-08T09:00:00+08:00", "9999-12-31T23:59:59-14:00")))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(pause.GetProperty("errors").TryGetProperty("pauses[0].from", out _));

        // The last day of the range is accepted.
        var last = await (await admin.PostJsonAsync("/api/v1/sla/preview", Body("2200-12-31T09:00:00+08:00"))).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Scheduled", last.GetProperty("results")[0].GetProperty("status").GetString());
    }
}
