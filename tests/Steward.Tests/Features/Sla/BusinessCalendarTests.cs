using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

public class BusinessCalendarTests
{
    [Fact]
    public void IsWorkingDay_WeekdayWeekendHolidayMakeUpDay_FollowsPrecedence()
    {
        var calendar = ShanghaiPrc();

        // 2025-09-30 is a Tuesday: ordinary working day.
        Assert.True(calendar.IsWorkingDay(new LocalDate(2025, 9, 30)));
        Assert.Equal(DayKind.WorkingDay, calendar.GetDayKind(new LocalDate(2025, 9, 30)));
        // 2025-10-01 is a Wednesday but National Day: the holiday wins over the weekly pattern.
        Assert.False(calendar.IsWorkingDay(new LocalDate(2025, 10, 1)));
        Assert.Equal(DayKind.Holiday, calendar.GetDayKind(new LocalDate(2025, 10, 1)));
        // 2025-09-28 is a Sunday but a make-up working day: it wins over the weekend.
        Assert.True(calendar.IsWorkingDay(new LocalDate(2025, 9, 28)));
        Assert.Equal(DayKind.MakeUpWorkingDay, calendar.GetDayKind(new LocalDate(2025, 9, 28)));
        // 2025-10-12 is a plain Sunday.
        Assert.False(calendar.IsWorkingDay(new LocalDate(2025, 10, 12)));
        Assert.Equal(DayKind.RestDay, calendar.GetDayKind(new LocalDate(2025, 10, 12)));
    }

    [Fact]
    public void GetWorkingPeriods_ShanghaiWeekday_ReturnsInstantsAtUtcPlus8()
    {
        var calendar = ShanghaiPlain();

        // Monday 2025-03-03: 09:00–12:00 and 13:30–17:30 at +08:00.
        var periods = calendar.GetWorkingPeriods(new LocalDate(2025, 3, 3));

        Assert.Equal([new Interval(Sh(2025, 3, 3, 9), Sh(2025, 3, 3, 12)), new Interval(Sh(2025, 3, 3, 13, 30), Sh(2025, 3, 3, 17, 30))], periods);
    }

    [Fact]
    public void GetWorkingPeriods_MakeUpDay_UsesPeriodsOfNamedWeekday()
    {
        // Monday 08:00–12:00, Friday 09:00–15:00; weekends off.
        var weekly = new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>
        {
            [IsoDayOfWeek.Monday] = [WorkingPeriod.Parse("08:00-12:00")],
            [IsoDayOfWeek.Friday] = [WorkingPeriod.Parse("09:00-15:00")],
        };
        var calendar = BusinessCalendar.Create(
            "Asia/Shanghai",
            weekly,
            makeUpWorkingDays: [new MakeUpWorkingDay(new LocalDate(2025, 1, 26)), new MakeUpWorkingDay(new LocalDate(2025, 2, 8), IsoDayOfWeek.Friday)]);

        // Sunday 2025-01-26 works like Monday (default): 08:00–12:00.
        Assert.Equal([new Interval(Sh(2025, 1, 26, 8), Sh(2025, 1, 26, 12))], calendar.GetWorkingPeriods(new LocalDate(2025, 1, 26)));
        // Saturday 2025-02-08 works like Friday: 09:00–15:00.
        Assert.Equal([new Interval(Sh(2025, 2, 8, 9), Sh(2025, 2, 8, 15))], calendar.GetWorkingPeriods(new LocalDate(2025, 2, 8)));
        Assert.Equal([WorkingPeriod.Parse("09:00-15:00")], calendar.GetLocalWorkingPeriods(new LocalDate(2025, 2, 8)));
    }

    [Fact]
    public void GetWorkingPeriods_LondonClocksGoBack_AmbiguousTimesResolveToFirstOccurrence()
    {
        var calendar = BusinessCalendar.Create(
            "Europe/London",
            new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>
            {
                [IsoDayOfWeek.Sunday] = [WorkingPeriod.Parse("00:00-01:30"), WorkingPeriod.Parse("01:30-03:00")],
            });

        // 2026-10-25: 02:00 BST -> 01:00 GMT, so 01:00-02:00 happens twice.
        // 00:00 BST = 2026-10-24T23:00Z; 01:30 (first occurrence, BST) = 00:30Z; 03:00 GMT = 03:00Z.
        // The second period includes the repeated hour: 00:30Z-03:00Z = 2.5 real hours; together 4 real hours.
        var periods = calendar.GetWorkingPeriods(new LocalDate(2026, 10, 25));

        Assert.Equal(
            [
                new Interval(Instant.FromUtc(2026, 10, 24, 23, 0), Instant.FromUtc(2026, 10, 25, 0, 30)),
                new Interval(Instant.FromUtc(2026, 10, 25, 0, 30), Instant.FromUtc(2026, 10, 25, 3, 0)),
            ],
            periods);
    }

    [Fact]
    public void GetWorkingPeriods_LondonClocksGoForward_SkippedTimesResolveToTransitionAndEmptyPeriodsAreDropped()
    {
        var calendar = BusinessCalendar.Create(
            "Europe/London",
            new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>
            {
                [IsoDayOfWeek.Sunday] = [WorkingPeriod.Parse("00:00-01:10"), WorkingPeriod.Parse("01:15-01:45"), WorkingPeriod.Parse("01:50-03:00")],
            });

        // 2026-03-29: 01:00 GMT -> 02:00 BST, local 01:00-02:00 does not exist; it maps to the jump instant 01:00Z.
        // 00:00-01:10 -> [00:00Z, 01:00Z); 01:15-01:45 lies inside the gap -> empty, dropped;
        // 01:50-03:00 -> [01:00Z, 03:00 BST = 02:00Z).
        var periods = calendar.GetWorkingPeriods(new LocalDate(2026, 3, 29));

        Assert.Equal(
            [
                new Interval(Instant.FromUtc(2026, 3, 29, 0, 0), Instant.FromUtc(2026, 3, 29, 1, 0)),
                new Interval(Instant.FromUtc(2026, 3, 29, 1, 0), Instant.FromUtc(2026, 3, 29, 2, 0)),
            ],
            periods);
    }

    [Fact]
    public void GetWorkingPeriods_PeriodEndingAt2400_EndsAtStartOfNextLocalDay()
    {
        var calendar = BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(WorkingPeriod.Parse("22:00-24:00")));

        // Monday 2025-03-03 22:00 +08 to Tuesday 00:00 +08.
        Assert.Equal([new Interval(Sh(2025, 3, 3, 22), Sh(2025, 3, 4, 0))], calendar.GetWorkingPeriods(new LocalDate(2025, 3, 3)));
    }

    [Fact]
    public void IsWithinWorkingPeriod_LunchAndPeriodEnd_AreOutside()
    {
        var calendar = ShanghaiPlain();

        Assert.True(calendar.IsWithinWorkingPeriod(Sh(2025, 3, 3, 9)));
        Assert.False(calendar.IsWithinWorkingPeriod(Sh(2025, 3, 3, 12))); // periods are half-open
        Assert.False(calendar.IsWithinWorkingPeriod(Sh(2025, 3, 3, 13)));
        Assert.Equal(Sh(2025, 3, 3, 13, 30), calendar.NextWorkingInstant(Sh(2025, 3, 3, 12)));
        // Friday 17:30 -> next Monday 09:00.
        Assert.Equal(Sh(2025, 3, 10, 9), calendar.NextWorkingInstant(Sh(2025, 3, 7, 17, 30)));
    }

    [Fact]
    public void Constructor_UnsortedPeriods_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(Afternoon, Morning)));
        Assert.Contains("sorted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_OverlappingPeriods_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(WorkingPeriod.Parse("09:00-12:30"), WorkingPeriod.Parse("12:00-17:00"))));
        Assert.Contains("overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TouchingPeriods_AreAccepted()
    {
        var calendar = BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(WorkingPeriod.Parse("09:00-12:00"), WorkingPeriod.Parse("12:00-13:00")));
        Assert.Equal(2, calendar.GetLocalWorkingPeriods(new LocalDate(2025, 3, 3)).Count);
    }

    [Theory]
    [InlineData(12, 0, 9, 0)]
    [InlineData(9, 0, 9, 0)]
    public void WorkingPeriod_StartNotBeforeEnd_Throws(int startHour, int startMinute, int endHour, int endMinute)
    {
        Assert.Throws<ArgumentException>(() => new WorkingPeriod(new LocalTime(startHour, startMinute), new LocalTime(endHour, endMinute)));
    }

    [Theory]
    [InlineData("0900-1200")]
    [InlineData("09:00-25:00")]
    [InlineData("nine-noon")]
    public void WorkingPeriodParse_Malformed_Throws(string text)
    {
        Assert.Throws<FormatException>(() => WorkingPeriod.Parse(text));
    }

    [Fact]
    public void Constructor_NoWorkingPeriodAtAll_Throws()
    {
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("Asia/Shanghai", new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>()));
    }

    [Fact]
    public void Constructor_UnknownZone_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create("Mars/Olympus_Mons", WeeklySchedule.MondayToFriday(Morning)));
        Assert.Contains("Mars/Olympus_Mons", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DateBothHolidayAndMakeUpDay_Throws()
    {
        var date = new LocalDate(2025, 10, 1);
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(
            "Asia/Shanghai", WeeklySchedule.MondayToFriday(Morning), [new Holiday(date, "国庆节")], [new MakeUpWorkingDay(date)]));
        Assert.Contains("2025-10-01", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateHoliday_Throws()
    {
        var date = new LocalDate(2025, 10, 1);
        Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(
            "Asia/Shanghai", WeeklySchedule.MondayToFriday(Morning), [new Holiday(date), new Holiday(date, "again")]));
    }

    [Fact]
    public void Constructor_MakeUpDayWorkingLikeRestDay_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => BusinessCalendar.Create(
            "Asia/Shanghai", WeeklySchedule.MondayToFriday(Morning), makeUpWorkingDays: [new MakeUpWorkingDay(new LocalDate(2025, 1, 26), IsoDayOfWeek.Saturday)]));
        Assert.Contains("Saturday", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithHolidays_AddsHolidays_OriginalUnchanged()
    {
        var original = ShanghaiPlain();
        var extended = original.WithHolidays([new Holiday(new LocalDate(2025, 3, 3), "Test")]);

        Assert.True(original.IsWorkingDay(new LocalDate(2025, 3, 3)));
        Assert.False(extended.IsWorkingDay(new LocalDate(2025, 3, 3)));
        Assert.Equal("Test", extended.FindHoliday(new LocalDate(2025, 3, 3))?.Name);
    }
}
