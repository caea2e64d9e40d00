using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Database;

namespace Steward.Features.Sla;

/// <summary>
/// The demo institution's SLA set-up: a Shanghai calendar (09:00–12:00, 13:30–17:30, PRC holidays 2025 and 2026) as
/// the institution default, a London calendar (09:00–17:30, England and Wales bank holidays 2026) for LN01, and the
/// PRC complaint preset layered over the institution standard (which the start-up seeding put in force).
/// </summary>
public static class SlaDemoData
{
    public const string ShanghaiCalendar = "上海营业日历 Shanghai";
    public const string LondonCalendar = "London business calendar 伦敦营业日历";

    /// <summary>
    /// England and Wales bank holidays 2026 (GOV.UK): Boxing Day falls on a Saturday, so the substitute day is Monday
    /// 28 December. Easter Sunday is 5 April 2026.
    /// </summary>
    public static IReadOnlyList<Holiday> EnglandAndWales2026 { get; } =
    [
        new(new LocalDate(2026, 1, 1), "New Year's Day"),
        new(new LocalDate(2026, 4, 3), "Good Friday"),
        new(new LocalDate(2026, 4, 6), "Easter Monday"),
        new(new LocalDate(2026, 5, 4), "Early May bank holiday"),
        new(new LocalDate(2026, 5, 25), "Spring bank holiday"),
        new(new LocalDate(2026, 8, 31), "Summer bank holiday"),
        new(new LocalDate(2026, 12, 25), "Christmas Day"),
        new(new LocalDate(2026, 12, 28), "Boxing Day (substitute day)"),
    ];

    public static async Task SeedAsync(StewardDbContext db, long londonBranchId, CancellationToken ct = default)
    {
        var shanghai = new SlaCalendar
        {
            Name = ShanghaiCalendar,
            TimeZone = PrcHolidayPreset.TimeZoneId,
            IsDefault = true,
            WeeklyHours = CalendarDefinitions.FormatWeekly(WeeklySchedule.MondayToFriday(WorkingPeriod.Of(9, 0, 12, 0), WorkingPeriod.Of(13, 30, 17, 30))),
        };
        foreach (var year in PrcHolidayPreset.Years)
        {
            shanghai.Days.AddRange(PrcHolidayPreset.GetHolidays(year).Select(h => new SlaCalendarDay { Date = h.Date.ToDateOnly(), Kind = SlaCalendarDayKind.Holiday, Name = h.Name }));
            shanghai.Days.AddRange(PrcHolidayPreset.GetMakeUpWorkingDays(year).Select(m => new SlaCalendarDay
            {
                Date = m.Date.ToDateOnly(), Kind = SlaCalendarDayKind.MakeUpWorkingDay, WorksLike = m.WorksLike, Name = m.Name,
            }));
        }

        var london = new SlaCalendar
        {
            Name = LondonCalendar,
            TimeZone = "Europe/London",
            WeeklyHours = CalendarDefinitions.FormatWeekly(WeeklySchedule.MondayToFriday(WorkingPeriod.Of(9, 0, 17, 30))),
            Days = [.. EnglandAndWales2026.Select(h => new SlaCalendarDay { Date = h.Date.ToDateOnly(), Kind = SlaCalendarDayKind.Holiday, Name = h.Name })],
        };
        db.AddRange(shanghai, london);
        await db.SaveChangesAsync(ct);

        db.Add(new BranchCalendar { BranchId = londonBranchId, CalendarId = london.Id });
        var prc = await db.Set<SlaStandard>().Where(s => s.Code == SlaPresets.PrcCode).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
        var settings = await db.Set<SlaSettings>().SingleOrDefaultAsync(s => s.Scope == SlaSettings.InstitutionScope, ct);
        if (settings is not null && prc is not null)
        {
            settings.RegulatoryStandardId = prc;
        }

        await db.SaveChangesAsync(ct);
    }
}
