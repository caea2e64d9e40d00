using Steward.Bench.Measurement;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Bench;

public sealed class LoadRunnerTests
{
    [Fact]
    public async Task Counts_only_the_measured_window_and_tallies_outcomes()
    {
        var calls = 0L;
        var clock = new FakeClock();
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
        // Completions at 5, 10, … ms of fake time; the window [100, 400] ms holds the 61 at 100, 105, …, 400.
        // The runner reads an operation's end time after it returns, when the other worker may already
        // have moved the clock on 5 ms, so one operation can slip in at the start or out at the end.
        Assert.InRange(step.Operations, 60, 62);
        Assert.True(step.P50Ms >= 4, $"p50 {step.P50Ms} ms for 5 ms operations");
        Assert.InRange(step.Throughput, 1, 2 * 1000 / 5.0); // two workers, ≥ 5 ms each
    }

    [Fact]
    public async Task Failures_and_exceptions_are_errors_even_during_warm_up()
    {
        var clock = new FakeClock();
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
}
