using System.Diagnostics;

namespace Steward.Bench.Measurement;

/// <summary>What one operation reported: whether it did what it should, and a label for the tally (an HTTP status, "ok", an exception type).</summary>
public readonly record struct OpOutcome(bool Success, string Label, string? Detail = null)
{
    /// <summary>
    /// The latency to record instead of the whole operation's, when the operation does unmeasured work around the part it
    /// measures (e.g. a counter releasing its previous ticket before it calls the next); null: the whole operation.
    /// </summary>
    public TimeSpan? Latency { get; init; }

    public static readonly OpOutcome Ok = new(true, "ok");

    public static OpOutcome FromStatus(int status, bool success, string? detail = null) =>
        new(success, status.ToString(System.Globalization.CultureInfo.InvariantCulture), detail);
}

/// <summary>One operation of a closed-loop worker. <paramref name="iteration"/> is unique across workers of one step.</summary>
public delegate ValueTask<OpOutcome> LoadOperation(int worker, long iteration, CancellationToken cancellationToken);

/// <summary>The figures of one concurrency step.</summary>
public sealed record StepResult(
    string Label,
    int Concurrency,
    TimeSpan Measured,
    long Operations,
    long Errors,
    IReadOnlyDictionary<string, long> Outcomes,
    LatencyHistogram Latency,
    string? FirstError)
{
    /// <summary>Operations completed over the whole step, warm-up and tail included (for functional checks).</summary>
    public long AllOperations { get; init; }

    /// <summary>Failed operations over the whole step, warm-up and tail included.</summary>
    public long AllErrors { get; init; }

    public double Throughput => Measured.TotalSeconds <= 0 ? 0 : Operations / Measured.TotalSeconds;

    public double P50Ms => Latency.ValueAtPercentile(50) / 1000.0;

    public double P95Ms => Latency.ValueAtPercentile(95) / 1000.0;

    public double P99Ms => Latency.ValueAtPercentile(99) / 1000.0;

    public double MaxMs => Latency.Max / 1000.0;

    /// <summary>Peak server RSS during the step, in bytes, when sampled.</summary>
    public long? PeakRssBytes { get; init; }
}

/// <summary>
/// Closed-loop load: N workers each run the operation back to back for a fixed time. Only operations that
/// start and complete inside the measured window are counted: one begun during the warm-up is a cold
/// start (JIT, first queries) even when it ends later, and one still running at the end is cut off; so
/// the throughput is the operations inside the window divided by the window's length.
/// With <c>minOperations</c>, the window stays open past <c>duration</c> until that many operations
/// have completed inside it (at most until <c>maxDuration</c>), so a short smoke step measures
/// something even when its first operations are slow; the window's length is then the real one.
/// </summary>
public static class LoadRunner
{
    public static async Task<StepResult> RunAsync(
        string label, int concurrency, TimeSpan warmup, TimeSpan duration, LoadOperation operation, CancellationToken cancellationToken, TimeProvider? time = null,
        long minOperations = 0, TimeSpan? maxDuration = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        // Wall time by default (a load test measures real seconds); tests pass a fake clock.
        var clock = time ?? TimeProvider.System;
        var frequency = clock.TimestampFrequency;
        var start = clock.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * frequency);
        var measureTo = measureFrom + (long)(duration.TotalSeconds * frequency);
        var hardStop = measureFrom + (long)(Math.Max(duration.TotalSeconds, (maxDuration ?? duration).TotalSeconds) * frequency);
        long iteration = -1;
        long counted = 0;
        long lastCounted = measureTo;
        bool WindowOpen(long now) => now <= measureTo || (Interlocked.Read(ref counted) < minOperations && now <= hardStop);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var tally = new WorkerTally();
            while (!stop.IsCancellationRequested && WindowOpen(clock.GetTimestamp()))
            {
                var i = Interlocked.Increment(ref iteration);
                var t0 = clock.GetTimestamp();
                OpOutcome outcome;
                try
                {
                    outcome = await operation(worker, i, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception e)
                {
                    outcome = new OpOutcome(false, e.GetType().Name, e.Message);
                }

                var t1 = clock.GetTimestamp();
                tally.AllOperations++;
                if (!outcome.Success)
                {
                    tally.AllErrors++;
                    tally.FirstError ??= $"{outcome.Label}: {outcome.Detail}";
                }

                if (t0 < measureFrom || !WindowOpen(t1))
                {
                    continue;
                }

                Interlocked.Increment(ref counted);
                if (t1 > measureTo)
                {
                    InterlockedMax(ref lastCounted, t1);
                }

                tally.Histogram.Record(outcome.Latency is { } own ? (long)own.TotalMicroseconds : (long)((t1 - t0) * 1_000_000.0 / frequency));
                tally.Outcomes[outcome.Label] = tally.Outcomes.GetValueOrDefault(outcome.Label) + 1;
                if (!outcome.Success)
                {
                    tally.Errors++;
                }
            }

            return tally;
        }, CancellationToken.None)).ToArray();

        var tallies = await Task.WhenAll(workers);
        var histogram = new LatencyHistogram();
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long errors = 0, allOperations = 0, allErrors = 0;
        string? firstError = null;
        foreach (var tally in tallies)
        {
            histogram.Add(tally.Histogram);
            errors += tally.Errors;
            allOperations += tally.AllOperations;
            allErrors += tally.AllErrors;
            firstError ??= tally.FirstError;
            foreach (var (key, count) in tally.Outcomes)
            {
                outcomes[key] = outcomes.GetValueOrDefault(key) + count;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var measured = TimeSpan.FromSeconds((Interlocked.Read(ref lastCounted) - measureFrom) / (double)frequency);
        return new StepResult(label, concurrency, measured, histogram.Count, errors, outcomes, histogram, firstError)
        {
            AllOperations = allOperations,
            AllErrors = allErrors,
        };
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var seen = Interlocked.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    private sealed class WorkerTally
    {
        public LatencyHistogram Histogram { get; } = new();

        public Dictionary<string, long> Outcomes { get; } = new(StringComparer.Ordinal);

        public long Errors { get; set; }

        public long AllOperations { get; set; }

        public long AllErrors { get; set; }

        public string? FirstError { get; set; }
    }
}
