using System.Globalization;
using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>The unit of a service-level target. The unit determines the clock (<see cref="SlaTarget.Clock"/>).</summary>
public enum SlaUnit
{
    /// <summary>Minutes inside working periods (business clock).</summary>
    BusinessMinutes,

    /// <summary>Hours inside working periods (business clock).</summary>
    BusinessHours,

    /// <summary>
    /// "N business days after receipt": close of business (end of the last working period) of the N-th working day
    /// following the day of receipt (business clock). See <see cref="DeadlineCalculator"/>.
    /// </summary>
    BusinessDays,

    /// <summary>Elapsed hours, exact instants (calendar clock).</summary>
    CalendarHours,

    /// <summary>End (24:00) of the local day receipt date + N, optionally rolled forward (calendar clock).</summary>
    CalendarDays,
}

/// <summary>Which time counts towards a target.</summary>
public enum SlaClock
{
    /// <summary>Only time inside the calendar's working periods counts.</summary>
    Business,

    /// <summary>All elapsed time counts.</summary>
    Calendar,
}

/// <summary>A service-level target: amount + unit (+ the unit's clock).</summary>
public sealed record SlaTarget
{
    /// <param name="amount">Strictly positive amount of <paramref name="unit"/>.</param>
    /// <param name="unit">The unit, which also fixes the clock.</param>
    /// <param name="rollForwardWhenLastDayIsNonWorking">Only for <see cref="SlaUnit.CalendarDays"/>: when the last day
    /// is a holiday or rest day, the period ends at the end of the next working day (PRC Civil Code art. 203).</param>
    public SlaTarget(int amount, SlaUnit unit, bool rollForwardWhenLastDayIsNonWorking = false)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "An SLA target amount must be positive.");
        }

        if (!Enum.IsDefined(unit))
        {
            throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown SLA unit.");
        }

        if (rollForwardWhenLastDayIsNonWorking && unit != SlaUnit.CalendarDays)
        {
            throw new ArgumentException("Rolling forward only applies to CalendarDays targets.", nameof(rollForwardWhenLastDayIsNonWorking));
        }

        Amount = amount;
        Unit = unit;
        RollForwardWhenLastDayIsNonWorking = rollForwardWhenLastDayIsNonWorking;
    }

    public int Amount { get; }

    public SlaUnit Unit { get; }

    public bool RollForwardWhenLastDayIsNonWorking { get; }

    /// <summary>The clock implied by the unit.</summary>
    public SlaClock Clock => Unit switch
    {
        SlaUnit.BusinessMinutes or SlaUnit.BusinessHours or SlaUnit.BusinessDays => SlaClock.Business,
        SlaUnit.CalendarHours or SlaUnit.CalendarDays => SlaClock.Calendar,
    };

    public static SlaTarget BusinessMinutes(int amount) => new(amount, SlaUnit.BusinessMinutes);

    public static SlaTarget BusinessHours(int amount) => new(amount, SlaUnit.BusinessHours);

    public static SlaTarget BusinessDays(int amount) => new(amount, SlaUnit.BusinessDays);

    public static SlaTarget CalendarHours(int amount) => new(amount, SlaUnit.CalendarHours);

    public static SlaTarget CalendarDays(int amount, bool rollForwardWhenLastDayIsNonWorking = false) =>
        new(amount, SlaUnit.CalendarDays, rollForwardWhenLastDayIsNonWorking);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Amount} {Unit}{(RollForwardWhenLastDayIsNonWorking ? " (roll forward)" : string.Empty)}");
}

/// <summary>
/// A pause of the SLA clock, half-open [<see cref="From"/>, <see cref="To"/>). <see cref="To"/> null means
/// "still paused" (open-ended).
/// </summary>
public sealed record SlaPause
{
    public SlaPause(Instant from, Instant? to = null)
    {
        if (to < from)
        {
            throw new ArgumentException("A pause cannot end before it starts.", nameof(to));
        }

        From = from;
        To = to;
    }

    public Instant From { get; }

    public Instant? To { get; }

    public bool IsOpen => To is null;
}

/// <summary>A change of target (e.g. priority raised) taking effect at <see cref="At"/>.</summary>
public sealed record TargetChange(Instant At, SlaTarget NewTarget);

/// <summary>
/// Everything that determines an SLA deadline: when the clock started, the initial target, pauses and later
/// target changes (in chronological order, none before <see cref="Start"/>).
/// </summary>
public sealed record SlaTimeline
{
    public SlaTimeline(Instant start, SlaTarget target, IEnumerable<SlaPause>? pauses = null, IEnumerable<TargetChange>? targetChanges = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        Start = start;
        InitialTarget = target;
        Pauses = [.. pauses ?? []];
        TargetChanges = [.. targetChanges ?? []];
        var previous = start;
        foreach (var change in TargetChanges)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(targetChanges));
            if (change.At < previous)
            {
                throw new ArgumentException("Target changes must be in chronological order and not before the start.", nameof(targetChanges));
            }

            previous = change.At;
        }

        foreach (var pause in Pauses)
        {
            ArgumentNullException.ThrowIfNull(pause, nameof(pauses));
        }
    }

    public Instant Start { get; }

    public SlaTarget InitialTarget { get; }

    public IReadOnlyList<SlaPause> Pauses { get; }

    public IReadOnlyList<TargetChange> TargetChanges { get; }

    /// <summary>The target in force after the last change.</summary>
    public SlaTarget CurrentTarget => TargetChanges.Count == 0 ? InitialTarget : TargetChanges[^1].NewTarget;

    /// <summary>A copy with one more target change at the end.</summary>
    public SlaTimeline WithTargetChange(Instant at, SlaTarget newTarget) =>
        new(Start, InitialTarget, Pauses, [.. TargetChanges, new TargetChange(at, newTarget)]);

    /// <summary>A copy with one more pause.</summary>
    public SlaTimeline WithPause(SlaPause pause) => new(Start, InitialTarget, [.. Pauses, pause], TargetChanges);
}
