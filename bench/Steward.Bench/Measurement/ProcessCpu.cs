namespace Steward.Bench.Measurement;

/// <summary>
/// CPU time (user + system) a process has used so far, from <c>/proc/{pid}/stat</c>; null where there is no procfs.
/// CPU per operation moves less with the machine's load than rates and latencies do, but not nothing: the first step
/// carries the JIT's warm-up, and a crowded machine adds spinning and context switches. Compare like steps of back-to-back runs.
/// </summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux the benchmark runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan? Read(int? pid)
    {
        if (pid is not { } p || !File.Exists($"/proc/{p}/stat"))
        {
            return null;
        }

        var stat = File.ReadAllText($"/proc/{p}/stat");
        // Fields after the command name (which may hold spaces), closed by the last ')': state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
