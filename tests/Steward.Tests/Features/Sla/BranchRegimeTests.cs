using System.Globalization;
using System.Net;
using System.Text.Json;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// A branch's own regulatory regime (issue 10, decision 0016): the institution follows the PRC complaint rules, its
/// London branch the FCA's DISP, and each complaint gets its branch's regulator's deadline.
/// </summary>
public sealed class BranchRegimeTests
{
    private sealed record World(StewardApp App, Branch Shanghai, Branch London, HttpClient Admin, long PrcId, long FcaId);

    private static async Task<World> StartAsync(DatabaseProvider provider, DateTimeOffset now)
    {
        var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(now));
        var shanghai = await app.CreateBranchAsync("SH01", "Asia/Shanghai");
        var london = await app.CreateBranchAsync("LN01", "Europe/London");
        var (_, admin) = await app.SignInAsync(shanghai.Id, StaffRole.Administrator);
        await SlaApi.CreateCalendarAsync(admin, new { name = "Shanghai", nameEn = "Shanghai", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, isDefault = true });
        var londonCalendar = await SlaApi.CreateCalendarAsync(admin, new { name = "London", nameEn = "London", timeZone = "Europe/London", weeklyPeriods = SlaApi.Weekdays("09:00-17:30") });
        await (await admin.PutJsonAsync($"/api/v1/calendars/branches/{london.Id}", new { calendarId = londonCalendar.GetProperty("id").GetInt64() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var prc = await SlaApi.StandardIdAsync(admin, "CN-CBIRC-2020-3");
        var fca = await SlaApi.StandardIdAsync(admin, "UK-FCA-DISP");
        await (await admin.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = prc })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return new World(app, shanghai, london, admin, prc, fca);
    }

    private static Task<HttpResponseMessage> PutBranchAsync(HttpClient admin, Branch branch, int version, long? regime) =>
        admin.PutJsonAsync($"/api/v1/branches/{branch.Id}", new
        {
            code = branch.Code, name = branch.Name, nameEn = branch.NameEn, timeZone = branch.TimeZone, isActive = true, version, regulatoryStandardId = regime,
        });

    private static async Task<JsonElement> RegulatoryResolutionAsync(StewardApp app, Branch branch)
    {
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent, "理财产品收益与宣传不符", "购买时宣传年化 4%，实际只有 2%。", kind: "Complaint", branchId: branch.Id);
        var sla = await (await agent.GetAsync($"/api/v1/cases/{created.GetProperty("id").GetInt64()}/sla")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return sla.GetProperty("clocks").EnumerateArray()
            .Single(c => c.GetProperty("targetType").GetString() == "Resolution" && c.GetProperty("layer").GetString() == "Regulatory");
    }

    [Theory, BothDatabases]
    public async Task Complaint_AtLondonBranchWithFcaRegime_GetsTheEightWeekFinalResponse_ShanghaiThePrcFifteenDays(DatabaseProvider provider)
    {
        // Both complaints arrive at 2026-03-02 10:00 UTC: Monday 10:00 GMT in London, Monday 18:00 in Shanghai (+08:00).
        var w = await StartAsync(provider, new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var app = w.App;
        var saved = await (await PutBranchAsync(w.Admin, w.London, 1, w.FcaId)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(w.FcaId, saved.GetProperty("regulatoryStandardId").GetInt64());

        // DISP 1.6.2R as the preset encodes it: 56 calendar days, the day of receipt not counted, no roll-forward.
        // Day 56 after Mon 2 March is Mon 27 April 2026 (29 days to 31 March, 27 more); the period ends at 24:00 London
        // time, which is BST by then (clocks went forward on 29 March): 2026-04-27 24:00 +01:00 = 2026-04-27T23:00Z.
        var london = await RegulatoryResolutionAsync(app, w.London);
        Assert.Equal("UK-FCA-DISP", london.GetProperty("standard").GetProperty("code").GetString());
        Assert.Equal(new DateTimeOffset(2026, 4, 27, 23, 0, 0, TimeSpan.Zero), london.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("2026-04-28T00:00:00+01:00", london.GetProperty("dueLocal").GetString());

        // PRC (the institution's): 15 days from Mon 2 March, receipt day not counted: Tue 17 March, a working day, so the
        // period ends at 24:00 Shanghai time: 2026-03-18 00:00 +08:00 = 2026-03-17T16:00Z.
        var shanghai = await RegulatoryResolutionAsync(app, w.Shanghai);
        Assert.Equal("CN-CBIRC-2020-3", shanghai.GetProperty("standard").GetProperty("code").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 16, 0, 0, TimeSpan.Zero), shanghai.GetProperty("dueAt").GetDateTimeOffset());

        // The resolver says the same for each branch, and refuses a branch that does not exist.
        var resolved = await (await w.Admin.GetAsync($"/api/v1/sla/standards/resolve?kind=Complaint&priority=High&tier=Standard&channel=Counter&branchId={w.London.Id}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("56 CalendarDays", SlaApi.Describe(SlaApi.Target(resolved, "Resolution", "Regulatory")));
        resolved = await (await w.Admin.GetAsync($"/api/v1/sla/standards/resolve?kind=Complaint&priority=High&tier=Standard&channel=Counter&branchId={w.Shanghai.Id}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("15 CalendarDays", SlaApi.Describe(SlaApi.Target(resolved, "Resolution", "Regulatory")));
        await (await w.Admin.GetAsync("/api/v1/sla/standards/resolve?kind=Complaint&priority=High&tier=Standard&channel=Counter&branchId=987654"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task BranchRegime_IsSetOnTheBranchPage_RefusesAStandardThatIsNoPreset_AndNullFallsBack(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero));
        await using var app = w.App;
        var staff = await app.CreateStaffAsync(w.Shanghai.Id, StaffRole.Administrator);
        var page = await PageClient.SignInAsync(app, staff.Username);
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Admin/Branches?id={w.London.Id}");

        var posted = await page.SubmitFormAsync(edit, f => f.QuerySelector("select[name='Input.RegulatoryStandardId']") is not null,
            new() { ["Input.RegulatoryStandardId"] = w.FcaId.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var branches = await (await w.Admin.GetAsync("/api/v1/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var london = branches.EnumerateArray().Single(b => b.GetProperty("code").GetString() == "LN01");
        Assert.Equal(w.FcaId, london.GetProperty("regulatoryStandardId").GetInt64());
        var list = HtmlForms.Parse((await page.GetAsync("/Admin/Branches")).Html);
        Assert.Contains(list.QuerySelectorAll("tbody tr"), r => r.TextContent.Contains("LN01", StringComparison.Ordinal) && r.TextContent.Contains("UK-FCA-DISP", StringComparison.Ordinal));
        Assert.Contains("以下分支机构的自有监管规则：LN01", (await page.GetAsync("/Sla/Presets")).Html, StringComparison.Ordinal);

        // The institution standard is not a regulator's preset: refused, nothing changes.
        var version = london.GetProperty("version").GetInt32();
        var institution = await SlaApi.StandardIdAsync(w.Admin, "INSTITUTION");
        var bad = await (await PutBranchAsync(w.Admin, w.London, version, institution)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("regulatoryStandardId", out _));

        // Back to the institution's regime (PRC): a London complaint then gets the PRC deadline.
        var cleared = await (await PutBranchAsync(w.Admin, w.London, version, null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("regulatoryStandardId").ValueKind);
        Assert.Equal("CN-CBIRC-2020-3", (await RegulatoryResolutionAsync(app, w.London)).GetProperty("standard").GetProperty("code").GetString());
    }
}
