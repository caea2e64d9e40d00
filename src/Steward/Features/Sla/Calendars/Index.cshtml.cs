using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Calendars;

[Authorize(Policy = "perm:" + nameof(Permission.StandardsManage))]
public sealed class CalendarsIndexModel(CalendarService calendars) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string TimeZone { get; set; } = PrcHolidayPreset.TimeZoneId;

    [BindProperty]
    public string Hours { get; set; } = "09:00-12:00, 13:30-17:30";

    public IReadOnlyList<CalendarSummaryDto> Calendars { get; private set; } = [];

    public IReadOnlyList<BranchCalendarDto> Branches { get; private set; } = [];

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var periods = CalendarEditModel.SplitPeriods(Hours);
        var weekly = new Dictionary<string, string[]?> { ["Monday"] = periods, ["Tuesday"] = periods, ["Wednesday"] = periods, ["Thursday"] = periods, ["Friday"] = periods };
        var result = await calendars.CreateAsync(new CalendarSaveInput(Name, TimeZone, weekly), ct);
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
