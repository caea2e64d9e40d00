using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Background;

/// <summary>
/// Work that runs every <see cref="Interval"/> on every node (sweeps, deliveries). A job must be safe
/// to run on several nodes at once against one database: it claims rows atomically (for example an
/// <c>UPDATE … WHERE state = 'due' RETURNING</c>, or <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL).
/// </summary>
public interface IPeriodicJob
{
    string Name { get; }

    TimeSpan Interval { get; }

    /// <summary>One pass; <paramref name="services"/> is a fresh scope for this pass.</summary>
    Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}

/// <summary>Bound from <c>Background</c>.</summary>
public sealed class BackgroundOptions
{
    public const string Section = "Background";

    /// <summary>Run periodic jobs in this process (turn off on nodes that only serve requests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The names of the jobs this process runs on their timers; empty runs every job. A node can be given the work it is
    /// for (the mail poller on one node, the sweeps on all), and a job that misbehaves can be stopped on every node with a
    /// restart instead of a release. An unknown name stops the start, so a typo does not silently stop a job.
    /// </summary>
    public List<string> Jobs { get; set; } = [];

    /// <summary>Seconds to wait before the first pass after start-up.</summary>
    [Range(0, 3600)]
    public int StartDelaySeconds { get; set; }
}

/// <summary>The outcome of one pass, for logs, health and tests.</summary>
public sealed record JobPass(string Job, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, Exception? Error);

/// <summary>
/// Runs each <see cref="IPeriodicJob"/> on its own timer from the injected <see cref="TimeProvider"/>,
/// so tests drive it with a fake clock. Passes of one job never overlap in one process; a failed
/// pass is logged and the next pass runs on schedule.
/// </summary>
public sealed class PeriodicWorkHost(
    IEnumerable<IPeriodicJob> jobs,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<BackgroundOptions> options,
    ILogger<PeriodicWorkHost> logger) : BackgroundService
{
    /// <summary>Raised after every pass of every job (tests wait on it instead of sleeping).</summary>
    public event Action<JobPass>? PassCompleted;

    /// <summary>Runs one pass of the named job now, in the caller's flow.</summary>
    public async Task<JobPass> RunOnceAsync(string name, CancellationToken cancellationToken = default)
    {
        var job = jobs.Single(j => j.Name == name);
        return await RunPassAsync(job, cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return Task.CompletedTask;
        }

        var chosen = options.Value.Jobs;
        var running = jobs.Where(job => chosen.Count == 0 || chosen.Contains(job.Name)).ToList();
        logger.LogInformation("Periodic jobs: {Running} run here; not here: {Others}",
            string.Join(", ", running.Select(j => j.Name)), string.Join(", ", jobs.Except(running).Select(j => j.Name).DefaultIfEmpty("none")));
        return Task.WhenAll(running.Select(job => LoopAsync(job, stoppingToken)));
    }

    private async Task LoopAsync(IPeriodicJob job, CancellationToken stoppingToken)
    {
        try
        {
            if (options.Value.StartDelaySeconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Value.StartDelaySeconds), time, stoppingToken);
            }

            using var timer = new PeriodicTimer(job.Interval, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Off the timer's own thread: a pass that completes synchronously (SQLite's driver does its I/O inline) would
                // otherwise run inside the timer callback, once for every tick of a clock moved far ahead, instead of the
                // ticks that came while a pass ran counting as one — thousands of passes for one jump of a test's clock.
                await Task.Yield();
                await RunPassAsync(job, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private readonly Dictionary<string, SemaphoreSlim> gates = new();

    private SemaphoreSlim Gate(string name)
    {
        lock (gates)
        {
            if (!gates.TryGetValue(name, out var gate))
            {
                gates[name] = gate = new SemaphoreSlim(1, 1);
            }

            return gate;
        }
    }

    private async Task<JobPass> RunPassAsync(IPeriodicJob job, CancellationToken cancellationToken)
    {
        var gate = Gate(job.Name);
        await gate.WaitAsync(cancellationToken);
        var started = time.GetUtcNow();
        Exception? error = null;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await job.RunAsync(scope.ServiceProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = ex;
            logger.LogError(ex, "Periodic job {Job} failed", job.Name);
        }
        finally
        {
            gate.Release();
        }

        var pass = new JobPass(job.Name, started, time.GetUtcNow(), error);
        PassCompleted?.Invoke(pass);
        return pass;
    }
}
