using Steward.Bench.Measurement;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Bench;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task Counts_only_the_measured_window_and_tallies_outcomes()
    {
        var calls = 0L;
        var clock = TestClock.Create();
        var gate = new SemaphoreSlim(1, 1);
        var step = await LoadRunner.RunAsync("test", 2, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), async (_, _, ct) =>
        {
            Interlocked.Increment(ref calls);
            // Each operation "takes" 5 ms of fake time, one at a time; a worker waiting for the other sees 5 or 10 ms.
            await gate.WaitAsync(ct);
            clock.Advance(TimeSpan.FromMilliseconds(5));
            gate.Release();
            return OpOutcome.FromStatus(200, true);
        }, CancellationToken.None, clock);

        Assert.Equal(2, step.Concurrency);
        Assert.Equal(0, step.Errors);
        Assert.Equal(0, step.AllErrors);
        Assert.True(step.Operations > 0);
        Assert.True(step.Operations < step.AllOperations); // the warm-up's operations are not counted
        Assert.Equal(Interlocked.Read(ref calls), step.AllOperations);
        Assert.Equal(step.Operations, step.Outcomes["200"]);
        Assert.Equal(step.Operations, step.Latency.Count);
        // Completions at 5, 10, … ms of fake time; the window [100, 400] ms holds the 60 begun at 100 or later
        // and ended by 400 (105, 110, …, 400). The runner reads an operation's start and end after the other
        // worker may already have moved the clock on 5 ms, so one operation can slip in or out at either end.
        Assert.InRange(step.Operations, 59, 61);
        Assert.True(step.P50Ms >= 4, $"p50 {step.P50Ms} ms for 5 ms operations");
        Assert.InRange(step.Throughput, 1, 2 * 1000 / 5.0); // two workers, ≥ 5 ms each
    }

    [Fact]
    public async Task Failures_and_exceptions_are_errors_even_during_warm_up()
    {
        var clock = TestClock.Create();
        var step = await LoadRunner.RunAsync("test", 1, TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), async (_, i, ct) =>
        {
            await Task.Yield();
            clock.Advance(TimeSpan.FromMilliseconds(2));
            return i switch
            {
                0 => throw new InvalidOperationException("boom"),
                1 => OpOutcome.FromStatus(500, false, "server error"),
                _ => OpOutcome.Ok,
            };
        }, CancellationToken.None, clock);

        Assert.Equal(2, step.AllErrors);
        Assert.Equal(0, step.Errors); // both happened in the warm-up
        Assert.Equal("InvalidOperationException: boom", step.FirstError);
    }

    [Fact]
    public async Task An_operation_begun_in_the_warm_up_is_not_measured_even_when_it_ends_in_the_window()
    {
        var clock = TestClock.Create();
        // A cold first operation of 1,000 ms begun at 0 (warm-up 100 ms), then 10 ms ones: the window [100, 500] ms
        // holds the warm ones begun at 1,000, … — none end by 500, so the window stays open (min 3) until
        // 1,010, 1,020 and 1,030 ms. The cold one ends at 1,000 ms inside the open window and is not counted.
        var step = await LoadRunner.RunAsync("cold", 1, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(400), async (_, i, _) =>
        {
            await Task.Yield();
            clock.Advance(TimeSpan.FromMilliseconds(i == 0 ? 1000 : 10));
            return OpOutcome.Ok;
        }, CancellationToken.None, clock, minOperations: 3, maxDuration: TimeSpan.FromSeconds(15));

        Assert.Equal(3, step.Operations);
        Assert.Equal(10, step.Latency.Max / 1000.0, 1);
        Assert.Equal(930, step.Measured.TotalMilliseconds, 1);
    }
}
