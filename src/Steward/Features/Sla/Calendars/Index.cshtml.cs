using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Calendars;

[RequirePermission(Permission.StandardsManage)]
public sealed class CalendarsIndexModel(CalendarService calendars, TimeProvider time, IOptions<HolidayReminderOptions> reminders) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? NameEn { get; set; }

    [BindProperty]
    public string TimeZone { get; set; } = PrcHolidayPreset.TimeZoneId;

    [BindProperty]
    public string Hours { get; set; } = "09:00-12:00, 13:30-17:30";

    public IReadOnlyList<CalendarSummaryDto> Calendars { get; private set; } = [];

    public IReadOnlyList<BranchCalendarDto> Branches { get; private set; } = [];

    public Error? Error { get; private set; }

    /// <summary>The years the calendar should hold by now and does not (see <see cref="HolidayReminders.MissingYears"/>).</summary>
    public IReadOnlyList<int> MissingYears(CalendarSummaryDto calendar) =>
        HolidayReminders.MissingYears(time.GetUtcNow(), calendar.TimeZone, calendar.HolidayYears, reminders.Value.FromMonth);

    /// <summary>
    /// The weekly pattern in a few lines: consecutive weekdays with the same periods share one line
    /// ("周一至周五 09:00-12:00, 13:30-17:30"); rest days are left out.
    /// </summary>
    public static IReadOnlyList<string> DescribeWeek(IStringLocalizer l, IReadOnlyDictionary<string, string[]> weekly)
    {
        var days = Enum.GetValues<NodaTime.IsoDayOfWeek>().Where(d => d != NodaTime.IsoDayOfWeek.None)
            .Select(d => (Day: d.ToString(), Periods: string.Join(", ", weekly.TryGetValue(d.ToString(), out var p) ? p : []))).ToList();
        var lines = new List<string>();
        for (var i = 0; i < days.Count;)
        {
            var j = i;
            while (j + 1 < days.Count && days[j + 1].Periods == days[i].Periods)
            {
                j++;
            }

            if (days[i].Periods.Length > 0)
            {
                var first = l["sla.weekday." + days[i].Day].Value;
                var range = i == j ? first : l["sla.cal.dayRange", first, l["sla.weekday." + days[j].Day].Value].Value;
                lines.Add(range + " " + days[i].Periods);
            }

            i = j + 1;
        }

        return lines;
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var periods = CalendarEditModel.SplitPeriods(Hours);
        var weekly = new Dictionary<string, string[]?> { ["Monday"] = periods, ["Tuesday"] = periods, ["Wednesday"] = periods, ["Thursday"] = periods, ["Friday"] = periods };
        var result = await calendars.CreateAsync(new CalendarSaveInput(Name, NameEn, TimeZone, weekly), ct);
        if (result.Succeeded)
        {
            return Redirect($"/Sla/Calendars/Edit?id={result.Value!.Id}");
        }

        Error = result.Error;
        Response.StatusCode = Error!.Status;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostBranchAsync(long branchId, long? calendarId, int? version, CancellationToken ct)
    {
        var result = await calendars.SetBranchCalendarAsync(branchId, calendarId, version, ct);
        if (result.Succeeded)
        {
            return Redirect("/Sla/Calendars");
        }

        Error = result.Error;
        Response.StatusCode = Error!.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Calendars = await calendars.ListAsync(ct);
        Branches = await calendars.BranchCalendarsAsync(ct);
    }
}
