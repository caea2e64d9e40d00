using System.Globalization;

namespace Steward.Bench.Measurement;

/// <summary>
/// Samples a process's resident set size from <c>/proc/&lt;pid&gt;/status</c> (VmRSS) every
/// <c>interval</c> and keeps the peak; also reads the kernel's own high-water mark (VmHWM), which
/// <see cref="ResetHighWaterMark"/> resets (Linux ≥ 4.0, <c>/proc/&lt;pid&gt;/clear_refs</c>) so that
/// each scenario gets its own peak.
/// </summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly int pid;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long peak;

    private RssSampler(int pid, TimeSpan interval)
    {
        this.pid = pid;
        peak = Read(pid, "VmRSS:") ?? 0;
        loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
                {
                    var rss = Read(pid, "VmRSS:") ?? 0;
                    if (rss > Interlocked.Read(ref peak))
                    {
                        Interlocked.Exchange(ref peak, rss);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    /// <summary>Starts sampling; null when the process (or /proc) is not there.</summary>
    public static RssSampler? Start(int? pid, TimeSpan interval) =>
        pid is { } p && File.Exists($"/proc/{p}/status") ? new RssSampler(p, interval) : null;

    /// <summary>The largest VmRSS sampled so far, in bytes.</summary>
    public long PeakBytes => Math.Max(Interlocked.Read(ref peak), Read(pid, "VmRSS:") ?? 0);

    /// <summary>The kernel's VmHWM in bytes (peak since start or since the last reset).</summary>
    public long? HighWaterMarkBytes => Read(pid, "VmHWM:");

    public static long? CurrentBytes(int pid) => Read(pid, "VmRSS:");

    /// <summary>Resets VmHWM to the current RSS; false when the kernel or permissions refuse.</summary>
    public static bool ResetHighWaterMark(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private static long? Read(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    // "VmRSS:\t  123456 kB"
                    var parts = line[field.Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return null;
    }
}
