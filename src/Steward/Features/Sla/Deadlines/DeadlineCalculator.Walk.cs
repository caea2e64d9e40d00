using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>Walking the clock forward: business and elapsed time, pauses excluded, and the time used so far.</summary>
public sealed partial class DeadlineCalculator
{
    /// <summary>Counts <paramref name="remaining"/> working time from <paramref name="from"/>, skipping pauses.</summary>
    private WalkOutcome WalkBusiness(Instant from, Duration remaining, List<PauseSpan> pauses)
    {
        if (remaining == Duration.Zero)
        {
            return WalkOutcome.ReachedAt(from, Duration.Zero);
        }

        var goal = remaining;
        var date = from.InZone(calendar.Zone).Date;
        var lastWorking = date;
        var pauseIndex = 0;
        while (true)
        {
            var periods = calendar.GetWorkingPeriods(date);
            if (periods.Count > 0)
            {
                lastWorking = date;
            }
            else if (date > lastWorking.PlusYears(BusinessCalendar.SearchHorizonYears))
            {
                throw calendar.NoWorkingPeriod(lastWorking);
            }

            foreach (var period in periods)
            {
                var cursor = period.Start > from ? period.Start : from;
                var end = period.End;
                while (cursor < end)
                {
                    while (pauseIndex < pauses.Count && pauses[pauseIndex].To is { } pauseEnd && pauseEnd <= cursor)
                    {
                        pauseIndex++;
                    }

                    var segmentEnd = end;
                    if (pauseIndex < pauses.Count)
                    {
                        var pause = pauses[pauseIndex];
                        if (pause.From <= cursor)
                        {
                            if (pause.To is not { } resume)
                            {
                                return WalkOutcome.PausedAt(pause.From, goal - remaining);
                            }

                            cursor = resume < end ? resume : end;
                            continue;
                        }

                        if (pause.From < end)
                        {
                            segmentEnd = pause.From;
                        }
                    }

                    var length = segmentEnd - cursor;
                    if (length >= remaining)
                    {
                        return WalkOutcome.ReachedAt(cursor + remaining, goal);
                    }

                    remaining -= length;
                    cursor = segmentEnd;
                }
            }

            date = date.PlusDays(1);
        }
    }

    /// <summary>Counts <paramref name="remaining"/> elapsed time from <paramref name="from"/>, adding pauses.</summary>
    private static WalkOutcome WalkCalendar(Instant from, Duration remaining, List<PauseSpan> pauses)
    {
        var goal = remaining;
        var cursor = from;
        foreach (var pause in pauses)
        {
            if (pause.To is { } pauseEnd && pauseEnd <= cursor)
            {
                continue;
            }

            var pauseStart = pause.From > cursor ? pause.From : cursor;
            if (cursor + remaining <= pauseStart)
            {
                break;
            }

            remaining -= pauseStart - cursor;
            if (pause.To is not { } resume)
            {
                return WalkOutcome.PausedAt(pause.From, goal - remaining);
            }

            cursor = resume;
        }

        return WalkOutcome.ReachedAt(cursor + remaining, goal);
    }

    /// <summary>Clock time used between the start and <paramref name="at"/>, each stretch on its own clock, pauses excluded.</summary>
    private Duration Used(List<ClockSegment> segments, List<PauseSpan> pauses, Instant at)
    {
        var used = Duration.Zero;
        foreach (var segment in segments)
        {
            var to = segment.To is { } t && t < at ? t : at;
            if (segment.From < to)
            {
                used += ClockTimeExcludingPauses(segment.Clock, segment.From, to, pauses);
            }
        }

        return used;
    }

    private Duration ClockTimeExcludingPauses(SlaClock clock, Instant from, Instant to, List<PauseSpan> pauses)
    {
        var total = ClockTime(clock, from, to);
        foreach (var pause in pauses)
        {
            var a = pause.From > from ? pause.From : from;
            var b = pause.To is { } pauseEnd && pauseEnd < to ? pauseEnd : to;
            if (a < b)
            {
                total -= ClockTime(clock, a, b);
            }
        }

        return total;
    }

    private Duration ClockTime(SlaClock clock, Instant from, Instant to) => clock switch
    {
        SlaClock.Business => BusinessTime(from, to),
        SlaClock.Calendar => to - from,
    };

    /// <summary>Working time inside [from, to), no pauses.</summary>
    private Duration BusinessTime(Instant from, Instant to)
    {
        var total = Duration.Zero;
        if (to <= from)
        {
            return total;
        }

        var last = to.InZone(calendar.Zone).Date;
        for (var date = from.InZone(calendar.Zone).Date; date <= last; date = date.PlusDays(1))
        {
            foreach (var period in calendar.GetWorkingPeriods(date))
            {
                var a = period.Start > from ? period.Start : from;
                var b = period.End < to ? period.End : to;
                if (a < b)
                {
                    total += b - a;
                }
            }
        }

        return total;
    }

    /// <summary>
    /// A <see cref="HolidaysNotLoaded"/> step for each year that the range [start, end] reaches and whose holidays the
    /// calendar does not hold: the count there treats every weekday as working, so it may be wrong. Only when holidays
    /// matter to the count (a business clock, or a day period that rolls forward past holidays); an elapsed-time clock
    /// does not care.
    /// </summary>
}
