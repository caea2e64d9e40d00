using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// The calendar pages as an administrator uses them: every form on the edit page is submitted from the page as
/// rendered (its own action and hidden fields), so a form that loses the calendar id fails here as it does for people.
/// </summary>
public sealed class CalendarPagesTests
{
    private const string OneHolidayIcs =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:2027-01-01@test\r\nDTSTAMP:20261101T000000Z\r\n"
        + "DTSTART;VALUE=DATE:20270101\r\nDTEND;VALUE=DATE:20270102\r\nSUMMARY:元旦\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    private static async Task<(StewardApp App, HttpClient Api, PageClient Admin, long CalendarId)> StartAsync(DatabaseProvider provider)
    {
        var (app, branch, api) = await SlaApi.StartAsync(provider);
        var calendar = await SlaApi.CreateCalendarAsync(api, new { name = "上海", nameEn = "上海", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        return (app, api, await PageClient.SignInAsync(app, staff.Username), calendar.GetProperty("id").GetInt64());
    }

    private static async Task<JsonElement> CalendarAsync(HttpClient api, long id) =>
        await (await api.GetAsync($"/api/v1/calendars/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static string[] Dates(JsonElement calendar, string list = "holidays") =>
        [.. calendar.GetProperty(list).EnumerateArray().Select(d => d.GetProperty("date").GetString()!)];

    private static void ShouldReturnToTheCalendar(HttpResponseMessage response, long id)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"the form answered {(int)response.StatusCode}");
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}"), response.Headers.Location?.OriginalString);
    }

    [Theory, BothDatabases]
    public async Task EditPage_AddDayThenRemoveIt_ChangesTheCalendarsHolidays(DatabaseProvider provider)
    {
        var (app, api, admin, id) = await StartAsync(provider);
        await using var running = app;
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}");

        var added = await admin.SubmitFormAsync(edit, f => f.Posts("AddDay"), new()
        {
            ["date"] = "2026-12-30", ["kind"] = "Holiday", ["dayName"] = "测试假日",
        });
        ShouldReturnToTheCalendar(added, id);
        var calendar = await CalendarAsync(api, id);
        Assert.Equal(["2026-12-30"], Dates(calendar));
        Assert.Equal("测试假日", calendar.GetProperty("holidays")[0].GetProperty("name").GetString());

        // A make-up working day on Saturday 2027-01-09 that works like a Friday.
        ShouldReturnToTheCalendar(await admin.SubmitFormAsync(edit, f => f.Posts("AddDay"), new()
        {
            ["date"] = "2027-01-09", ["kind"] = "MakeUpWorkingDay", ["worksLike"] = "Friday", ["dayName"] = "调休上班",
        }), id);
        calendar = await CalendarAsync(api, id);
        Assert.Equal(["2027-01-09"], Dates(calendar, "makeUpWorkingDays"));
        Assert.Equal("Friday", calendar.GetProperty("makeUpWorkingDays")[0].GetProperty("worksLike").GetString());

        var removed = await admin.SubmitFormAsync(edit, f => f.Posts("RemoveDay") && f.HasHidden("date", "2026-12-30"));
        ShouldReturnToTheCalendar(removed, id);
        calendar = await CalendarAsync(api, id);
        Assert.Empty(Dates(calendar));
        Assert.Equal(["2027-01-09"], Dates(calendar, "makeUpWorkingDays"));
    }

    [Theory, BothDatabases]
    public async Task EditPage_UploadICalendarAndImportThePrcPreset_AddTheirDays(DatabaseProvider provider)
    {
        var (app, api, admin, id) = await StartAsync(provider);
        await using var running = app;
        var edit = string.Create(CultureInfo.InvariantCulture, $"/Sla/Calendars/Edit?id={id}");

        var uploaded = await admin.SubmitFormAsync(edit, f => f.Posts("Upload"), file: new FormFile("file", "2027.ics", "text/calendar", Encoding.UTF8.GetBytes(OneHolidayIcs)));
        ShouldReturnToTheCalendar(uploaded, id);
        Assert.Equal(["2027-01-01"], Dates(await CalendarAsync(api, id)));

        // The State Council schedules of 2025 and 2026: 61 holidays and 11 make-up working days (as the demo calendar has).
        var imported = await admin.SubmitFormAsync(edit, f => f.Posts("Prc"));
        ShouldReturnToTheCalendar(imported, id);
        var calendar = await CalendarAsync(api, id);
        Assert.Equal(62, calendar.GetProperty("holidays").GetArrayLength());
        Assert.Equal(11, calendar.GetProperty("makeUpWorkingDays").GetArrayLength());
        Assert.Contains("2026-10-01", Dates(calendar));
        Assert.Contains("2027-01-01", Dates(calendar));
    }
}
