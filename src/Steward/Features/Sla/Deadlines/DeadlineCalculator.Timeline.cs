using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>The timeline as the walks read it: clock segments between target changes, merged pauses and the working records.</summary>
public sealed partial class DeadlineCalculator
{
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
