using System.Net;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

public sealed class SlaDemoDataTests
{
    [Theory, BothDatabases]
    public async Task DemoInstitution_HasShanghaiAndLondonCalendarsAndTheInstitutionStandard(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:Customers"] = "0", ["Demo:History"] = "false" });
        var admin = await app.ApiClientAsync("admin", Steward.Features.Demo.DemoSeeder.Password);

        var calendars = await (await admin.GetAsync("/api/v1/calendars")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var shanghai = calendars.EnumerateArray().Single(c => c.GetProperty("timeZone").GetString() == "Asia/Shanghai");
        Assert.True(shanghai.GetProperty("isDefault").GetBoolean());
        Assert.Equal(61, shanghai.GetProperty("holidayCount").GetInt32());
        Assert.Equal(["09:00-12:00", "13:30-17:30"], SlaApi.Strings(shanghai.GetProperty("weeklyPeriods").GetProperty("Friday")));
        var london = calendars.EnumerateArray().Single(c => c.GetProperty("timeZone").GetString() == "Europe/London");
        Assert.Equal(8, london.GetProperty("holidayCount").GetInt32());
        // The years whose holidays are loaded: the State Council's 2025 and 2026, GOV.UK's 2026 — and nothing made up.
        Assert.Equal([2025, 2026], shanghai.GetProperty("holidayYears").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal([2026], london.GetProperty("holidayYears").EnumerateArray().Select(y => y.GetInt32()));

        var branches = await (await admin.GetAsync("/api/v1/calendars/branches")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(london.GetProperty("id").GetInt64(), branches.EnumerateArray().Single(b => b.GetProperty("branchCode").GetString() == "LN01").GetProperty("effectiveCalendarId").GetInt64());
        Assert.Equal(shanghai.GetProperty("id").GetInt64(), branches.EnumerateArray().Single(b => b.GetProperty("branchCode").GetString() == "SH01").GetProperty("effectiveCalendarId").GetInt64());

        // London, received Thu 24 Dec 2026 16:00 GMT, 1 business day: 25 Dec (Christmas), 26–27 weekend and
        // 28 Dec (Boxing Day substitute) are skipped; Tue 29 Dec closes at 17:30 GMT (+00:00).
        var preview = await (await admin.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendarId = london.GetProperty("id").GetInt64(),
            start = "2026-12-24T16:00:00Z",
            targets = new[] { new { amount = 1, unit = "BusinessDays" } },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2026-12-24T16:00:00+00:00", preview.GetProperty("start").GetString());
        Assert.Equal("2026-12-29T17:30:00+00:00", preview.GetProperty("results")[0].GetProperty("deadline").GetString());

        var complaint = await SlaApi.ResolveAsync(admin, "Complaint", "Urgent", "Gold", "Phone");
        Assert.Equal("2 BusinessHours", SlaApi.Describe(SlaApi.Target(complaint, "FirstResponse")));
        Assert.Equal("15 CalendarDays", SlaApi.Describe(SlaApi.Target(complaint, "Resolution", "Regulatory")));

        // LN01 answers to the FCA: DISP 1.6.2R, eight weeks = 56 calendar days.
        var lnId = branches.EnumerateArray().Single(b => b.GetProperty("branchCode").GetString() == "LN01").GetProperty("branchId").GetInt64();
        var londonComplaint = await (await admin.GetAsync($"/api/v1/sla/standards/resolve?kind=Complaint&priority=Urgent&tier=Gold&channel=Phone&branchId={lnId}"))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var regulatory = SlaApi.Target(londonComplaint, "Resolution", "Regulatory");
        Assert.Equal("56 CalendarDays", SlaApi.Describe(regulatory));
        Assert.Equal("UK-FCA-DISP", regulatory.GetProperty("source").GetProperty("standardCode").GetString());
    }
}
