using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>The state of a computed deadline.</summary>
public enum DeadlineStatus
{
    /// <summary>The deadline (or warning instant) is known: <see cref="DeadlineResult.Deadline"/> has a value.</summary>
    Scheduled,

    /// <summary>The clock is in an open-ended pause before the target is reached: there is no deadline yet.</summary>
    Paused,

    /// <summary>
    /// After a target change, the time already used exceeds the new target (or warning threshold):
    /// <see cref="DeadlineResult.Deadline"/> is the change instant.
    /// </summary>
    Breached,
}

/// <summary>The outcome of a deadline or warning computation, with its explanation.</summary>
public sealed record DeadlineResult
{
    internal DeadlineResult(
        DeadlineStatus status,
        Instant? deadline,
        Instant? pausedSince,
        SlaTarget target,
        Duration budget,
        Duration goal,
        IReadOnlyList<ExplanationStep> steps)
    {
        Status = status;
        Deadline = deadline;
        PausedSince = pausedSince;
        Target = target;
        Budget = budget;
        Goal = goal;
        Steps = steps;
    }

    public DeadlineStatus Status { get; }

    /// <summary>The deadline (or warning) instant; null when <see cref="Status"/> is <see cref="DeadlineStatus.Paused"/>.</summary>
    public Instant? Deadline { get; }

    /// <summary>When <see cref="Status"/> is Paused: the start of the open pause.</summary>
    public Instant? PausedSince { get; }

    /// <summary>The target in force (after any target change).</summary>
    public SlaTarget Target { get; }

    /// <summary>The target expressed as time on its clock (business or elapsed time).</summary>
    public Duration Budget { get; }

    /// <summary>The time on the clock at which this result is reached: the budget, or a percentage of it for warnings.</summary>
    public Duration Goal { get; }

    /// <summary>Chronological explanation steps; the last one is <see cref="DeadlineReached"/> unless paused.</summary>
    public IReadOnlyList<ExplanationStep> Steps { get; }
}

/// <summary>How much of a target is used at an instant.</summary>
/// <param name="Target">The target in force at that instant.</param>
/// <param name="Budget">The target as time on its clock.</param>
/// <param name="Used">Clock time consumed since the start, pauses excluded (kept across target changes).</param>
/// <param name="Remaining">Budget − used, never negative.</param>
/// <param name="Overrun">Used − budget, never negative.</param>
/// <param name="Percent">Used / budget × 100 (may exceed 100).</param>
/// <param name="IsPaused">True when the instant lies inside a pause.</param>
public sealed record SlaUsage(
    SlaTarget Target,
    Duration Budget,
    Duration Used,
    Duration Remaining,
    Duration Overrun,
    decimal Percent,
    bool IsPaused)
{
    /// <summary>True when more than the budget is used.</summary>
    public bool IsBreached => Overrun > Duration.Zero;
}
