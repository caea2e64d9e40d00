using NodaTime;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

public class DeadlineCalculatorRetargetAndWarningTests
{
    // All cases: Asia/Shanghai, Mon-Fri 09:00-12:00 + 13:30-17:30 (7 h/day), start Mon 2025-03-03 09:00.
    private static readonly Instant Monday0900 = Sh(2025, 3, 3, 9);

    [Fact]
    public void Retarget_PriorityRaisedAfterFiveHours_KeepsUsedTime()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 24 h target; 5 working hours used at Mon 15:30 (09:00-12:00 = 3 h, 13:30-15:30 = 2 h).
        // New target 8 h: remaining 3 h = Mon 15:30-17:30 (2 h) + Tue 09:00-10:00 (1 h) -> Tue 10:00.
        var result = calculator.Retarget(Monday0900, SlaTarget.BusinessHours(24), Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(8));

        Assert.Equal(DeadlineStatus.Scheduled, result.Status);
        Assert.Equal(Sh(2025, 3, 4, 10), result.Deadline);
        Assert.Equal(
            new Retargeted(Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(24), SlaTarget.BusinessHours(8), Duration.FromHours(5), Duration.FromHours(3)),
            Single<Retargeted>(result));
    }

    [Fact]
    public void RetargetFromUsed_FiveHoursUsed_SameDeadlineAsFromHistory()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Only "5 working hours used at Mon 15:30" is known. New 8 h target: 3 h remain -> Mon 15:30-17:30 + Tue 09:00-10:00.
        var result = calculator.RetargetFromUsed(Monday0900, Sh(2025, 3, 3, 15, 30), Duration.FromHours(5), SlaTarget.BusinessHours(8));

        Assert.Equal(Sh(2025, 3, 4, 10), result.Deadline);
        Assert.Null(Single<Retargeted>(result).OldTarget);
    }

    [Fact]
    public void RetargetFromUsed_UsedExceedsNewTarget_BreachedAtSwitch()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 9 h used > 8 h: breached at the switch instant.
        var result = calculator.RetargetFromUsed(Monday0900, Sh(2025, 3, 4, 11), Duration.FromHours(9), SlaTarget.BusinessHours(8));

        Assert.Equal(DeadlineStatus.Breached, result.Status);
        Assert.Equal(Sh(2025, 3, 4, 11), result.Deadline);
    }

    [Fact]
    public void Retarget_UsedExactlyEqualsNewTarget_DueAtSwitchNotBreached()
    {
        var calculator = Calculator(ShanghaiPlain());

        // At Tue 10:00 exactly 8 h are used (Mon 7 h + Tue 09:00-10:00): the 8 h target is due now, not exceeded.
        var result = calculator.Retarget(Monday0900, SlaTarget.BusinessHours(24), Sh(2025, 3, 4, 10), SlaTarget.BusinessHours(8));

        Assert.Equal(DeadlineStatus.Scheduled, result.Status);
        Assert.Equal(Sh(2025, 3, 4, 10), result.Deadline);
    }

    [Fact]
    public void Retarget_NewTargetAlreadyExceeded_BreachedAtSwitchInstant()
    {
        var calculator = Calculator(ShanghaiPlain());

        // At Tue 11:00, 9 working hours are used (Mon 7 h + Tue 09:00-11:00); the new 8 h target is exceeded.
        var result = calculator.Retarget(Monday0900, SlaTarget.BusinessHours(24), Sh(2025, 3, 4, 11), SlaTarget.BusinessHours(8));

        Assert.Equal(DeadlineStatus.Breached, result.Status);
        Assert.Equal(Sh(2025, 3, 4, 11), result.Deadline);
        Assert.Equal(new TargetAlreadyExceeded(Sh(2025, 3, 4, 11), Duration.FromHours(9), Duration.FromHours(8)), Single<TargetAlreadyExceeded>(result));
    }

    [Fact]
    public void Retarget_PriorityLowered_ExtendsDeadline()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 8 h -> 24 h at Mon 15:30 (5 h used): 19 h remain: Mon 2 h (7), Tue 7 h (14), Wed 7 h (21), Thu 09:00-12:00 (24).
        var result = calculator.Retarget(Monday0900, SlaTarget.BusinessHours(8), Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(24));

        Assert.Equal(Sh(2025, 3, 6, 12), result.Deadline);
    }

    [Fact]
    public void Retarget_WithPauseBeforeSwitch_UsedTimeExcludesPause()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Paused Mon 10:00-11:00. Used at Mon 16:30: 09:00-10:00 (1) + 11:00-12:00 (1) + 13:30-16:30 (3) = 5 h.
        // New 8 h target: 3 h remain = 16:30-17:30 (1) + Tue 09:00-11:00 (2) -> Tue 11:00.
        var result = calculator.Retarget(
            Monday0900, SlaTarget.BusinessHours(24), Sh(2025, 3, 3, 16, 30), SlaTarget.BusinessHours(8), [new SlaPause(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 11))]);

        Assert.Equal(Sh(2025, 3, 4, 11), result.Deadline);
        Assert.Equal(Duration.FromHours(5), Single<Retargeted>(result).Used);
    }

    [Fact]
    public void Retarget_FromCalendarToBusinessClock_UsedMeasuredOnOldClock()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 48 calendar hours; switch Mon 19:00 after 10 elapsed hours. New 16 business hours: 6 h remain, counted on
        // the business clock from Mon 19:00: Tue 09:00-12:00 (3) + 13:30-16:30 (3) -> Tue 16:30.
        var result = calculator.Retarget(Monday0900, SlaTarget.CalendarHours(48), Sh(2025, 3, 3, 19), SlaTarget.BusinessHours(16));

        Assert.Equal(Sh(2025, 3, 4, 16, 30), result.Deadline);
        Assert.Equal(Duration.FromHours(10), Single<Retargeted>(result).Used);
    }

    [Fact]
    public void Calculate_TwoTargetChanges_KeepsUsedTimeAcrossBoth()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 24 h -> 8 h at Mon 15:30 (5 h used) -> 16 h at Tue 10:00 (5 + Mon 15:30-17:30 2 h + Tue 09:00-10:00 1 h = 8 h).
        // 8 h remain: Tue 10:00-12:00 (2) + 13:30-17:30 (4) + Wed 09:00-11:00 (2) -> Wed 2025-03-05 11:00.
        var timeline = new SlaTimeline(Monday0900, SlaTarget.BusinessHours(24))
            .WithTargetChange(Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(8))
            .WithTargetChange(Sh(2025, 3, 4, 10), SlaTarget.BusinessHours(16));

        var result = calculator.Calculate(timeline);

        Assert.Equal(Sh(2025, 3, 5, 11), result.Deadline);
        Assert.Equal(Duration.FromHours(8), result.Steps.OfType<Retargeted>().Last().Used);
    }

    [Fact]
    public void Retarget_DuringOpenPause_ReturnsPaused()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Paused since Mon 11:00 (2 h used); priority raised at Mon 14:00 to 8 h: still paused, 6 h remaining.
        var result = calculator.Retarget(Monday0900, SlaTarget.BusinessHours(24), Sh(2025, 3, 3, 14), SlaTarget.BusinessHours(8), [new SlaPause(Sh(2025, 3, 3, 11))]);

        Assert.Equal(DeadlineStatus.Paused, result.Status);
        Assert.Equal(new PausedOpenEnded(Sh(2025, 3, 3, 11), Duration.FromHours(2), Duration.FromHours(6)), Single<PausedOpenEnded>(result));
    }

    [Fact]
    public void SlaTimeline_ChangeBeforeStart_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SlaTimeline(Monday0900, SlaTarget.BusinessHours(8)).WithTargetChange(Sh(2025, 3, 3, 8), SlaTarget.BusinessHours(4)));
    }

    [Fact]
    public void GetUsage_MidAfternoon_ReturnsUsedRemainingAndPercent()
    {
        var calculator = Calculator(ShanghaiPlain());

        // At Mon 15:00: 09:00-12:00 (3 h) + 13:30-15:00 (1.5 h) = 4.5 h of 8 h = 56.25 %, 3.5 h remaining.
        var usage = calculator.GetUsage(Monday0900, SlaTarget.BusinessHours(8), Sh(2025, 3, 3, 15));

        Assert.Equal(Duration.FromMinutes(270), usage.Used);
        Assert.Equal(Duration.FromMinutes(210), usage.Remaining);
        Assert.Equal(Duration.Zero, usage.Overrun);
        Assert.Equal(56.25m, usage.Percent);
        Assert.False(usage.IsBreached);
        Assert.False(usage.IsPaused);
    }

    [Fact]
    public void GetUsage_AfterDeadline_ReportsOverrun()
    {
        var calculator = Calculator(ShanghaiPlain());

        // At Tue 11:00: Mon 7 h + Tue 2 h = 9 h of 8 h -> 1 h over, 112.5 %.
        var usage = calculator.GetUsage(Monday0900, SlaTarget.BusinessHours(8), Sh(2025, 3, 4, 11));

        Assert.Equal(Duration.FromHours(9), usage.Used);
        Assert.Equal(Duration.Zero, usage.Remaining);
        Assert.Equal(Duration.FromHours(1), usage.Overrun);
        Assert.Equal(112.5m, usage.Percent);
        Assert.True(usage.IsBreached);
    }

    [Fact]
    public void GetUsage_DuringOpenPause_StopsCountingAndReportsPaused()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Paused since Mon 11:00: at Wed 10:00 still only 2 h used.
        var usage = calculator.GetUsage(Monday0900, SlaTarget.BusinessHours(8), Sh(2025, 3, 5, 10), [new SlaPause(Sh(2025, 3, 3, 11))]);

        Assert.Equal(Duration.FromHours(2), usage.Used);
        Assert.True(usage.IsPaused);
    }

    [Fact]
    public void GetUsage_Timeline_UsesTargetInForceAtInstant()
    {
        var calculator = Calculator(ShanghaiPlain());
        var timeline = new SlaTimeline(Monday0900, SlaTarget.BusinessHours(24)).WithTargetChange(Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(8));

        // Before the change (Mon 15:00): 4.5 h of 24 h = 18.75 %. After (Mon 16:30): 6 h of 8 h = 75 %.
        var before = calculator.GetUsage(timeline, Sh(2025, 3, 3, 15));
        var after = calculator.GetUsage(timeline, Sh(2025, 3, 3, 16, 30));

        Assert.Equal(SlaTarget.BusinessHours(24), before.Target);
        Assert.Equal(18.75m, before.Percent);
        Assert.Equal(SlaTarget.BusinessHours(8), after.Target);
        Assert.Equal(Duration.FromHours(6), after.Used);
        Assert.Equal(75m, after.Percent);
    }

    [Fact]
    public void GetUsage_BeforeStart_IsZero()
    {
        var usage = Calculator(ShanghaiPlain()).GetUsage(Monday0900, SlaTarget.BusinessHours(8), Sh(2025, 3, 3, 8));

        Assert.Equal(Duration.Zero, usage.Used);
        Assert.Equal(0m, usage.Percent);
    }

    [Fact]
    public void CalculateWarning_75And90PercentOfEightHours_CountOnBusinessClock()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 75 % of 8 h = 6 h: 09:00-12:00 (3) + 13:30-16:30 (3) -> Mon 16:30.
        // 90 % of 8 h = 7 h 12 min: Monday gives 7 h until 17:30, then Tue 09:00 + 12 min -> Tue 09:12.
        var at75 = calculator.CalculateWarning(Monday0900, SlaTarget.BusinessHours(8), 75m);
        var at90 = calculator.CalculateWarning(Monday0900, SlaTarget.BusinessHours(8), 90m);

        Assert.Equal(Sh(2025, 3, 3, 16, 30), at75.Deadline);
        Assert.Equal(new WarningThreshold(75m, Duration.FromHours(6)), Single<WarningThreshold>(at75));
        Assert.Equal(Sh(2025, 3, 4, 9, 12), at90.Deadline);
        Assert.Equal(Duration.FromMinutes(432), at90.Goal);
    }

    [Fact]
    public void CalculateWarning_AfterRetarget_UsesNewTargetAndKeptTime()
    {
        var calculator = Calculator(ShanghaiPlain());
        var timeline = new SlaTimeline(Monday0900, SlaTarget.BusinessHours(24)).WithTargetChange(Sh(2025, 3, 3, 15, 30), SlaTarget.BusinessHours(8));

        // 5 h used at the change; 75 % of 8 h = 6 h -> 1 more hour -> Mon 16:30; 90 % = 7.2 h -> Tue 09:12.
        Assert.Equal(Sh(2025, 3, 3, 16, 30), calculator.CalculateWarning(timeline, 75m).Deadline);
        Assert.Equal(Sh(2025, 3, 4, 9, 12), calculator.CalculateWarning(timeline, 90m).Deadline);
    }

    [Fact]
    public void CalculateWarning_ThresholdAlreadyPassedAtRetarget_BreachedAtSwitch()
    {
        var calculator = Calculator(ShanghaiPlain());
        // Change at Mon 17:00 with 6.5 h used: 75 % of 8 h (6 h) already passed; 90 % (7.2 h) -> 17:00-17:30 (7 h), Tue 09:12.
        var timeline = new SlaTimeline(Monday0900, SlaTarget.BusinessHours(24)).WithTargetChange(Sh(2025, 3, 3, 17), SlaTarget.BusinessHours(8));

        var at75 = calculator.CalculateWarning(timeline, 75m);
        var at90 = calculator.CalculateWarning(timeline, 90m);

        Assert.Equal(DeadlineStatus.Breached, at75.Status);
        Assert.Equal(Sh(2025, 3, 3, 17), at75.Deadline);
        Assert.Equal(DeadlineStatus.Scheduled, at90.Status);
        Assert.Equal(Sh(2025, 3, 4, 9, 12), at90.Deadline);
    }

    [Fact]
    public void CalculateWarning_WithPause_SkipsPausedWorkingTime()
    {
        var calculator = Calculator(ShanghaiPlain());

        // Paused Mon 10:00-11:00. 75 % of 8 h = 6 h: 09:00-10:00 (1) + 11:00-12:00 (1) + 13:30-17:30 (4) -> Mon 17:30.
        var result = calculator.CalculateWarning(Monday0900, SlaTarget.BusinessHours(8), 75m, [new SlaPause(Sh(2025, 3, 3, 10), Sh(2025, 3, 3, 11))]);

        Assert.Equal(Sh(2025, 3, 3, 17, 30), result.Deadline);
    }

    [Fact]
    public void CalculateWarning_BusinessDays_UsesWorkingTimeBudget()
    {
        var calculator = Calculator(ShanghaiPlain());

        // 3 business days from Mon 09:00 -> Thu 17:30; budget = Mon + Tue + Wed + Thu = 28 working hours.
        // 75 % = 21 h -> end of Wednesday (Wed 17:30); 50 % = 14 h -> end of Tuesday.
        Assert.Equal(Sh(2025, 3, 5, 17, 30), calculator.CalculateWarning(Monday0900, SlaTarget.BusinessDays(3), 75m).Deadline);
        Assert.Equal(Sh(2025, 3, 4, 17, 30), calculator.CalculateWarning(Monday0900, SlaTarget.BusinessDays(3), 50m).Deadline);
    }

    [Fact]
    public void CalculateWarning_CalendarHoursAcrossLondonClockChange_CountsRealHours()
    {
        var calculator = Calculator(London());

        // Sat 2026-10-24 12:00 BST = 11:00Z; 75 % of 24 h = 18 h -> 2026-10-25 05:00Z = 05:00 GMT.
        var result = calculator.CalculateWarning(Bst(2026, 10, 24, 12), SlaTarget.CalendarHours(24), 75m);

        Assert.Equal(Gmt(2026, 10, 25, 5), result.Deadline);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(100.5)]
    public void CalculateWarning_PercentOutOfRange_Throws(double percent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            Calculator(ShanghaiPlain()).CalculateWarning(Monday0900, SlaTarget.BusinessHours(8), (decimal)percent));
    }
}
