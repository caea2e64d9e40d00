using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// One language at a time for calendars and standards (issue 10, item 8): calendars and holidays keep a Chinese and an
/// English name and readers see theirs; standards' messages and the audit log name rules and pause reasons in words.
/// </summary>
public sealed class CalendarNamesTests
{
    private static object Calendar(string name, string nameEn) => new
    {
        name,
        nameEn,
        timeZone = "Asia/Shanghai",
        weeklyPeriods = SlaApi.ShanghaiHours,
        holidays = new object[]
        {
            new { date = "2026-10-01", name = "国庆节", nameEn = "National Day" },
            new { date = "2026-10-02", name = "国庆节" },
            new { date = "2026-10-05", nameEn = "Bank holiday" },
        },
    };

    private static HttpRequestMessage InLanguage(HttpMethod method, string url, string language, object? body = null)
    {
        var request = new HttpRequestMessage(method, url) { Headers = { AcceptLanguage = { new StringWithQualityHeaderValue(language) } } };
        if (body is not null)
        {
            request.Content = JsonContent(body);
        }

        return request;
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, StewardApp.Json), System.Text.Encoding.UTF8, "application/json");

    [Theory, BothDatabases]
    public async Task Api_CalendarAndHolidays_KeepBothNames_AndTheEnglishNameIsRequired(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;

        var created = await SlaApi.CreateCalendarAsync(admin, Calendar("上海营业日历", "Shanghai business calendar"));
        var id = created.GetProperty("id").GetInt64();
        var read = await (await admin.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

        Assert.Equal("上海营业日历", read.GetProperty("name").GetString());
        Assert.Equal("Shanghai business calendar", read.GetProperty("nameEn").GetString());
        var holidays = read.GetProperty("holidays");
        Assert.Equal(("国庆节", "National Day"), (holidays[0].GetProperty("name").GetString(), holidays[0].GetProperty("nameEn").GetString()));
        Assert.Equal(JsonValueKind.Null, holidays[1].GetProperty("nameEn").ValueKind);
        Assert.Equal(JsonValueKind.Null, holidays[2].GetProperty("name").ValueKind);
        Assert.Equal("Bank holiday", holidays[2].GetProperty("nameEn").GetString());
        var listed = await (await admin.GetAsync("/api/v1/calendars")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Shanghai business calendar", listed.EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == id).GetProperty("nameEn").GetString());

        // Like a branch's names: both required; the message is in the caller's language, nothing is stored.
        var missing = await (await admin.SendAsync(InLanguage(HttpMethod.Post, "/api/v1/calendars", "en", new { name = "北京", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours })))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("An English name of 1–200 characters is required.", missing.GetProperty("errors").GetProperty("nameEn")[0].GetString());
        var all = await (await admin.GetAsync("/api/v1/calendars")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, all.GetArrayLength());

        // The contract says so: the request, the calendar and its days carry nameEn.
        var schemas = (await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "CalendarUpdateRequest", "CalendarDto", "CalendarDayDto", "HolidayInput", "CalendarSummaryDto" })
        {
            Assert.True(schemas.GetProperty(schema).GetProperty("properties").TryGetProperty("nameEn", out _), schema);
        }
    }

    [Theory, BothDatabases]
    public async Task Pages_ShowCalendarAndHolidayNamesInTheReadersLanguage_AndTheAddDayFormTakesBoth(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = (await SlaApi.CreateCalendarAsync(admin, Calendar("上海营业日历", "Shanghai business calendar"))).GetProperty("id").GetInt64();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var en = await PageClient.SignInAsync(app, staff.Username, language: "en");
        var zh = await PageClient.SignInAsync(app, staff.Username, language: "zh-CN");
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}");

        var added = await en.SubmitFormAsync(edit, f => f.Posts("AddDay"), new()
        {
            ["date"] = "2026-12-25", ["kind"] = "Holiday", ["dayName"] = "圣诞节", ["dayNameEn"] = "Christmas Day",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var (_, englishList) = await en.GetAsync("/Sla/Calendars");
        var (_, chineseList) = await zh.GetAsync("/Sla/Calendars");
        var (_, englishEdit) = await en.GetAsync(edit);
        var (_, chineseEdit) = await zh.GetAsync(edit);
        Assert.Contains(">Shanghai business calendar</span>", englishList, StringComparison.Ordinal);
        Assert.DoesNotContain("上海营业日历", englishList, StringComparison.Ordinal);
        Assert.Contains(">上海营业日历</span>", chineseList, StringComparison.Ordinal);
        foreach (var name in new[] { "National Day", "Christmas Day", "Bank holiday" })
        {
            Assert.Contains($"data-testid=\"day-name\">{name}</td>", englishEdit, StringComparison.Ordinal);
        }

        Assert.Contains("data-testid=\"day-name\">国庆节</td>", englishEdit, StringComparison.Ordinal); // 2 Oct has only its Chinese name
        Assert.Contains("data-testid=\"day-name\">圣诞节</td>", chineseEdit, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"day-name\">Bank holiday</td>", chineseEdit, StringComparison.Ordinal); // 5 Oct has only its English name
        var christmas = (await (await admin.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .GetProperty("holidays").EnumerateArray().Single(h => h.GetProperty("date").GetString() == "2026-12-25");
        Assert.Equal(("圣诞节", "Christmas Day"), (christmas.GetProperty("name").GetString(), christmas.GetProperty("nameEn").GetString()));

        // The edit form without an English name: the message at the field, in English.
        var refused = await en.SubmitFormAsync(edit, f => f.GetAttribute("data-testid") == "calendar-form", new() { ["Name"] = "上海营业日历", ["NameEn"] = "" });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"nameEn-error\" data-testid=\"field-error\">An English name of 1–200 characters is required.</div>", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task DeadlineExplanation_ForAnEnglishReader_NamesTheHolidayInEnglish(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = (await SlaApi.CreateCalendarAsync(admin, Calendar("上海营业日历", "Shanghai business calendar"))).GetProperty("id").GetInt64();

        // 8 business hours from Wed 30 Sep 2026 16:00: 1.5 h that day, 1 Oct (Thu) and 2 Oct (Fri) holidays, then Mon 5 Oct is one too.
        string SkippedText(JsonElement body, string date) => body.GetProperty("results")[0].GetProperty("steps").EnumerateArray()
            .Single(s => s.GetProperty("code").GetString() == "SkippedHoliday" && s.GetProperty("parameters").GetProperty("date").GetString() == date)
            .GetProperty("text").GetString()!;
        async Task<JsonElement> PreviewAsync(string language) => await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendarId = id, start = "2026-09-30T16:00:00+08:00", targets = new[] { new { name = "8h", amount = 8, unit = "BusinessHours" } }, language,
        })).ShouldBeJsonAsync(HttpStatusCode.OK);

        var english = await PreviewAsync("en");
        var chinese = await PreviewAsync("zh-CN");
        Assert.Equal("2026-10-01 (Thu) is a holiday (National Day) and is not counted.", SkippedText(english, "2026-10-01"));
        Assert.Equal("2026-10-02 (Fri) is a holiday (国庆节) and is not counted.", SkippedText(english, "2026-10-02"));
        Assert.Contains("（国庆节）", SkippedText(chinese, "2026-10-01"), StringComparison.Ordinal);
        Assert.Contains("（Bank holiday）", SkippedText(chinese, "2026-10-05"), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task StandardsValidation_DuplicateRule_NamesTheRuleInTheCallersLanguage(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        var body = new
        {
            version = 1,
            effectiveFrom = "2027-01-01T00:00:00+08:00",
            rules = new[]
            {
                new { caseKind = "Complaint", targetType = "Resolution", amount = 10, unit = "BusinessDays" },
                new { caseKind = "Complaint", targetType = "Resolution", amount = 12, unit = "BusinessDays" },
            },
        };

        var url = $"/api/v1/sla/standards/{id}/versions";
        var english = await (await admin.SendAsync(InLanguage(HttpMethod.Post, url, "en", body))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var chinese = await (await admin.SendAsync(InLanguage(HttpMethod.Post, url, "zh-CN", body))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("Same case kind, priority, customer tier, channel and target type as rule 1 (Complaint / * / * / * · Resolution).",
            english.GetProperty("errors").GetProperty("rules[1]")[0].GetString());
        Assert.Equal("与第 1 条规则的案件类型、优先级、客户等级、渠道和时限类型都相同（投诉 / * / * / * · 解决）。",
            chinese.GetProperty("errors").GetProperty("rules[1]")[0].GetString());
    }

    [Theory, BothDatabases]
    public async Task AuditLog_ShowsAClocksPauseReasonInTheReadersLanguage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id, "一组");
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var officer = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var api = await app.ApiClientAsync(agent.Username);
        var created = await StewardApp.CreateCaseAsync(api, teamId: team.Id);
        var caseId = created.GetProperty("id").GetInt64();
        (await api.PostAsync($"/api/v1/cases/{caseId}/pick", null)).EnsureSuccessStatusCode();
        var version = (await (await api.GetAsync($"/api/v1/cases/{caseId}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        foreach (var action in new[] { "Review", "Start", "WaitOnCustomer" })
        {
            version = (await (await api.PostJsonAsync($"/api/v1/cases/{caseId}/transitions", new { action, version }))
                .ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        }

        var reference = created.GetProperty("reference").GetString()!;
        var enPage = await PageClient.SignInAsync(app, officer.Username, language: "en");
        var zhPage = await PageClient.SignInAsync(app, officer.Username, language: "zh-CN");
        var (_, english) = await enPage.GetAsync($"/Audit?case={reference}&entityType=SlaClockPause");
        var (_, chinese) = await zhPage.GetAsync($"/Audit?case={reference}&entityType=SlaClockPause");

        Assert.Contains(WebUtility.HtmlEncode("Waiting on the customer"), english, StringComparison.Ordinal);
        Assert.Contains("等待客户", chinese, StringComparison.Ordinal);
        Assert.DoesNotContain(">WaitingOnCustomer<", english + chinese, StringComparison.Ordinal);
    }
}
