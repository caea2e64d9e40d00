using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// Calendars and instant helpers for the SLA tests. Expected instants are always written with an explicit UTC
/// offset (+08 China, +01 BST, +00 GMT) so the hand calculation is visible in the test.
/// </summary>
internal static class SlaTestData
{
    public static readonly WorkingPeriod Morning = WorkingPeriod.Parse("09:00-12:00");
    public static readonly WorkingPeriod Afternoon = WorkingPeriod.Parse("13:30-17:30");

    /// <summary>Local time in China (UTC+08:00 all year, no DST).</summary>
    public static Instant Sh(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).WithOffset(Offset.FromHours(8)).ToInstant();

    /// <summary>Local time in London during British Summer Time (UTC+01:00).</summary>
    public static Instant Bst(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).WithOffset(Offset.FromHours(1)).ToInstant();

    /// <summary>Local time in London during Greenwich Mean Time (UTC+00:00).</summary>
    public static Instant Gmt(int year, int month, int day, int hour, int minute = 0) =>
        new LocalDateTime(year, month, day, hour, minute).WithOffset(Offset.Zero).ToInstant();

    /// <summary>Asia/Shanghai, Mon–Fri 09:00–12:00 and 13:30–17:30 (7 working hours a day), no holidays.</summary>
    public static BusinessCalendar ShanghaiPlain() =>
        BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(Morning, Afternoon));

    /// <summary>Same hours as <see cref="ShanghaiPlain"/> with the PRC 2025 and 2026 holiday schedules.</summary>
    public static BusinessCalendar ShanghaiPrc() =>
        PrcHolidayPreset.CreateCalendar(WeeklySchedule.MondayToFriday(Morning, Afternoon), HolidayNameLanguage.Chinese, 2025, 2026);

    /// <summary>Europe/London, Mon–Fri 09:00–17:00 (8 working hours a day), no holidays.</summary>
    public static BusinessCalendar London() =>
        BusinessCalendar.Create("Europe/London", WeeklySchedule.MondayToFriday(WorkingPeriod.Parse("09:00-17:00")));

    public static DeadlineCalculator Calculator(BusinessCalendar calendar) => new(calendar);

    public static T Single<T>(DeadlineResult result)
        where T : ExplanationStep => Assert.Single(result.Steps.OfType<T>());
}
