using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

public class DeadlineCalculatorBusinessHoursTests
{
    [Fact]
    public void Calculate_StartBeforeOpening_CountsFromFirstPeriod()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 2025-03-03 08:00 is before opening: count from 09:00. 09:00-12:00 = 3 h, then 1 h from 13:30 -> 14:30.
        var result = calculator.Calculate(Sh(2025, 3, 3, 8), SlaTarget.BusinessHours(4));

        Assert.Equal(DeadlineStatus.Scheduled, result.Status);
        Assert.Equal(Sh(2025, 3, 3, 14, 30), result.Deadline);
        Assert.Equal(new StartOutsideHours(Sh(2025, 3, 3, 8), Sh(2025, 3, 3, 9)), result.Steps[0]);
        Assert.Equal(new DeadlineReached(Sh(2025, 3, 3, 14, 30), new LocalDateTime(2025, 3, 3, 14, 30)), result.Steps[^1]);
    }

    [Fact]
    public void Calculate_StartFridayEvening_CountsFromMondayMorning()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Fri 2025-03-07 19:00 -> next period Mon 2025-03-10 09:00; 2 h -> 11:00.
        var result = calculator.Calculate(Sh(2025, 3, 7, 19), SlaTarget.BusinessHours(2));

        Assert.Equal(Sh(2025, 3, 10, 11), result.Deadline);
        Assert.Equal(Sh(2025, 3, 10, 9), Single<StartOutsideHours>(result).NextStart);
    }

    [Fact]
    public void Calculate_AcrossLunchBreak_SkipsLunch()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 11:00: 11:00-12:00 = 1 h, lunch 12:00-13:30 does not count, 13:30-14:30 = 1 h -> 14:30.
        var result = calculator.Calculate(Sh(2025, 3, 3, 11), SlaTarget.BusinessHours(2));

        Assert.Equal(Sh(2025, 3, 3, 14, 30), result.Deadline);
        Assert.Empty(result.Steps.OfType<StartOutsideHours>());
    }

    [Fact]
    public void Calculate_BusinessMinutesAcrossLunch_SkipsLunch()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 11:50: 10 min until 12:00, remaining 10 min from 13:30 -> 13:40.
        var result = calculator.Calculate(Sh(2025, 3, 3, 11, 50), SlaTarget.BusinessMinutes(20));

        Assert.Equal(Sh(2025, 3, 3, 13, 40), result.Deadline);
    }

    [Fact]
    public void Calculate_StartDuringLunch_CountsFromAfternoon()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 12:45 (lunch) -> 13:30 + 30 min = 14:00.
        var result = calculator.Calculate(Sh(2025, 3, 3, 12, 45), SlaTarget.BusinessMinutes(30));

        Assert.Equal(Sh(2025, 3, 3, 14), result.Deadline);
        Assert.Equal(Sh(2025, 3, 3, 13, 30), Single<StartOutsideHours>(result).NextStart);
    }

    [Fact]
    public void Calculate_DeadlineExactlyAtMorningEnd_IsThatInstantNotAfternoonStart()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 09:00 + 3 h = 12:00 exactly, the end of the morning period (not 13:30).
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(3));

        Assert.Equal(Sh(2025, 3, 3, 12), result.Deadline);
    }

    [Fact]
    public void Calculate_DeadlineExactlyAtCloseOfBusiness_IsThatInstantNotNextMorning()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 09:00 + 7 h = 3 h morning + 4 h afternoon = Mon 17:30 exactly (not Tue 09:00).
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(7));

        Assert.Equal(Sh(2025, 3, 3, 17, 30), result.Deadline);
    }

    [Fact]
    public void Calculate_StartExactlyAtCloseOfBusiness_IsOutsideHours()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 17:30 is the (exclusive) end of the day: counting starts Tue 09:00; 1 h -> Tue 10:00.
        var result = calculator.Calculate(Sh(2025, 3, 3, 17, 30), SlaTarget.BusinessHours(1));

        Assert.Equal(Sh(2025, 3, 4, 10), result.Deadline);
        Assert.Single(result.Steps.OfType<StartOutsideHours>());
    }

    [Fact]
    public void Calculate_StartOnHoliday_CountsFromFirstWorkingDayAfterHolidayBlock()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Wed 2025-10-01 10:00 is National Day; Oct 1-8 are off. Thu Oct 9: 7 h (09:00-12:00, 13:30-17:30),
        // remaining 1 h on Fri Oct 10 09:00-10:00.
        var result = calculator.Calculate(Sh(2025, 10, 1, 10), SlaTarget.BusinessHours(8));

        Assert.Equal(Sh(2025, 10, 10, 10), result.Deadline);
        Assert.Equal(Sh(2025, 10, 9, 9), Single<StartOutsideHours>(result).NextStart);
        var skipped = result.Steps.OfType<SkippedHoliday>().ToList();
        Assert.Equal(8, skipped.Count);
        Assert.Equal(new LocalDate(2025, 10, 1), skipped[0].Date);
        Assert.Equal(new LocalDate(2025, 10, 8), skipped[^1].Date);
        Assert.All(skipped, s => Assert.Equal("国庆节、中秋节", s.Name));
    }

    [Fact]
    public void Calculate_AcrossSpringFestival2025_SkipsHolidayBlockAndCountsMakeUpSunday()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Fri 2025-01-24 16:30: 16:30-17:30 = 1 h (1).
        // Sat Jan 25 rest. Sun Jan 26 make-up day (Monday hours): 7 h (8). Mon Jan 27: 7 h (15).
        // Jan 28 - Feb 4 Spring Festival off. Wed Feb 5 09:00 + 1 h -> 10:00 (16).
        var result = calculator.Calculate(Sh(2025, 1, 24, 16, 30), SlaTarget.BusinessHours(16));

        Assert.Equal(Sh(2025, 2, 5, 10), result.Deadline);
        var madeUp = Single<MadeUpWorkingDay>(result);
        Assert.Equal(new LocalDate(2025, 1, 26), madeUp.Date);
        Assert.Equal(IsoDayOfWeek.Monday, madeUp.WorksLike);
        Assert.Equal(
            Enumerable.Range(0, 8).Select(i => new LocalDate(2025, 1, 28).PlusDays(i)),
            result.Steps.OfType<SkippedHoliday>().Select(s => s.Date));
        // Chronological: make-up day before the holidays, deadline last.
        var codes = result.Steps.Select(s => s.Code).ToList();
        Assert.True(codes.IndexOf(ExplanationCode.MadeUpWorkingDay) < codes.IndexOf(ExplanationCode.SkippedHoliday));
        Assert.Equal(ExplanationCode.DeadlineReached, codes[^1]);
    }

    [Fact]
    public void Calculate_ShanghaiNoDst_EightHoursAlwaysAddsWholeWorkingHours()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Asia/Shanghai has no DST: Fri 2026-10-23 15:00 +08: 15:00-17:30 = 2.5 h; Mon Oct 26 09:00-12:00 = 3 h (5.5);
        // 13:30 + 2.5 h = 16:00 (8). The same weekend as London's change makes no difference here.
        var result = calculator.Calculate(Sh(2026, 10, 23, 15), SlaTarget.BusinessHours(8));

        Assert.Equal(Sh(2026, 10, 26, 16), result.Deadline);
        Assert.Empty(result.Steps.OfType<ZoneTransition>());
    }

    [Fact]
    public void Calculate_LondonAcrossOctober2026ClockChange_CountsWorkingHoursInNewOffset()
    {
        var calculator = Calculator(London());

        // Fri 2026-10-23 15:00 BST (14:00Z): 15:00-17:00 = 2 h. Clocks go back Sun 2026-10-25 02:00 BST -> 01:00 GMT.
        // Mon 2026-10-26 09:00 GMT + 2 h -> 11:00 GMT = 11:00Z (an elapsed-time shortcut would say 10:00 GMT).
        var result = calculator.Calculate(Bst(2026, 10, 23, 15), SlaTarget.BusinessHours(4));

        Assert.Equal(Gmt(2026, 10, 26, 11), result.Deadline);
        Assert.Equal(Instant.FromUtc(2026, 10, 26, 11, 0), result.Deadline);
        Assert.Equal(new ZoneTransition(Instant.FromUtc(2026, 10, 25, 1, 0), Offset.FromHours(1), Offset.Zero), Single<ZoneTransition>(result));
        Assert.Equal(new LocalDateTime(2026, 10, 26, 11, 0), Single<DeadlineReached>(result).LocalAt);
    }

    [Fact]
    public void Calculate_LondonAcrossMarch2026ClockChange_CountsWorkingHoursInNewOffset()
    {
        var calculator = Calculator(London());

        // Fri 2026-03-27 16:00 GMT: 1 h to 17:00. Clocks go forward Sun 2026-03-29 01:00 GMT -> 02:00 BST.
        // Mon 2026-03-30 09:00 BST + 1 h = 10:00 BST = 09:00Z.
        var result = calculator.Calculate(Gmt(2026, 3, 27, 16), SlaTarget.BusinessHours(2));

        Assert.Equal(Bst(2026, 3, 30, 10), result.Deadline);
        Assert.Equal(Instant.FromUtc(2026, 3, 30, 9, 0), result.Deadline);
    }

    [Fact]
    public void Calculate_CalendarWithoutWorkingPeriodsForYears_ThrowsClearException()
    {
        // Every day of 2025-2029 is a holiday: no working period within 3 years of the start.
        var holidays = Enumerable.Range(0, 5 * 366).Select(i => new Holiday(new LocalDate(2025, 1, 1).PlusDays(i)));
        var calendar = BusinessCalendar.Create("Asia/Shanghai", WeeklySchedule.MondayToFriday(Morning), holidays);
        var calculator = Calculator(calendar);

        var ex = Assert.Throws<InvalidOperationException>(() => calculator.Calculate(Sh(2025, 1, 2, 10), SlaTarget.BusinessHours(1)));
        Assert.Contains("no working period", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => calculator.Calculate(Sh(2025, 1, 2, 10), SlaTarget.BusinessDays(1)));
    }

    [Fact]
    public void Calculate_VeryLongTarget_CountsWholeWeeksInAFewExplainedSteps()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 7 000 business hours = 1 000 working days of 7 h. Mon 2025-03-03 09:00 + 1 000 working days (200 full
        // weeks of 5 days) ends at close of business of the Friday of week 200: Mon + 199 weeks + 4 days.
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(7000));

        var expectedDay = new LocalDate(2025, 3, 3).PlusWeeks(199).PlusDays(4);
        Assert.Equal(IsoDayOfWeek.Friday, expectedDay.DayOfWeek);
        Assert.Equal(Sh(expectedDay.Year, expectedDay.Month, expectedDay.Day, 17, 30), result.Deadline);
        // Four years without holidays on a plain calendar: no step for each of the 1 000 days, only the outcome (and
        // the notes that years 2025–2029 have no holidays loaded). No wall-clock measure: how fast is the bench's question.
        Assert.InRange(result.Steps.Count, 1, 10);
    }
}
