namespace Steward.Bench.Measurement;

/// <summary>
/// CPU time (user + system) a process has used so far, from <c>/proc/{pid}/stat</c>; null where there is no procfs.
/// Unlike rates and latencies, CPU per operation hardly moves with the machine's load, so it compares runs on a busy machine.
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
