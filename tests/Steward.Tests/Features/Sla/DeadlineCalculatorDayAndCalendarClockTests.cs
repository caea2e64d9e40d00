using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

public class DeadlineCalculatorDayAndCalendarClockTests
{
    [Fact]
    public void CalculateBusinessDays_ReceivedMidDay_CloseOfBusinessOfThirdFollowingDay()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Received Mon 2025-03-03 15:00. Receipt day not counted: Tue (1), Wed (2), Thu (3) -> Thu 2025-03-06 17:30.
        // Budget = rest of Monday 15:00-17:30 (2.5 h) + 3 x 7 h = 23.5 working hours.
        var result = calculator.Calculate(Sh(2025, 3, 3, 15), SlaTarget.BusinessDays(3));

        Assert.Equal(Sh(2025, 3, 6, 17, 30), result.Deadline);
        Assert.Equal(Duration.FromMinutes(23 * 60 + 30), result.Budget);
        Assert.Equal(
            new BusinessDaysCounted(new LocalDate(2025, 3, 3), 3, new LocalDate(2025, 3, 6), Sh(2025, 3, 6, 17, 30), Duration.FromMinutes(23 * 60 + 30)),
            Single<BusinessDaysCounted>(result));
    }

    [Fact]
    public void CalculateBusinessDays_ReceivedBeforeOpening_ReceiptDayStillNotCounted()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Received Mon 2025-03-03 08:00, before opening: Monday is still the day of receipt -> Thu 17:30.
        var result = calculator.Calculate(Sh(2025, 3, 3, 8), SlaTarget.BusinessDays(3));

        Assert.Equal(Sh(2025, 3, 6, 17, 30), result.Deadline);
    }

    [Theory]
    [InlineData(8, 11, 0)] // Saturday 2025-03-08 11:00: non-working receipt day
    [InlineData(7, 20, 0)] // Friday 2025-03-07 20:00: after hours on a working day
    public void CalculateBusinessDays_ReceivedOnWeekendOrAfterHours_FirstFollowingWorkingDayIsDayOne(int day, int hour, int minute)
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 2025-03-10 (1), Tue 11 (2), Wed 12 (3) -> Wed 2025-03-12 17:30.
        var result = calculator.Calculate(Sh(2025, 3, day, hour, minute), SlaTarget.BusinessDays(3));

        Assert.Equal(Sh(2025, 3, 12, 17, 30), result.Deadline);
    }

    [Fact]
    public void CalculateBusinessDays_AcrossMakeUpSaturday_CountsMakeUpDay()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Thu 2025-02-06: Fri Feb 7 (1), Sat Feb 8 is a Spring Festival make-up day (2), Sun rest,
        // Mon Feb 10 (3) -> Mon 2025-02-10 17:30.
        var result = calculator.Calculate(Sh(2025, 2, 6, 9), SlaTarget.BusinessDays(3));

        Assert.Equal(Sh(2025, 2, 10, 17, 30), result.Deadline);
        Assert.Equal(new LocalDate(2025, 2, 8), Single<MadeUpWorkingDay>(result).Date);
    }

    [Fact]
    public void CalculateBusinessDays_ReceivedOnHoliday_FirstWorkingDayAfterBlockIsDayOne()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Wed 2025-10-01 (National Day, Oct 1-8 off): Thu Oct 9 is day 1 -> Oct 9 17:30.
        var result = calculator.Calculate(Sh(2025, 10, 1, 10), SlaTarget.BusinessDays(1));

        Assert.Equal(Sh(2025, 10, 9, 17, 30), result.Deadline);
    }

    [Fact]
    public void CalculateBusinessDays_SixtyDaysAcrossSpringFestival_CountsDaysNotMinutes()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Thu 2025-01-02. Working days after it:
        // Jan 3 (1); Jan 6-10 (2-6); Jan 13-17 (7-11); Jan 20-24 (12-16); Sun Jan 26 make-up (17); Mon Jan 27 (18);
        // Jan 28 - Feb 4 off; Feb 5-7 (19-21); Sat Feb 8 make-up (22); Feb 10-14 (23-27); Feb 17-21 (28-32);
        // Feb 24-28 (33-37); Mar 3-7 (38-42); Mar 10-14 (43-47); Mar 17-21 (48-52); Mar 24-28 (53-57);
        // Mon Mar 31 (58), Tue Apr 1 (59), Wed Apr 2 (60) -> 2025-04-02 17:30 (Qingming Apr 4-6 comes later).
        var result = calculator.Calculate(Sh(2025, 1, 2, 10), SlaTarget.BusinessDays(60));

        Assert.Equal(Sh(2025, 4, 2, 17, 30), result.Deadline);
        Assert.Equal(2, result.Steps.OfType<MadeUpWorkingDay>().Count());
        Assert.Equal(8, result.Steps.OfType<SkippedHoliday>().Count());
    }

    [Fact]
    public void CalculateBusinessDays_LondonAcrossClockChange_CloseOfBusinessInGmt()
    {
        var calculator = Calculator(London());

        // Received Fri 2026-10-23 10:00 BST; day 1 is Mon 2026-10-26 (after clocks went back) -> 17:00 GMT = 17:00Z.
        var result = calculator.Calculate(Bst(2026, 10, 23, 10), SlaTarget.BusinessDays(1));

        Assert.Equal(Gmt(2026, 10, 26, 17), result.Deadline);
    }

    [Fact]
    public void CalculateCalendarHours_LondonAcrossOctoberClockChange_Is24RealHours()
    {
        var calculator = Calculator(London());

        // Sat 2026-10-24 12:00 BST = 11:00Z; + 24 h = 2026-10-25 11:00Z, which is 11:00 GMT local (wall time shifts by -1 h).
        var result = calculator.Calculate(Bst(2026, 10, 24, 12), SlaTarget.CalendarHours(24));

        Assert.Equal(Instant.FromUtc(2026, 10, 25, 11, 0), result.Deadline);
        Assert.Equal(new LocalDateTime(2026, 10, 25, 11, 0), Single<DeadlineReached>(result).LocalAt);
        Assert.Equal(new ZoneTransition(Instant.FromUtc(2026, 10, 25, 1, 0), Offset.FromHours(1), Offset.Zero), Single<ZoneTransition>(result));
    }

    [Fact]
    public void CalculateCalendarHours_LondonAcrossMarchClockChange_Is24RealHours()
    {
        var calculator = Calculator(London());

        // Sat 2026-03-28 12:00 GMT = 12:00Z; + 24 h = 2026-03-29 12:00Z = 13:00 BST local.
        var result = calculator.Calculate(Gmt(2026, 3, 28, 12), SlaTarget.CalendarHours(24));

        Assert.Equal(Bst(2026, 3, 29, 13), result.Deadline);
    }

    [Fact]
    public void CalculateCalendarHours_Shanghai_IgnoresHolidaysAndHasNoDst()
    {
        var calculator = Calculator(ShanghaiPrc());

        // 2025-09-30 10:00 +08 + 48 h = 2025-10-02 10:00 +08, holidays are irrelevant on the calendar clock.
        var result = calculator.Calculate(Sh(2025, 9, 30, 10), SlaTarget.CalendarHours(48));

        Assert.Equal(Sh(2025, 10, 2, 10), result.Deadline);
        Assert.Empty(result.Steps.OfType<SkippedHoliday>());
        Assert.Empty(result.Steps.OfType<StartOutsideHours>());
    }

    [Fact]
    public void CalculateCalendarDays_LondonAcrossOctoberClockChange_EndsAtLocalMidnight()
    {
        var calculator = Calculator(London());

        // Received Fri 2026-10-23 15:00 BST (14:00Z); + 2 days -> last day Sun Oct 25; its end (24:00) is
        // Mon 2026-10-26 00:00 GMT = 00:00Z. Real time 14:00Z Oct 23 -> 00:00Z Oct 26 = 10 + 24 + 24 = 58 h, while
        // the wall clock shows 57 h (Fri 15:00 -> Sun 24:00): the difference is the repeated hour.
        var result = calculator.Calculate(Bst(2026, 10, 23, 15), SlaTarget.CalendarDays(2));

        Assert.Equal(Gmt(2026, 10, 26, 0), result.Deadline);
        Assert.Equal(Duration.FromHours(58), result.Budget);
    }

    [Fact]
    public void CalculateCalendarDays_LondonAcrossMarchClockChange_EndsAtLocalMidnight()
    {
        var calculator = Calculator(London());

        // Received Sat 2026-03-28 10:00 GMT; + 1 day -> last day Sun Mar 29 (clocks go forward), its end is
        // Mon 2026-03-30 00:00 BST = 2026-03-29 23:00Z.
        var result = calculator.Calculate(Gmt(2026, 3, 28, 10), SlaTarget.CalendarDays(1));

        Assert.Equal(Bst(2026, 3, 30, 0), result.Deadline);
        Assert.Equal(Instant.FromUtc(2026, 3, 29, 23, 0), result.Deadline);
    }

    [Fact]
    public void CalculateCalendarDays_LastDayIsHolidayWithoutRollForward_EndsOnHoliday()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Sun 2025-09-28 10:00; + 3 days = Wed Oct 1 (holiday), end = Thu 2025-10-02 00:00 +08.
        var result = calculator.Calculate(Sh(2025, 9, 28, 10), SlaTarget.CalendarDays(3));

        Assert.Equal(Sh(2025, 10, 2, 0), result.Deadline);
        Assert.Empty(result.Steps.OfType<RolledForward>());
    }

    [Fact]
    public void CalculateCalendarDays_LastDayIsHolidayWithRollForward_EndsAfterNextWorkingDay()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Sun 2025-09-28 10:00; + 3 days = Wed Oct 1, a holiday. PRC Civil Code art. 203: the day after the
        // holiday (Oct 1-8) is the last day -> Thu Oct 9, ending at 24:00 = 2025-10-10 00:00 +08.
        var result = calculator.Calculate(Sh(2025, 9, 28, 10), SlaTarget.CalendarDays(3, rollForwardWhenLastDayIsNonWorking: true));

        Assert.Equal(Sh(2025, 10, 10, 0), result.Deadline);
        Assert.Equal(new RolledForward(new LocalDate(2025, 10, 1), new LocalDate(2025, 10, 9)), Single<RolledForward>(result));
        Assert.Equal(8, result.Steps.OfType<SkippedHoliday>().Count());
        Assert.Equal(new LocalDate(2025, 10, 9), Single<CalendarDaysCounted>(result).LastDay);
    }

    [Fact]
    public void CalculateCalendarDays_SpringFestival2026WithRollForward_EndsAfterFirstDayBackAtWork()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Thu 2026-02-12; + 5 days = Tue Feb 17, inside the Spring Festival block Feb 15-23.
        // First working day after it: Tue Feb 24 -> ends 2026-02-25 00:00 +08.
        var result = calculator.Calculate(Sh(2026, 2, 12, 10), SlaTarget.CalendarDays(5, rollForwardWhenLastDayIsNonWorking: true));

        Assert.Equal(Sh(2026, 2, 25, 0), result.Deadline);
        Assert.Equal(new RolledForward(new LocalDate(2026, 2, 17), new LocalDate(2026, 2, 24)), Single<RolledForward>(result));
    }

    [Fact]
    public void CalculateCalendarDays_LastDayIsSaturdayWithRollForward_RollsToMonday()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Received Wed 2025-03-05; + 3 days = Sat Mar 8 (rest day) -> Mon Mar 10 -> 2025-03-11 00:00 +08.
        var result = calculator.Calculate(Sh(2025, 3, 5, 10), SlaTarget.CalendarDays(3, rollForwardWhenLastDayIsNonWorking: true));

        Assert.Equal(Sh(2025, 3, 11, 0), result.Deadline);
    }

    [Fact]
    public void CalculateCalendarDays_LastDayIsMakeUpSaturday_DoesNotRoll()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Received Wed 2025-10-08; + 3 days = Sat Oct 11, a make-up working day -> no roll, ends 2025-10-12 00:00 +08.
        var result = calculator.Calculate(Sh(2025, 10, 8, 10), SlaTarget.CalendarDays(3, rollForwardWhenLastDayIsNonWorking: true));

        Assert.Equal(Sh(2025, 10, 12, 0), result.Deadline);
        Assert.Empty(result.Steps.OfType<RolledForward>());
    }

    [Fact]
    public void SlaTarget_RollForwardOnNonCalendarDaysUnit_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SlaTarget(3, SlaUnit.BusinessDays, rollForwardWhenLastDayIsNonWorking: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlaTarget.BusinessHours(0));
    }
}
