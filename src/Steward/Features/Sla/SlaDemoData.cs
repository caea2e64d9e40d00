using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;

namespace Steward.Features.Sla;

/// <summary>
/// The demo institution's SLA set-up: a Shanghai calendar (09:00–12:00, 13:30–17:30, PRC holidays 2025 and 2026) as
/// the institution default, a London calendar (09:00–17:30, England and Wales bank holidays 2026) for LN01, the PRC
/// complaint preset layered over the institution standard (which the start-up seeding put in force), and for LN01 its
/// own regime, the FCA's DISP rules.
/// </summary>
public static class SlaDemoData
{
    public const string ShanghaiCalendar = "上海营业日历";
    public const string ShanghaiCalendarEn = "Shanghai business calendar";
    public const string LondonCalendar = "伦敦营业日历";
    public const string LondonCalendarEn = "London business calendar";

    /// <summary>
    /// England and Wales bank holidays 2026 (GOV.UK): Boxing Day falls on a Saturday, so the substitute day is Monday
    /// 28 December. Easter Sunday is 5 April 2026.
    /// </summary>
    public static IReadOnlyList<Holiday> EnglandAndWales2026 { get; } =
    [
        new(new LocalDate(2026, 1, 1), "元旦", "New Year's Day"),
        new(new LocalDate(2026, 4, 3), "耶稣受难日", "Good Friday"),
        new(new LocalDate(2026, 4, 6), "复活节星期一", "Easter Monday"),
        new(new LocalDate(2026, 5, 4), "五月初银行假日", "Early May bank holiday"),
        new(new LocalDate(2026, 5, 25), "春季银行假日", "Spring bank holiday"),
        new(new LocalDate(2026, 8, 31), "夏季银行假日", "Summer bank holiday"),
        new(new LocalDate(2026, 12, 25), "圣诞节", "Christmas Day"),
        new(new LocalDate(2026, 12, 28), "节礼日（补假）", "Boxing Day (substitute day)"),
    ];

    public static async Task SeedAsync(StewardDbContext db, long londonBranchId, CancellationToken ct = default)
    {
        var shanghai = new SlaCalendar
        {
            Name = ShanghaiCalendar,
            NameEn = ShanghaiCalendarEn,
            TimeZone = PrcHolidayPreset.TimeZoneId,
            IsDefault = true,
            WeeklyHours = CalendarDefinitions.FormatWeekly(WeeklySchedule.MondayToFriday(WorkingPeriod.Of(9, 0, 12, 0), WorkingPeriod.Of(13, 30, 17, 30))),
        };
        foreach (var year in PrcHolidayPreset.Years)
        {
            shanghai.HolidayYears.Add(new SlaCalendarYear { Year = year });
            shanghai.Days.AddRange(PrcHolidayPreset.GetHolidays(year).Select(h => new SlaCalendarDay { Date = h.Date.ToDateOnly(), Kind = SlaCalendarDayKind.Holiday, Name = h.Name, NameEn = h.NameEn }));
            shanghai.Days.AddRange(PrcHolidayPreset.GetMakeUpWorkingDays(year).Select(m => new SlaCalendarDay
            {
                Date = m.Date.ToDateOnly(), Kind = SlaCalendarDayKind.MakeUpWorkingDay, WorksLike = m.WorksLike, Name = m.Name, NameEn = m.NameEn,
            }));
        }

        var london = new SlaCalendar
        {
            Name = LondonCalendar,
            NameEn = LondonCalendarEn,
            TimeZone = "Europe/London",
            WeeklyHours = CalendarDefinitions.FormatWeekly(WeeklySchedule.MondayToFriday(WorkingPeriod.Of(9, 0, 17, 30))),
            Days = [.. EnglandAndWales2026.Select(h => new SlaCalendarDay { Date = h.Date.ToDateOnly(), Kind = SlaCalendarDayKind.Holiday, Name = h.Name, NameEn = h.NameEn })],
            HolidayYears = [new SlaCalendarYear { Year = 2026 }],
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

        var fca = await db.Set<SlaStandard>().Where(s => s.Code == SlaPresets.FcaCode).Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
        var londonBranch = await db.Set<Branch>().SingleAsync(b => b.Id == londonBranchId, ct);
        londonBranch.RegulatoryStandardId = fca;

        await db.SaveChangesAsync(ct);
    }
}
