using NodaTime;
using NodaTime.TimeZones;

namespace Steward.Features.Sla.Calendars;

/// <summary>
/// Computes SLA deadlines, warning instants and usage on a <see cref="BusinessCalendar"/>. Pure: no clock, no I/O;
/// every instant is a parameter. Works period by period and day by day (never minute by minute); a search that finds
/// no working period within <see cref="BusinessCalendar.SearchHorizonYears"/> years throws
/// <see cref="InvalidOperationException"/>.
/// </summary>
/// <remarks>
/// <para><b>Units.</b></para>
/// <list type="bullet">
/// <item><see cref="SlaUnit.BusinessMinutes"/> / <see cref="SlaUnit.BusinessHours"/>: only time inside working periods
/// counts. A start outside working hours begins counting at the next period start. A deadline that lands exactly on
/// the end of a working period is that instant, not the start of the next period.</item>
/// <item><see cref="SlaUnit.BusinessDays"/>: "N business days after receipt" is the close of business (end of the
/// last working period) of the N-th working day <i>following</i> the day of receipt. The day of receipt is never
/// counted, whatever the hour; if received on a non-working day the first following working day is day 1. This is the
/// UK FCA DISP 1.5 wording: "by close of business on the third business day following the day on which it is
/// received". The target is turned into a business-time budget (working time from the start to that close of
/// business), so pauses, warnings and usage work exactly as for business hours: a pause moves the deadline by exactly
/// the working time paused (it may then fall inside a day rather than at close of business).</item>
/// <item><see cref="SlaUnit.CalendarHours"/>: elapsed hours between exact instants; across a DST change 24 h is 24
/// real hours and the local wall time of the deadline shifts by the transition.</item>
/// <item><see cref="SlaUnit.CalendarDays"/>: the end of the local day (24:00, i.e. the start of the next local day in
/// the zone) of receipt date + N; the day of receipt is not counted (PRC Civil Code art. 201). With
/// <see cref="SlaTarget.RollForwardWhenLastDayIsNonWorking"/>, when that last day is a holiday or rest day the period
/// ends at the end of the next working day (PRC Civil Code art. 203: "期间的最后一日是法定休假日的，以法定休假日结束的
/// 次日为期间的最后一日"). The end-of-day deadline is the art. 203 default (24:00); the "close of business hours"
/// variant of art. 203 para. 2 is not modelled. The roll-forward is applied once, to the unpaused period; the target
/// is then an elapsed-time budget and pauses add their elapsed duration.</item>
/// </list>
/// <para><b>Pauses</b> are [from, to) intervals; overlapping or touching ones are merged, parts before the start are
/// ignored. On a business clock only the working time inside a pause is excluded; on a calendar clock the elapsed
/// paused duration is added. An open pause (no end) that begins before the goal is reached yields
/// <see cref="DeadlineStatus.Paused"/> with no deadline.</para>
/// <para><b>Target changes</b> keep the time already used: the used time is measured on the clock of the target in
/// force during each stretch (pauses excluded), and the new deadline is where used + remaining = new target, counted
/// on the new target's clock from the change instant. Day-based targets are resolved from the original receipt. If
/// the used time already exceeds the new target, the deadline is the change instant and the status is
/// <see cref="DeadlineStatus.Breached"/>.</para>
/// </remarks>
public sealed class DeadlineCalculator
{
    private readonly BusinessCalendar calendar;

    public DeadlineCalculator(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        this.calendar = calendar;
    }

    public BusinessCalendar Calendar => calendar;

    /// <summary>The deadline for <paramref name="target"/> started at <paramref name="start"/>.</summary>
    public DeadlineResult Calculate(Instant start, SlaTarget target, IEnumerable<SlaPause>? pauses = null) =>
        Calculate(new SlaTimeline(start, target, pauses));

    /// <summary>The deadline of the timeline's current target (after all its target changes).</summary>
    public DeadlineResult Calculate(SlaTimeline timeline) => Evaluate(timeline, percent: null);

    /// <summary>
    /// Re-targets at <paramref name="switchAt"/>: keeps the time used under <paramref name="oldTarget"/> and returns
    /// the deadline for <paramref name="newTarget"/> (Breached at <paramref name="switchAt"/> if already exceeded).
    /// </summary>
    public DeadlineResult Retarget(Instant start, SlaTarget oldTarget, Instant switchAt, SlaTarget newTarget, IEnumerable<SlaPause>? pauses = null) =>
        Calculate(new SlaTimeline(start, oldTarget, pauses).WithTargetChange(switchAt, newTarget));

    /// <summary>
    /// Re-targets when only the time already used is known (e.g. persisted "used so far"): the new deadline is where
    /// <paramref name="alreadyUsed"/> + remaining = <paramref name="newTarget"/>, counted on the new target's clock from
    /// <paramref name="switchAt"/>. Pauses before <paramref name="switchAt"/> are assumed to be excluded from
    /// <paramref name="alreadyUsed"/> already; later (or still open) pauses apply. Day-based targets are resolved from
    /// <paramref name="receivedAt"/>.
    /// </summary>
    public DeadlineResult RetargetFromUsed(
        Instant receivedAt,
        Instant switchAt,
        Duration alreadyUsed,
        SlaTarget newTarget,
        IEnumerable<SlaPause>? pauses = null)
    {
        ArgumentNullException.ThrowIfNull(newTarget);
        if (switchAt < receivedAt)
        {
            throw new ArgumentException("The switch instant cannot be before receipt.", nameof(switchAt));
        }

        if (alreadyUsed < Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(alreadyUsed), alreadyUsed, "Used time cannot be negative.");
        }

        var merged = MergePauses(pauses ?? [], receivedAt);
        List<ClockSegment> segments = [new ClockSegment(receivedAt, null, newTarget.Clock)];
        return Run(receivedAt, newTarget, merged, segments, new Switch(switchAt, null, alreadyUsed), explainStart: false, percent: null);
    }

    /// <summary>The instant at which <paramref name="percent"/>% (0 &lt; percent ≤ 100) of the target is consumed.</summary>
    public DeadlineResult CalculateWarning(Instant start, SlaTarget target, decimal percent, IEnumerable<SlaPause>? pauses = null) =>
        CalculateWarning(new SlaTimeline(start, target, pauses), percent);

    /// <summary>The instant at which <paramref name="percent"/>% of the current target is consumed (Breached at the last
    /// target change if that much was already used then).</summary>
    public DeadlineResult CalculateWarning(SlaTimeline timeline, decimal percent)
    {
        if (percent is <= 0m or > 100m)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A warning percentage must be in (0, 100].");
        }

        return Evaluate(timeline, percent);
    }

    /// <summary>How much of <paramref name="target"/> is used at <paramref name="at"/>.</summary>
    public SlaUsage GetUsage(Instant start, SlaTarget target, Instant at, IEnumerable<SlaPause>? pauses = null) =>
        GetUsage(new SlaTimeline(start, target, pauses), at);

    /// <summary>How much of the target in force at <paramref name="at"/> is used (changes after <paramref name="at"/> are ignored).</summary>
    public SlaUsage GetUsage(SlaTimeline timeline, Instant at)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var known = new SlaTimeline(timeline.Start, timeline.InitialTarget, timeline.Pauses, timeline.TargetChanges.Where(c => c.At <= at));
        var target = known.CurrentTarget;
        var budget = ResolveBudget(known.Start, target, log: null);
        var pauses = MergePauses(known.Pauses, known.Start);
        var used = Used(Segments(known), pauses, at);
        var percent = (decimal)used.ToInt64Nanoseconds() * 100m / budget.ToInt64Nanoseconds();
        var isPaused = pauses.Any(p => p.From <= at && (p.To is null || at < p.To));
        return new SlaUsage(
            target,
            budget,
            used,
            used < budget ? budget - used : Duration.Zero,
            used > budget ? used - budget : Duration.Zero,
            percent,
            isPaused);
    }

    private DeadlineResult Evaluate(SlaTimeline timeline, decimal? percent)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var pauses = MergePauses(timeline.Pauses, timeline.Start);
        var segments = Segments(timeline);
        Switch? change = null;
        if (timeline.TargetChanges.Count > 0)
        {
            var last = timeline.TargetChanges[^1];
            var previous = timeline.TargetChanges.Count > 1 ? timeline.TargetChanges[^2].NewTarget : timeline.InitialTarget;
            change = new Switch(last.At, previous, Used(segments, pauses, last.At));
        }

        var explainStart = timeline.InitialTarget.Clock == SlaClock.Business;
        return Run(timeline.Start, timeline.CurrentTarget, pauses, segments, change, explainStart, percent);
    }

    private DeadlineResult Run(
        Instant start,
        SlaTarget target,
        List<PauseSpan> pauses,
        List<ClockSegment> segments,
        Switch? change,
        bool explainStart,
        decimal? percent)
    {
        var log = new StepLog();
        var budget = ResolveBudget(start, target, log);
        var goal = budget;
        if (percent is { } p)
        {
            goal = Duration.FromNanoseconds((long)Math.Round(budget.ToInt64Nanoseconds() * p / 100m, MidpointRounding.AwayFromZero));
            log.Add(start, new WarningThreshold(p, goal));
        }

        if (explainStart && !calendar.IsWithinWorkingPeriod(start))
        {
            log.Add(start, new StartOutsideHours(start, calendar.NextWorkingInstant(start)));
        }

        var from = start;
        var used = Duration.Zero;
        if (change is { } c)
        {
            from = c.At;
            used = c.Used;
            if (used > goal)
            {
                log.Add(c.At, new Retargeted(c.At, c.Previous, target, used, Duration.Zero));
                log.Add(c.At, new TargetAlreadyExceeded(c.At, used, goal));
                AddRangeSteps(start, c.At, segments, pauses, log);
                log.Add(c.At, Reached(c.At));
                return new DeadlineResult(DeadlineStatus.Breached, c.At, null, target, budget, goal, log.ToList());
            }

            log.Add(c.At, new Retargeted(c.At, c.Previous, target, used, goal - used));
        }

        var remaining = goal - used;
        var outcome = target.Clock switch
        {
            SlaClock.Business => WalkBusiness(from, remaining, pauses),
            SlaClock.Calendar => WalkCalendar(from, remaining, pauses),
        };

        if (outcome.Deadline is { } deadline)
        {
            AddRangeSteps(start, deadline, segments, pauses, log);
            log.Add(deadline, Reached(deadline));
            return new DeadlineResult(DeadlineStatus.Scheduled, deadline, null, target, budget, goal, log.ToList());
        }

        var since = outcome.PausedSince!.Value;
        var usedAtPause = used + outcome.Consumed;
        AddRangeSteps(start, since, segments, pauses, log);
        log.Add(since, new PausedOpenEnded(since, usedAtPause, goal - usedAtPause));
        return new DeadlineResult(DeadlineStatus.Paused, null, since, target, budget, goal, log.ToList());
    }

    private DeadlineReached Reached(Instant at) => new(at, at.InZone(calendar.Zone).LocalDateTime);

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
                    skipped.Add(new SkippedHoliday(last, holiday.Name));
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
                log.Add(key, new SkippedHoliday(date, holiday.Name));
            }
            else if (calendar.FindMakeUpWorkingDay(date) is { } makeUp)
            {
                log.Add(key, new MadeUpWorkingDay(date, makeUp.WorksLike, makeUp.Name));
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

    private static SlaClock ClockAt(List<ClockSegment> segments, Instant at)
    {
        foreach (var segment in segments)
        {
            if (segment.To is not { } to || at < to)
            {
                return segment.Clock;
            }
        }

        return segments[^1].Clock;
    }

    private static List<ClockSegment> Segments(SlaTimeline timeline)
    {
        var segments = new List<ClockSegment>();
        var from = timeline.Start;
        var target = timeline.InitialTarget;
        foreach (var change in timeline.TargetChanges)
        {
            segments.Add(new ClockSegment(from, change.At, target.Clock));
            from = change.At;
            target = change.NewTarget;
        }

        segments.Add(new ClockSegment(from, null, target.Clock));
        return segments;
    }

    /// <summary>Clips pauses to the start, drops empty ones, sorts and merges overlapping or touching ones.</summary>
    private static List<PauseSpan> MergePauses(IEnumerable<SlaPause> pauses, Instant start)
    {
        var merged = new List<PauseSpan>();
        foreach (var pause in pauses.OrderBy(p => p.From))
        {
            var from = pause.From > start ? pause.From : start;
            if (pause.To is { } to && to <= from)
            {
                continue;
            }

            if (merged.Count > 0 && merged[^1].To is { } lastEnd && from <= lastEnd)
            {
                var mergedTo = pause.To is { } t ? (t > lastEnd ? t : lastEnd) : (Instant?)null;
                merged[^1] = merged[^1] with { To = mergedTo };
                continue;
            }

            if (merged.Count > 0 && merged[^1].To is null)
            {
                break;
            }

            merged.Add(new PauseSpan(from, pause.To));
        }

        return merged;
    }

    private readonly record struct PauseSpan(Instant From, Instant? To);

    private readonly record struct Switch(Instant At, SlaTarget? Previous, Duration Used);

    private readonly record struct ClockSegment(Instant From, Instant? To, SlaClock Clock);

    private readonly record struct WalkOutcome(Instant? Deadline, Instant? PausedSince, Duration Consumed)
    {
        public static WalkOutcome ReachedAt(Instant deadline, Duration consumed) => new(deadline, null, consumed);

        public static WalkOutcome PausedAt(Instant since, Duration consumed) => new(null, since, consumed);
    }

    private sealed class StepLog
    {
        private readonly List<(Instant Key, int Sequence, ExplanationStep Step)> entries = [];

        public void Add(Instant key, ExplanationStep step) => entries.Add((key, entries.Count, step));

        public List<ExplanationStep> ToList() =>
            [.. entries.OrderBy(e => e.Key).ThenBy(e => e.Sequence).Select(e => e.Step)];
    }
}
