using NodaTime;

namespace Steward.Features.Sla.Deadlines;

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
public sealed partial class DeadlineCalculator
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
        var holidaysMatter = target.RollForwardWhenLastDayIsNonWorking || segments.Any(s => s.Clock == SlaClock.Business);
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
                AddUnknownYearSteps(start, c.At, holidaysMatter, log);
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
            AddUnknownYearSteps(start, deadline, holidaysMatter, log);
            AddRangeSteps(start, deadline, segments, pauses, log);
            log.Add(deadline, Reached(deadline));
            return new DeadlineResult(DeadlineStatus.Scheduled, deadline, null, target, budget, goal, log.ToList());
        }

        var since = outcome.PausedSince!.Value;
        var usedAtPause = used + outcome.Consumed;
        AddUnknownYearSteps(start, since, holidaysMatter, log);
        AddRangeSteps(start, since, segments, pauses, log);
        log.Add(since, new PausedOpenEnded(since, usedAtPause, goal - usedAtPause));
        return new DeadlineResult(DeadlineStatus.Paused, null, since, target, budget, goal, log.ToList());
    }

    private DeadlineReached Reached(Instant at) => new(at, at.InZone(calendar.Zone).LocalDateTime);
}
