using NodaTime;
using Steward.Features.Sla;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// A count that runs into a year whose holidays the calendar does not hold says so (issue 10). The PRC calendar below
/// holds the State Council's 2025 and 2026 schedules only.
/// </summary>
public class DeadlineCalculatorHolidayYearsTests
{
    [Fact]
    public void Calculate_FromLastAfternoonOf2026IntoUnloaded2027_WarnsThat2027IsCountedAsOrdinaryWeeks()
    {
        var calculator = Calculator(ShanghaiPrc());

        // Thu 2026-12-31 16:30 + 16 working hours (09:00–12:00 and 13:30–17:30, 7 h a day):
        //   Thu 12-31 16:30–17:30 = 1 h (15 h left; an ordinary working day in the 2026 schedule);
        //   Fri 2027-01-01 = 7 h (8 h left): 2027 is not loaded, so New Year's Day counts as a working day;
        //   Sat 01-02, Sun 01-03 rest; Mon 01-04 = 7 h (1 h left); Tue 01-05 09:00–10:00 → 2027-01-05 10:00 +08.
        var result = calculator.Calculate(Sh(2026, 12, 31, 16, 30), SlaTarget.BusinessHours(16));

        Assert.Equal(Sh(2027, 1, 5, 10), result.Deadline);
        var warning = Single<HolidaysNotLoaded>(result);
        Assert.Equal(new HolidaysNotLoaded(2027, new LocalDate(2027, 1, 1)), warning);
        // No holiday of 2026 lies in the range: the warning and the deadline are the whole explanation.
        Assert.Equal(2, result.Steps.Count);
        Assert.Equal(warning, result.Steps[0]);
        Assert.IsType<DeadlineReached>(result.Steps[1]);
        var zone = calculator.Calendar.Zone;
        Assert.Equal(
            "日历中没有 2027 年的节假日安排：自 2027-01-01（周五）起按普通工作周计算，实际到期时间可能不同，请管理员载入该年节假日。",
            ExplanationText.Render(warning, zone, "zh-CN"));
        Assert.Equal(
            "The calendar has no holidays for 2027: from 2027-01-01 (Fri) days are counted as an ordinary working week, so the real deadline may differ until an administrator loads that year's holidays.",
            ExplanationText.Render(warning, zone, "en"));
    }

    [Fact]
    public void Calculate_WithinLoadedYears_HasNoWarning()
    {
        // Tue 2026-12-29 16:30 + 8 h: 1 h on 12-29, 7 h on Wed 12-30 → 2026-12-30 17:30 +08, all in 2026.
        var result = Calculator(ShanghaiPrc()).Calculate(Sh(2026, 12, 29, 16, 30), SlaTarget.BusinessHours(8));

        Assert.Equal(Sh(2026, 12, 30, 17, 30), result.Deadline);
        Assert.Empty(result.Steps.OfType<HolidaysNotLoaded>());
    }

    [Fact]
    public void Calculate_ElapsedHoursIntoUnloadedYear_HasNoWarning()
    {
        // An elapsed clock does not look at holidays: 2026-12-31 16:30 + 24 h = 2027-01-01 16:30 +08, no warning.
        var result = Calculator(ShanghaiPrc()).Calculate(Sh(2026, 12, 31, 16, 30), SlaTarget.CalendarHours(24));

        Assert.Equal(Sh(2027, 1, 1, 16, 30), result.Deadline);
        Assert.Empty(result.Steps.OfType<HolidaysNotLoaded>());
    }

    [Fact]
    public void Calculate_RolledForwardDaysIntoUnloadedYear_Warns()
    {
        // 15 calendar days rolled forward (PRC complaints) from Thu 2026-12-24: day 15 is Fri 2027-01-08, a working day
        // as far as the calendar knows (2027 not loaded) → ends at 24:00, 2027-01-09 00:00 +08, with the warning.
        var result = Calculator(ShanghaiPrc()).Calculate(Sh(2026, 12, 24, 10), SlaTarget.CalendarDays(15, rollForwardWhenLastDayIsNonWorking: true));

        Assert.Equal(Sh(2027, 1, 9, 0), result.Deadline);
        Assert.Equal(new HolidaysNotLoaded(2027, new LocalDate(2027, 1, 1)), Single<HolidaysNotLoaded>(result));
    }

    [Fact]
    public void Calculate_CalendarThatDoesNotTrackYears_HasNoWarning()
    {
        // Built in code without holiday years (null): every year counts as known, as before.
        var result = Calculator(ShanghaiPlain()).Calculate(Sh(2026, 12, 31, 16, 30), SlaTarget.BusinessHours(16));

        Assert.Equal(Sh(2027, 1, 5, 10), result.Deadline);
        Assert.Empty(result.Steps.OfType<HolidaysNotLoaded>());
    }
}
