using Steward.Bench.Measurement;

namespace Steward.Tests.Bench;

/// <summary>The bench's percentile arithmetic, with expected values worked out by hand.</summary>
public sealed class LatencyHistogramTests
{
    private static LatencyHistogram Of(params long[] values)
    {
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.Record(value);
        }

        return histogram;
    }

    [Fact]
    public void Empty_histogram_reports_zero()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.ValueAtPercentile(50));
        Assert.Equal(0, h.ValueAtPercentile(99));
        Assert.Equal(0, h.Mean);
    }

    [Fact]
    public void One_to_hundred_gives_nearest_rank_percentiles()
    {
        var h = Of([.. Enumerable.Range(1, 100).Select(i => (long)i)]);
        Assert.Equal(100, h.Count);
        Assert.Equal(1, h.ValueAtPercentile(0));
        Assert.Equal(1, h.ValueAtPercentile(1));
        Assert.Equal(50, h.ValueAtPercentile(50));
        Assert.Equal(95, h.ValueAtPercentile(95)); // 0.95 × 100 is exactly rank 95, not 96
        Assert.Equal(99, h.ValueAtPercentile(99));
        Assert.Equal(100, h.ValueAtPercentile(99.5)); // rank ⌈99.5⌉ = 100
        Assert.Equal(100, h.ValueAtPercentile(100));
        Assert.Equal(1, h.Min);
        Assert.Equal(100, h.Max);
        Assert.Equal(50.5, h.Mean);
    }

    [Fact]
    public void Ten_values_round_the_rank_up()
    {
        var h = Of(100, 20, 30, 40, 50, 60, 70, 80, 90, 10); // recording order does not matter
        Assert.Equal(50, h.ValueAtPercentile(50)); // rank 5
        Assert.Equal(90, h.ValueAtPercentile(90)); // rank 9
        Assert.Equal(100, h.ValueAtPercentile(91)); // rank ⌈9.1⌉ = 10
        Assert.Equal(100, h.ValueAtPercentile(95));
        Assert.Equal(10, h.ValueAtPercentile(10)); // rank 1
        Assert.Equal(20, h.ValueAtPercentile(10.5)); // rank ⌈1.05⌉ = 2
    }

    [Fact]
    public void A_single_slow_request_shows_only_above_its_rank()
    {
        // 99 requests of 1 ms and one of 200 ms.
        var h = Of([.. Enumerable.Repeat(1000L, 99), 200_000]);
        Assert.Equal(1000, h.ValueAtPercentile(50));
        Assert.Equal(1000, h.ValueAtPercentile(99)); // rank 99 is still 1 ms
        Assert.Equal(200_000, h.ValueAtPercentile(99.5)); // bucket [199 936, 200 191], clamped to the exact max
        Assert.Equal(200_000, h.Max);
        Assert.Equal(2990, h.Mean); // (99 × 1000 + 200 000) / 100
    }

    [Fact]
    public void Above_1024_us_percentiles_report_the_bucket_upper_bound()
    {
        // 5000 and 5003 share the bucket [5000, 5007] (width 8 between 4096 and 8191).
        var h = Of(1000, 5000, 5003);
        Assert.Equal(1000, h.ValueAtPercentile(33)); // rank ⌈0.99⌉ = 1
        Assert.Equal(5003, h.ValueAtPercentile(50)); // rank 2 = 5000, reported as the bucket's top 5007, clamped to max 5003
        Assert.Equal(5003, h.ValueAtPercentile(100));

        var g = Of(5000, 5000, 9000);
        Assert.Equal(5007, g.ValueAtPercentile(50)); // never an under-estimate, at most 8 µs (0.16 %) above
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1023, 1023, 1023)]
    [InlineData(1024, 1024, 1025)]
    [InlineData(1025, 1024, 1025)]
    [InlineData(1026, 1025, 1027)]
    [InlineData(2047, 1535, 2047)]
    [InlineData(2048, 1536, 2051)]
    [InlineData(2051, 1536, 2051)]
    [InlineData(4096, 2048, 4103)]
    public void Bucket_boundaries(long value, int index, long highest)
    {
        Assert.Equal(index, LatencyHistogram.IndexOf(value));
        Assert.Equal(highest, LatencyHistogram.HighestEquivalent(index));
    }

    [Fact]
    public void Every_value_is_kept_within_one_part_in_512()
    {
        var random = new Random(7);
        for (var i = 0; i < 100_000; i++)
        {
            var value = (long)Math.Pow(10, random.NextDouble() * 10.5); // 1 µs … ~9 hours
            var top = LatencyHistogram.HighestEquivalent(LatencyHistogram.IndexOf(value));
            Assert.InRange(top, value, value + (value / 512));
        }

        Assert.Equal(LatencyHistogram.MaxTrackable, LatencyHistogram.HighestEquivalent(LatencyHistogram.IndexOf(LatencyHistogram.MaxTrackable)));
    }

    [Fact]
    public void Out_of_range_values_are_clamped()
    {
        var h = Of(-5, long.MaxValue);
        Assert.Equal(0, h.Min);
        Assert.Equal(LatencyHistogram.MaxTrackable, h.Max);
        Assert.Equal(0, h.ValueAtPercentile(50));
    }

    [Fact]
    public void Adding_histograms_equals_recording_everything_in_one()
    {
        var a = Of([.. Enumerable.Range(1, 50).Select(i => (long)i * 100)]);
        var b = Of([.. Enumerable.Range(51, 50).Select(i => (long)i * 100)]);
        var all = Of([.. Enumerable.Range(1, 100).Select(i => (long)i * 100)]);
        var empty = new LatencyHistogram();
        a.Add(b);
        a.Add(empty);
        foreach (var p in new[] { 0, 25, 50, 90, 95, 99, 99.9, 100 })
        {
            Assert.Equal(all.ValueAtPercentile(p), a.ValueAtPercentile(p));
        }

        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Min, a.Min);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Mean, a.Mean);
        Assert.Equal(9503, a.ValueAtPercentile(95)); // rank 95 = 9500 µs, in the bucket [9488, 9503] (width 16 from 8192)
    }
}
