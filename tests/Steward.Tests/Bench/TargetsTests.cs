using Steward.Bench.Measurement;
using Steward.Bench.Scenarios;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Bench;

public sealed class TargetsTests
{
    private static StepResult Step(long operations, double latencyMs = 0)
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < operations; i++)
        {
            histogram.Record((long)(latencyMs * 1000));
        }

        return new StepResult("steward", 4, TimeSpan.FromSeconds(1), operations, 0, new Dictionary<string, long>(), histogram, null) { AllOperations = operations + 4 };
    }

    [Fact]
    public void P99_OfAStepThatMeasuredNothing_IsNotMeasuredNeverMet()
    {
        var result = new ScenarioResult("intake", "");
        Targets.P99(result, [Step(0)], 50);

        var check = Assert.Single(result.Targets);
        Assert.Null(check.Met);
        Assert.Equal("not measured", check.Measured);
    }

    [Fact]
    public void P99_OfAMeasuredStep_IsJudged()
    {
        var result = new ScenarioResult("intake", "");
        Targets.P99(result, [Step(10, 20)], 50);
        Targets.P95(result, [Step(10, 80)], 50);

        Assert.Equal([true, false], result.Targets.Select(t => t.Met));
    }

    [Fact]
    public void ThroughputRatio_WithNoStewardOperation_IsNotMeasured()
    {
        var result = new ScenarioResult("intake", "");
        Targets.ThroughputRatio(result, [Step(0)], [Step(75, 18)], 0.5);

        Assert.Null(Assert.Single(result.Targets).Met);
    }

    [Fact]
    public async Task LoadRunner_WithMinOperations_KeepsTheWindowOpenUntilSomethingIsMeasured()
    {
        var clock = TestClock.Create();
        // Every operation takes 300 ms. The first runs 0–300 ms, begun in the 100 ms warm-up, so it is not counted;
        // the second (300–600) is the only one inside the [100, 500] ms window; asked for 3, the window stays open
        // until the fourth ends at 1,200 ms (1,100 ms measured).
        var step = await LoadRunner.RunAsync("slow", 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), async (_, _, _) =>
        {
            await Task.Yield();
            clock.Advance(TimeSpan.FromMilliseconds(300));
            return OpOutcome.Ok;
        }, CancellationToken.None, clock, minOperations: 3, maxDuration: TimeSpan.FromSeconds(15));

        Assert.Equal(3, step.Operations);
        Assert.Equal(1100, step.Measured.TotalMilliseconds, 1);
    }

    [Fact]
    public async Task LoadRunner_WithMinOperations_StopsAtTheCap()
    {
        var clock = TestClock.Create();
        var step = await LoadRunner.RunAsync("stuck", 1, TimeSpan.Zero, TimeSpan.FromMilliseconds(400), async (_, _, _) =>
        {
            await Task.Yield();
            clock.Advance(TimeSpan.FromSeconds(20));
            return OpOutcome.Ok;
        }, CancellationToken.None, clock, minOperations: 3, maxDuration: TimeSpan.FromSeconds(15));

        Assert.Equal(0, step.Operations);
        Assert.Equal(1, step.AllOperations);
    }
}
