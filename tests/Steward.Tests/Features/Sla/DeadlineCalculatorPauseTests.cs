using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

public class DeadlineCalculatorPauseTests
{
    [Fact]
    public void Calculate_PauseOverNightAndHolidayBlock_MovesDeadlineByWorkingTimePaused()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Start Tue 2025-09-30 09:00, 8 business hours. Unpaused: Sep 30 = 7 h, Oct 1-8 National Day, Thu Oct 9 09:00-10:00.
        // Pause [Sep 30 16:30, Oct 9 11:00): working time inside = Sep 30 16:30-17:30 (1 h) + holidays (0)
        // + Oct 9 09:00-11:00 (2 h) = 3 h. Deadline moves by exactly 3 working hours: Oct 9 10:00 -> 12:00 (2 h)
        // then 13:30-14:30 (1 h) -> 2025-10-09 14:30.
        // Check by counting: Sep 30 09:00-12:00 + 13:30-16:30 = 6 h, Oct 9 11:00-12:00 = 1 h, 13:30-14:30 = 1 h.
        var pause = new SlaPause(Sh(2025, 9, 30, 16, 30), Sh(2025, 10, 9, 11));
        var result = calculator.Calculate(Sh(2025, 9, 30, 9), SlaTarget.BusinessHours(8), [pause]);

        Assert.Equal(Sh(2025, 10, 9, 14, 30), result.Deadline);
        Assert.Equal(new PauseExcluded(Sh(2025, 9, 30, 16, 30), Sh(2025, 10, 9, 11), Duration.FromHours(3)), Single<PauseExcluded>(result));
        Assert.Equal(8, result.Steps.OfType<SkippedHoliday>().Count());
    }

    [Fact]
    public void Calculate_PauseOverNight_ExcludesOnlyWorkingTime()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Start Mon 2025-03-03 09:00, 8 h. Pause [Mon 17:00, Tue 09:30): working time inside = 30 min + 30 min = 1 h.
        // Counted Mon 09:00-12:00 + 13:30-17:00 = 6.5 h, Tue from 09:30 + 1.5 h = 11:00 (unpaused Tue 10:00 + 1 h).
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(8), [new SlaPause(Sh(2025, 3, 3, 17), Sh(2025, 3, 4, 9, 30))]);

        Assert.Equal(Sh(2025, 3, 4, 11), result.Deadline);
        Assert.Equal(Duration.FromHours(1), Single<PauseExcluded>(result).Excluded);
    }

    [Fact]
    public void Calculate_PauseOnlyOutsideWorkingHours_DoesNotMoveDeadline()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Fri 2025-03-07 16:00, 3 h: Fri 16:00-17:30 (1.5 h), Mon 09:00 + 1.5 h = 10:30.
        // Pause Fri 18:00 - Mon 08:00 contains no working time.
        var result = calculator.Calculate(Sh(2025, 3, 7, 16), SlaTarget.BusinessHours(3), [new SlaPause(Sh(2025, 3, 7, 18), Sh(2025, 3, 10, 8))]);

        Assert.Equal(Sh(2025, 3, 10, 10, 30), result.Deadline);
        Assert.Equal(Duration.Zero, Single<PauseExcluded>(result).Excluded);
    }

    [Fact]
    public void Calculate_OverlappingAndTouchingPauses_AreMerged()
    {
        var calculator = Calculator(ShanghaiPlain());

        // [10:00, 11:00) + [10:30, 11:30) + [11:30, 12:00) = one pause [10:00, 12:00) of 2 working hours.
        // Mon 09:00, 4 h: 09:00-10:00 (1 h), paused to 12:00, lunch, 13:30-16:30 (3 h) -> 16:30.
        SlaPause[] pauses =
        [
            new(Sh(2025, 3, 3, 10, 30), Sh(2025, 3, 3, 11, 30)),
            new(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 11)),
            new(Sh(2025, 3, 3, 11, 30), Sh(2025, 3, 3, 12)),
        ];
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(4), pauses);

        Assert.Equal(Sh(2025, 3, 3, 16, 30), result.Deadline);
        Assert.Equal(new PauseExcluded(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 12), Duration.FromHours(2)), Single<PauseExcluded>(result));
    }

    [Fact]
    public void Calculate_PauseStartingBeforeStart_IsClippedToStart()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Start Mon 10:00 but paused [08:00, 11:00): counting begins 11:00; 2 h -> 11:00-12:00 + 13:30-14:30.
        var result = calculator.Calculate(Sh(2025, 3, 3, 10), SlaTarget.BusinessHours(2), [new SlaPause(Sh(2025, 3, 3, 8), Sh(2025, 3, 3, 11))]);

        Assert.Equal(Sh(2025, 3, 3, 14, 30), result.Deadline);
        Assert.Equal(new PauseExcluded(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 11), Duration.FromHours(1)), Single<PauseExcluded>(result));
    }

    [Fact]
    public void Calculate_CalendarClockPause_AddsElapsedPausedDuration()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 2025-03-03 10:00 + 24 h = Tue 10:00, plus the 12 h pause [Mon 20:00, Tue 08:00) -> Tue 22:00.
        var result = calculator.Calculate(Sh(2025, 3, 3, 10), SlaTarget.CalendarHours(24), [new SlaPause(Sh(2025, 3, 3, 20), Sh(2025, 3, 4, 8))]);

        Assert.Equal(Sh(2025, 3, 4, 22), result.Deadline);
        Assert.Equal(Duration.FromHours(12), Single<PauseExcluded>(result).Excluded);
    }

    [Fact]
    public void Calculate_CalendarDaysWithPause_AddsElapsedPausedDuration()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Received Mon 2025-03-03 10:00, 2 calendar days -> Wed 24:00 = Thu 2025-03-06 00:00; pause of 5 h -> 05:00.
        var result = calculator.Calculate(Sh(2025, 3, 3, 10), SlaTarget.CalendarDays(2), [new SlaPause(Sh(2025, 3, 4, 10), Sh(2025, 3, 4, 15))]);

        Assert.Equal(Sh(2025, 3, 6, 5), result.Deadline);
    }

    [Fact]
    public void Calculate_BusinessDaysWithPause_MovesCloseOfBusinessByWorkingTimePaused()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Received Mon 2025-03-03 15:00, 3 business days -> Thu 17:30 unpaused. Paused Tue 09:00-12:00 = 3 working
        // hours, so the deadline moves 3 working hours past Thu 17:30: Fri 09:00-12:00 -> Fri 2025-03-07 12:00.
        var result = calculator.Calculate(Sh(2025, 3, 3, 15), SlaTarget.BusinessDays(3), [new SlaPause(Sh(2025, 3, 4, 9), Sh(2025, 3, 4, 12))]);

        Assert.Equal(Sh(2025, 3, 7, 12), result.Deadline);
    }

    [Fact]
    public void Calculate_OpenPauseBeforeDeadline_ReturnsPausedWithoutDeadline()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 09:00, 8 h; paused since Mon 11:00 with no end: 2 h used, 6 h remaining, no deadline.
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(8), [new SlaPause(Sh(2025, 3, 3, 11))]);

        Assert.Equal(DeadlineStatus.Paused, result.Status);
        Assert.Null(result.Deadline);
        Assert.Equal(Sh(2025, 3, 3, 11), result.PausedSince);
        Assert.Equal(new PausedOpenEnded(Sh(2025, 3, 3, 11), Duration.FromHours(2), Duration.FromHours(6)), result.Steps[^1]);
        Assert.Empty(result.Steps.OfType<DeadlineReached>());
    }

    [Fact]
    public void Calculate_OpenPauseOnCalendarClock_ReturnsPaused()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 10:00, 24 elapsed hours, paused since Mon 22:00: 12 h used, 12 h remaining.
        var result = calculator.Calculate(Sh(2025, 3, 3, 10), SlaTarget.CalendarHours(24), [new SlaPause(Sh(2025, 3, 3, 22))]);

        Assert.Equal(DeadlineStatus.Paused, result.Status);
        Assert.Equal(new PausedOpenEnded(Sh(2025, 3, 3, 22), Duration.FromHours(12), Duration.FromHours(12)), Single<PausedOpenEnded>(result));
    }

    [Fact]
    public void Calculate_OpenPauseAfterDeadline_DeadlineStands()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Mon 09:00 + 8 h = Tue 10:00; a pause opened Tue 12:00 comes too late to matter.
        var result = calculator.Calculate(Sh(2025, 3, 3, 9), SlaTarget.BusinessHours(8), [new SlaPause(Sh(2025, 3, 4, 12))]);

        Assert.Equal(DeadlineStatus.Scheduled, result.Status);
        Assert.Equal(Sh(2025, 3, 4, 10), result.Deadline);
    }

    [Fact]
    public void Calculate_OpenPauseOverlappingClosedPause_MergesIntoOpenPause()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Closed [10:00, 11:00) and open from 10:30 merge into "paused since 10:00": 1 h used.
        var result = calculator.Calculate(
            Sh(2025, 3, 3, 9),
            SlaTarget.BusinessHours(8),
            [new SlaPause(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 11)), new SlaPause(Sh(2025, 3, 3, 10, 30))]);

        Assert.Equal(DeadlineStatus.Paused, result.Status);
        Assert.Equal(Sh(2025, 3, 3, 10), result.PausedSince);
        Assert.Equal(Duration.FromHours(1), Single<PausedOpenEnded>(result).Used);
    }

    [Fact]
    public void SlaPause_EndBeforeStart_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SlaPause(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 9)));
    }

    [Fact]
    public void ExplanationParameters_PauseExcluded_AreInvariantStrings()
    {
        var step = new PauseExcluded(Sh(2025, 9, 30, 16, 30), Sh(2025, 10, 9, 11), Duration.FromHours(3));

        Assert.Equal(ExplanationCode.PauseExcluded, step.Code);
        Assert.Equal("2025-09-30T08:30:00Z", step.Parameters["from"]);
        Assert.Equal("2025-10-09T03:00:00Z", step.Parameters["to"]);
        Assert.Equal("0:03:00:00", step.Parameters["excluded"]);
        Assert.Equal("2025-10-01", new SkippedHoliday(new LocalDate(2025, 10, 1), "国庆节").Parameters["date"]);
    }
}
