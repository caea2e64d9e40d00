using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Steward.Platform.Background;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// What the tests add to <see cref="FakeTimeProvider"/>: the instant every test app starts at unless told
/// otherwise, and moving the clock until a periodic job's timer has fired and its pass has finished.
/// </summary>
public static class TestClock
{
    /// <summary>Monday 23 November 2026, 09:00 in Shanghai (01:00 UTC): a working morning.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A fake clock at <paramref name="start"/> (or <see cref="DefaultStart"/>), its local zone UTC.</summary>
    public static FakeTimeProvider Create(DateTimeOffset? start = null) => new(start ?? DefaultStart);

    /// <summary>
    /// Advances the app's clock by <paramref name="by"/> and waits (up to a minute of real time, never sleeping)
    /// until the timer-driven pass of the job named <paramref name="job"/> that this fires has completed.
    /// </summary>
    public static async Task<JobPass> AdvanceUntilPassAsync(this StewardApp app, TimeSpan by, string job)
    {
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();
        var pass = new TaskCompletionSource<JobPass>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnPass(JobPass p)
        {
            if (p.Job == job)
            {
                pass.TrySetResult(p);
            }
        }

        host.PassCompleted += OnPass;
        try
        {
            app.Clock.Advance(by);
            return await pass.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            host.PassCompleted -= OnPass;
        }
    }
}
