using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>Targets as time budgets: business days and calendar days turned into time on the clock from receipt.</summary>
public sealed partial class DeadlineCalculator
{
    /// <summary>The target as time on its clock, anchored at the receipt instant.</summary>
    private Duration ResolveBudget(Instant start, SlaTarget target, StepLog? log)
    {
        var n = target.Amount;
        return target.Unit switch
        {
            SlaUnit.BusinessMinutes => Duration.FromMinutes(n),
            SlaUnit.BusinessHours => Duration.FromHours(n),
            SlaUnit.CalendarHours => Duration.FromHours(n),
            SlaUnit.BusinessDays => ResolveBusinessDays(start, n, log),
            SlaUnit.CalendarDays => ResolveCalendarDays(start, n, target.RollForwardWhenLastDayIsNonWorking, log),
        };
    }

    private Duration ResolveBusinessDays(Instant start, int days, StepLog? log)
    {
        var receipt = start.InZone(calendar.Zone).Date;
        var day = receipt;
        var lastWorking = receipt;
        var closeOfBusiness = start;
        for (var counted = 0; counted < days;)
        {
            day = day.PlusDays(1);
            var periods = calendar.GetWorkingPeriods(day);
            if (periods.Count > 0)
            {
                counted++;
                lastWorking = day;
                closeOfBusiness = periods[^1].End;
            }
            else if (day > lastWorking.PlusYears(BusinessCalendar.SearchHorizonYears))
            {
                throw calendar.NoWorkingPeriod(lastWorking);
            }
        }

        var budget = BusinessTime(start, closeOfBusiness);
        log?.Add(start, new BusinessDaysCounted(receipt, days, day, closeOfBusiness, budget));
        return budget;
    }

    private Duration ResolveCalendarDays(Instant start, int days, bool rollForward, StepLog? log)
    {
        var receipt = start.InZone(calendar.Zone).Date;
        var last = receipt.PlusDays(days);
        if (rollForward && !IsEffectiveWorkingDay(last))
        {
            var original = last;
            var skipped = new List<SkippedHoliday>();
            while (!IsEffectiveWorkingDay(last))
            {
                if (calendar.FindHoliday(last) is { } holiday)
                {
                    skipped.Add(new SkippedHoliday(last, holiday.Name, holiday.NameEn));
                }

                last = last.PlusDays(1);
                if (last > original.PlusYears(BusinessCalendar.SearchHorizonYears))
                {
                    throw calendar.NoWorkingPeriod(original);
                }
            }

            log?.Add(StartOfDay(original), new RolledForward(original, last));
            foreach (var step in skipped)
            {
                log?.Add(StartOfDay(step.Date), step);
            }
        }

        var endOfDay = StartOfDay(last.PlusDays(1));
        var budget = endOfDay - start;
        log?.Add(start, new CalendarDaysCounted(receipt, days, last, endOfDay, budget));
        return budget;
    }

    private bool IsEffectiveWorkingDay(LocalDate date) => calendar.GetWorkingPeriods(date).Count > 0;

    private Instant StartOfDay(LocalDate date) => calendar.Zone.AtStartOfDay(date).ToInstant();
}
