using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Calendars;

[RequirePermission(Permission.StandardsManage)]
public sealed class CalendarEditModel(CalendarService calendars, TimeProvider time, IOptions<HolidayReminderOptions> reminders) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? NameEn { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; }

    [BindProperty]
    public bool IsDefault { get; set; }

    /// <summary>Per weekday (Monday first) the periods as typed, e.g. "09:00-12:00, 13:30-17:30".</summary>
    [BindProperty]
    public List<string?> Hours { get; set; } = [];

    public CalendarDto? Calendar { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>The years the calendar should hold by now and does not.</summary>
    public IReadOnlyList<int> MissingYears => Calendar is { } c
        ? HolidayReminders.MissingYears(time.GetUtcNow(), c.TimeZone, c.HolidayYears, reminders.Value.FromMonth)
        : [];

    /// <summary>Holidays and make-up working days by year (latest first), with every loaded year even when it has no day.</summary>
    public IReadOnlyList<(int Year, IReadOnlyList<CalendarDayDto> Days)> DaysByYear => Calendar is not { } c ? [] :
        [.. c.Holidays.Concat(c.MakeUpWorkingDays).Select(d => (Year: int.Parse(d.Date[..4], CultureInfo.InvariantCulture), Day: (CalendarDayDto?)d))
            .Concat(c.HolidayYears.Select(y => (Year: y, Day: (CalendarDayDto?)null)))
            .GroupBy(x => x.Year).OrderByDescending(g => g.Key)
            .Select(g => (g.Key, (IReadOnlyList<CalendarDayDto>)[.. g.Where(x => x.Day is not null).Select(x => x.Day!).OrderBy(d => d.Date, StringComparer.Ordinal)]))];

    public static string[] SplitPeriods(string? text) =>
        (text ?? "").Split([',', ';', '，', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Name = Calendar!.Name;
        NameEn = Calendar.NameEn;
        TimeZone = Calendar.TimeZone;
        IsDefault = Calendar.IsDefault;
        Version = Calendar.Version;
        Hours = [.. Calendar.WeeklyPeriods.Values.Select(p => string.Join(", ", p))];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var weekly = new Dictionary<string, string[]?>();
        for (var i = 0; i < 7 && i < Hours.Count; i++)
        {
            weekly[((IsoDayOfWeek)(i + 1)).ToString()] = SplitPeriods(Hours[i]);
        }

        return await Done(await calendars.UpdateAsync(Id, new CalendarSaveInput(Name, NameEn, TimeZone, weekly, IsDefault), Version, ct), ct, keepForm: true);
    }

    /// <summary>Adds a holiday or make-up working day; <paramref name="dayName"/> is its Chinese name, <paramref name="dayNameEn"/> its English one (either may be empty).</summary>
    public async Task<IActionResult> OnPostAddDayAsync(string? date, string? kind, string? worksLike, string? dayName, string? dayNameEn, CancellationToken ct)
    {
        var current = await calendars.FindAsync(Id, ct);
        if (current is null)
        {
            return NotFound();
        }

        var holidays = current.Holidays.Select(h => new HolidayInput(h.Date, h.Name, h.NameEn)).ToList();
        var makeUps = current.MakeUpWorkingDays.Select(m => new MakeUpDayInput(m.Date, m.WorksLike, m.Name, m.NameEn)).ToList();
        holidays.RemoveAll(h => h.Date == date);
        makeUps.RemoveAll(m => m.Date == date);
        if (kind == nameof(SlaCalendarDayKind.MakeUpWorkingDay))
        {
            makeUps.Add(new MakeUpDayInput(date, worksLike, dayName, dayNameEn));
        }
        else
        {
            holidays.Add(new HolidayInput(date, dayName, dayNameEn));
        }

        var input = new CalendarSaveInput(current.Name, current.NameEn, current.TimeZone, current.WeeklyPeriods.ToDictionary(kv => kv.Key, kv => (string[]?)kv.Value), current.IsDefault, holidays, makeUps);
        return await Done(await calendars.UpdateAsync(Id, input, Version, ct), ct);
    }

    public async Task<IActionResult> OnPostRemoveDayAsync(string date, CancellationToken ct) =>
        await Done(DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? await calendars.RemoveDayAsync(Id, d, Version, ct)
            : (Outcome<CalendarDto>)CalendarService.Invalid("date", "Not a date. 日期无效。"), ct);

    /// <summary>Marks a year's holidays as loaded completely, or (loaded=false) no longer.</summary>
    public async Task<IActionResult> OnPostYearAsync(int? year, bool loaded, CancellationToken ct) =>
        await Done(year is { } y
            ? await calendars.SetHolidayYearAsync(Id, y, loaded, Version, ct)
            : (Outcome<CalendarDto>)CalendarService.Invalid("year", "Give a year, e.g. 2027. 请填写年份，例如 2027。"), ct);

    public async Task<IActionResult> OnPostPrcAsync(CancellationToken ct) =>
        await Done(await calendars.ImportPrcPresetAsync(Id, null, Version, ct), ct);

    public async Task<IActionResult> OnPostUploadAsync(IFormFile? file, bool replace, CancellationToken ct)
    {
        if (file is null || file.Length == 0 || file.Length > SlaEndpoints.MaxICalendarBytes)
        {
            return await Done<CalendarDto>(CalendarService.Invalid("file", "Choose an .ics file of at most 1 MB. 请选择不超过 1 MB 的 .ics 文件。"), ct);
        }

        using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
        return await Done(await calendars.ImportICalendarAsync(Id, await reader.ReadToEndAsync(ct), replace, Version, ct), ct);
    }

    public async Task<IActionResult> OnGetIcsAsync(CancellationToken ct) =>
        await calendars.ExportICalendarAsync(Id, ct) is { } text
            ? File(Encoding.UTF8.GetBytes(text), "text/calendar; charset=utf-8", string.Create(CultureInfo.InvariantCulture, $"calendar-{Id}.ics"))
            : NotFound();

    private async Task<IActionResult> Done<T>(Outcome<T> outcome, CancellationToken ct, bool keepForm = false)
    {
        if (outcome.Succeeded)
        {
            return Redirect($"/Sla/Calendars/Edit?id={Id}");
        }

        Error = outcome.Error;
        Response.StatusCode = Error!.Status;
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (!keepForm)
        {
            Name = Calendar!.Name;
            NameEn = Calendar.NameEn;
            TimeZone = Calendar.TimeZone;
            IsDefault = Calendar.IsDefault;
            Hours = [.. Calendar.WeeklyPeriods.Values.Select(p => string.Join(", ", p))];
        }

        Version = Calendar!.Version;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Calendar = await calendars.FindAsync(Id, ct);
        return Calendar is not null;
    }
}
