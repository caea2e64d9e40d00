using NodaTime;
using NodaTime.TimeZones;

namespace Steward.Features.Sla.Deadlines;

/// <summary>The explanation steps of a calculation: years without holiday data, holidays, make-up days and pauses in range.</summary>
public sealed partial class DeadlineCalculator
{
    /// <summary>
    /// A <see cref="HolidaysNotLoaded"/> step for each year that the range [start, end] reaches and whose holidays the
    /// calendar does not hold: the count there treats every weekday as working, so it may be wrong. Only when holidays
    /// matter to the count (a business clock, or a day period that rolls forward past holidays); an elapsed-time clock
    /// does not care.
    /// </summary>
    private void AddUnknownYearSteps(Instant start, Instant end, bool holidaysMatter, StepLog log)
    {
        if (!holidaysMatter || calendar.HolidayYears is null)
        {
            return;
        }

        var first = start.InZone(calendar.Zone).Date;
        var last = (end > start ? end - Duration.Epsilon : start).InZone(calendar.Zone).Date;
        for (var year = first.Year; year <= last.Year; year++)
        {
            if (!calendar.HasHolidaysFor(year))
            {
                var from = year == first.Year ? first : new LocalDate(year, 1, 1);
                log.Add(year == first.Year ? start : StartOfDay(from), new HolidaysNotLoaded(year, from));
            }
        }
    }

    /// <summary>Holiday / make-up day, pause and DST steps for the counted range [start, end).</summary>
    private void AddRangeSteps(Instant start, Instant end, List<ClockSegment> segments, List<PauseSpan> pauses, StepLog log)
    {
        if (end <= start)
        {
            return;
        }

        var zone = calendar.Zone;
        var lastDate = (end - Duration.Epsilon).InZone(zone).Date;
        for (var date = start.InZone(zone).Date; date <= lastDate; date = date.PlusDays(1))
        {
            var key = StartOfDay(date);
            if (key < start)
            {
                key = start;
            }

            if (ClockAt(segments, key) != SlaClock.Business)
            {
                continue;
            }

            if (calendar.FindHoliday(date) is { } holiday)
            {
                log.Add(key, new SkippedHoliday(date, holiday.Name, holiday.NameEn));
            }
            else if (calendar.FindMakeUpWorkingDay(date) is { } makeUp)
            {
                log.Add(key, new MadeUpWorkingDay(date, makeUp.WorksLike, makeUp.Name, makeUp.NameEn));
            }
        }

        foreach (var pause in pauses)
        {
            if (pause.From >= end || pause.To is not { } pauseEnd)
            {
                continue;
            }

            var clipped = pauseEnd < end ? pauseEnd : end;
            var excluded = Duration.Zero;
            foreach (var segment in segments)
            {
                var a = segment.From > pause.From ? segment.From : pause.From;
                var b = segment.To is { } t && t < clipped ? t : clipped;
                if (a < b)
                {
                    excluded += ClockTime(segment.Clock, a, b);
                }
            }

            log.Add(pause.From, new PauseExcluded(pause.From, pauseEnd, excluded));
        }

        ZoneInterval? previous = null;
        foreach (var interval in zone.GetZoneIntervals(start, end))
        {
            if (previous is not null && previous.WallOffset != interval.WallOffset)
            {
                log.Add(interval.Start, new ZoneTransition(interval.Start, previous.WallOffset, interval.WallOffset));
            }

            previous = interval;
        }
    }
}
