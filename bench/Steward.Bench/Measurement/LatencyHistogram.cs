namespace Steward.Bench.Measurement;

/// <summary>
/// A small HDR-style latency histogram with microsecond resolution and log-linear buckets.
/// <para>
/// Values 0–1023 µs are kept exactly (one bucket per microsecond). Above that, each power-of-two
/// range [1024·2^(k-1), 1024·2^k) is split into 512 equal sub-buckets of width 2^k µs, so a
/// recorded value is known to within 1/512 (≈ 0.2 %) of itself. Values are capped at
/// <see cref="MaxTrackable"/> (≈ 19 hours). Memory is fixed (≈ 115 KB), whatever the count.
/// </para>
/// <para>
/// Percentiles use the nearest-rank definition: the value at rank ⌈p/100 · N⌉ of the sorted
/// samples (rank 1 for p = 0). As in HdrHistogram, the reported value is the highest value the
/// bucket can hold (never an under-estimate), clamped to the exact recorded maximum; below 1024 µs
/// this is the exact sample. Count, minimum, maximum and mean are exact.
/// </para>
/// Not thread-safe: give each worker its own histogram and <see cref="Add"/> them afterwards.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 1024;
    private const int SubBuckets = 512;
    private const int MaxExponent = 26;

    /// <summary>The largest value that can be recorded, in microseconds; larger values are clamped to it.</summary>
    public const long MaxTrackable = ((long)LinearLimit << MaxExponent) - 1;

    private readonly long[] counts = new long[LinearLimit + (MaxExponent * SubBuckets)];
    private long sum;

    public long Count { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public long Max { get; private set; }

    /// <summary>The exact mean in microseconds (0 when empty).</summary>
    public double Mean => Count == 0 ? 0 : (double)sum / Count;

    /// <summary>Records one value in microseconds (negative values count as 0).</summary>
    public void Record(long microseconds)
    {
        var value = Math.Clamp(microseconds, 0, MaxTrackable);
        counts[IndexOf(value)]++;
        Count++;
        sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    /// <summary>Records a <see cref="System.Diagnostics.Stopwatch"/> tick interval.</summary>
    public void RecordTicks(long stopwatchTicks) =>
        Record((long)(stopwatchTicks * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));

    /// <summary>Adds every value recorded in <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        sum += other.sum;
        if (other.Count > 0)
        {
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }
    }

    /// <summary>The value at percentile <paramref name="percentile"/> (0–100) in microseconds; 0 when empty.</summary>
    public long ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return 0;
        }

        // Nearest rank; the small epsilon keeps e.g. 0.95 * 100 from becoming 95.0000001 → 96.
        var rank = (long)Math.Ceiling((percentile / 100.0 * Count) - 1e-9);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestEquivalent(i), Max);
            }
        }

        return Max;
    }

    /// <summary>The bucket index of a value in [0, <see cref="MaxTrackable"/>].</summary>
    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        // k ≥ 1 such that value >> k lies in [512, 1024).
        var k = 63 - (int)long.LeadingZeroCount(value) - 9;
        return LinearLimit + ((k - 1) * SubBuckets) + (int)((value >> k) - SubBuckets);
    }

    /// <summary>The highest value that falls into bucket <paramref name="index"/>.</summary>
    internal static long HighestEquivalent(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var k = ((index - LinearLimit) / SubBuckets) + 1;
        var sub = ((index - LinearLimit) % SubBuckets) + SubBuckets;
        return ((long)(sub + 1) << k) - 1;
    }
}
