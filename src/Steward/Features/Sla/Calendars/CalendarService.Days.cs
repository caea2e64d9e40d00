using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Calendars;

/// <summary>A calendar's days and holiday years: the PRC preset, iCalendar files, single days and year confirmations.</summary>
public sealed partial class CalendarService
{
    /// <summary>
    /// Adds the PRC State Council schedule of <paramref name="years"/> (default: every year the preset has); preset dates
    /// replace what the calendar had on those dates, and those years count as loaded.
    /// </summary>
    public async Task<Outcome<CalendarDto>> ImportPrcPresetAsync(long id, IReadOnlyList<int>? years, int? expectedVersion, CancellationToken ct = default)
    {
        var chosen = years is { Count: > 0 } ? years : PrcHolidayPreset.Years;
        var unknown = chosen.Where(y => !PrcHolidayPreset.Years.Contains(y)).ToList();
        if (unknown.Count > 0)
        {
            return Invalid("years", $"No verified PRC holiday schedule for {string.Join(", ", unknown)}; available: {string.Join(", ", PrcHolidayPreset.Years)}. 没有该年度的节假日安排。");
        }

        var holidays = chosen.SelectMany(y => PrcHolidayPreset.GetHolidays(y));
        var makeUps = chosen.SelectMany(y => PrcHolidayPreset.GetMakeUpWorkingDays(y));
        return await MergeDaysAsync(id, new CalendarDayData([.. holidays], [.. makeUps]), chosen, replaceAll: false, expectedVersion, "years", ct);
    }

    /// <summary>
    /// Imports holidays and make-up days from iCalendar text. Merge (default): imported dates replace the calendar's
    /// entries on the same dates. Replace: the calendar's days become exactly the imported ones. A file is taken as the
    /// complete schedule of each year it has a day in (as a government's published file is): those years count as
    /// loaded (with replace, exactly those).
    /// </summary>
    public async Task<Outcome<CalendarDto>> ImportICalendarAsync(long id, string text, bool replaceAll, int? expectedVersion, CancellationToken ct = default)
    {
        CalendarDayData data;
        try
        {
            data = ICalendarFormat.Import(text ?? "");
        }
        catch (ICalendarFormatException e)
        {
            return Invalid("file", e.Describe(ExplanationText.Language(CultureInfo.CurrentUICulture.Name)));
        }

        var years = data.Holidays.Select(h => h.Date.Year).Concat(data.MakeUpWorkingDays.Select(m => m.Date.Year)).Distinct().ToList();
        return await MergeDaysAsync(id, data, years, replaceAll, expectedVersion, "file", ct);
    }

    public async Task<string?> ExportICalendarAsync(long id, CancellationToken ct = default)
    {
        var snapshot = await GetAsync(id, ct);
        return snapshot is null ? null : ICalendarFormat.Export(snapshot.Calendar, Instant.FromDateTimeOffset(time.GetUtcNow()), snapshot.NameFor(CultureInfo.CurrentUICulture.Name));
    }

    /// <summary>Removes one holiday or make-up working day.</summary>
    public async Task<Outcome<CalendarDto>> RemoveDayAsync(long id, DateOnly date, int? expectedVersion, CancellationToken ct = default)
    {
        var calendar = await LoadForChangeAsync(id, ct);
        if (calendar is null)
        {
            return NotFound();
        }

        if (StaleCheck(calendar, expectedVersion) is { } stale)
        {
            return stale;
        }

        calendar.Days.RemoveAll(d => d.Date == date);
        return await SaveAsync(calendar, ct);
    }

    /// <summary>
    /// Marks <paramref name="year"/>'s holidays as loaded completely (<paramref name="loaded"/>) or not. For a year whose
    /// days were typed in one by one, or a regime whose year rightly has no extra day.
    /// </summary>
    public async Task<Outcome<CalendarDto>> SetHolidayYearAsync(long id, int year, bool loaded, int? expectedVersion, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        if (CalendarDefinitions.ValidateYears([year], "year", errors) is null)
        {
            return Invalid(errors);
        }

        var calendar = await LoadForChangeAsync(id, ct);
        if (calendar is null)
        {
            return NotFound();
        }

        if (StaleCheck(calendar, expectedVersion) is { } stale)
        {
            return stale;
        }

        var years = calendar.HolidayYears.Select(y => y.Year).Where(y => y != year).ToList();
        SetYears(calendar, loaded ? [.. years, year] : years);
        return await SaveAsync(calendar, ct);
    }

    private async Task<Outcome<CalendarDto>> MergeDaysAsync(
        long id, CalendarDayData data, IReadOnlyList<int> years, bool replaceAll, int? expectedVersion, string field, CancellationToken ct)
    {
        var calendar = await LoadForChangeAsync(id, ct);
        if (calendar is null)
        {
            return NotFound();
        }

        if (StaleCheck(calendar, expectedVersion) is { } stale)
        {
            return stale;
        }

        var incoming = data.Holidays.Select(h => h.Date.ToDateOnly()).Concat(data.MakeUpWorkingDays.Select(m => m.Date.ToDateOnly())).ToHashSet();
        var kept = replaceAll ? [] : calendar.Days.Where(d => !incoming.Contains(d.Date)).ToList();
        var holidays = kept.Where(d => d.Kind == SlaCalendarDayKind.Holiday).Select(HolidayOf).Concat(data.Holidays).ToList();
        var makeUps = kept.Where(d => d.Kind == SlaCalendarDayKind.MakeUpWorkingDay)
            .Select(MakeUpOf).Concat(data.MakeUpWorkingDays).ToList();

        var errors = new Dictionary<string, string[]>();
        var zone = DateTimeZoneProviders.Tzdb[calendar.TimeZone];
        if (CalendarDefinitions.TryCreate(zone, CalendarDefinitions.ParseWeekly(calendar.WeeklyHours), holidays, makeUps, field, errors) is null)
        {
            return Invalid(errors);
        }

        SetDays(calendar, holidays, makeUps);
        SetYears(calendar, replaceAll ? years : [.. calendar.HolidayYears.Select(y => y.Year), .. years]);
        return await SaveAsync(calendar, ct);
    }

    /// <summary>Makes the calendar's holiday years exactly these (duplicates ignored), keeping unchanged rows.</summary>
    private static void SetYears(SlaCalendar calendar, IEnumerable<int> years)
    {
        var wanted = years.ToHashSet();
        calendar.HolidayYears.RemoveAll(y => !wanted.Contains(y.Year));
        foreach (var year in wanted.Where(w => calendar.HolidayYears.All(y => y.Year != w)).Order())
        {
            calendar.HolidayYears.Add(new SlaCalendarYear { Year = year });
        }
    }

    /// <summary>Makes the calendar's days exactly these, keeping unchanged rows (so the audit log shows only real changes).</summary>
    private static void SetDays(SlaCalendar calendar, IReadOnlyList<Holiday> holidays, IReadOnlyList<MakeUpWorkingDay> makeUps)
    {
        var wanted = holidays.Select(h => new SlaCalendarDay { Date = h.Date.ToDateOnly(), Kind = SlaCalendarDayKind.Holiday, Name = h.Name, NameEn = h.NameEn })
            .Concat(makeUps.Select(m => new SlaCalendarDay { Date = m.Date.ToDateOnly(), Kind = SlaCalendarDayKind.MakeUpWorkingDay, WorksLike = m.WorksLike, Name = m.Name, NameEn = m.NameEn }))
            .ToDictionary(d => d.Date);
        calendar.Days.RemoveAll(d => !wanted.TryGetValue(d.Date, out var w) || w.Kind != d.Kind || w.WorksLike != d.WorksLike || w.Name != d.Name || w.NameEn != d.NameEn);
        foreach (var day in wanted.Values.Where(w => calendar.Days.All(d => d.Date != w.Date)))
        {
            calendar.Days.Add(day);
        }
    }
}
