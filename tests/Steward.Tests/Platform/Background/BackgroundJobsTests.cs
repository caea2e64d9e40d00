using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Background;

/// <summary>Which periodic jobs a node runs on their timers (<c>Background:Jobs</c>), and that a wrong name stops the start.</summary>
public sealed class BackgroundJobsTests
{
    [Theory, BothDatabases]
    public async Task Node_WithJobsNamed_RunsOnlyThoseOnItsTimers_ButAnyJobCanStillBeRunOnce(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Background:Jobs:0"] = "sla-sweep" });
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();
        var passed = new System.Collections.Concurrent.ConcurrentBag<string>();
        host.PassCompleted += p => passed.Add(p.Job);

        // A day is past every job's interval (the longest is the daily ones): on this node only the SLA sweep runs.
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), "sla-sweep")).Error);
        }

        Assert.Equal(["sla-sweep"], passed.Distinct());
        Assert.Null((await host.RunOnceAsync("outbox")).Error);
        Assert.Contains("outbox", passed);
    }

    [Theory, BothDatabases]
    public async Task Node_WithoutJobsNamed_RunsEveryJob(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();
        var passed = new System.Collections.Concurrent.ConcurrentDictionary<string, byte>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // By name, not by count: these are the jobs of the platform and of three features, all running on a default node.
        string[] expected = ["sla-sweep", "outbox", "idempotency-key-sweep", "audit-checkpoint", "qualification-reminders", "customer-tiering"];
        host.PassCompleted += p =>
        {
            passed.TryAdd(p.Job, 0);
            if (expected.All(passed.ContainsKey))
            {
                all.TrySetResult();
            }
        };

        app.Clock.Advance(TimeSpan.FromDays(1));
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Superset(expected.ToHashSet(), passed.Keys.ToHashSet());
    }

    [Fact]
    public async Task Start_WithAnUnknownJobName_FailsAndSaysWhy()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StewardApp.StartAsync(DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Background:Jobs:0"] = "sla-sweeep" }));
        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException ?? (error as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.NotNull(validation);
        Assert.Contains("Background:Jobs names a job that does not exist", validation.Message, StringComparison.Ordinal);
    }
}
