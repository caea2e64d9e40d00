using System.Globalization;
using System.Runtime.InteropServices;

namespace Steward.Bench.Environment;

/// <summary>What the report says about the machine the figures come from.</summary>
public sealed record MachineInfo(int Cores, string CpuModel, long MemoryBytes, string OperatingSystem, string Kernel, string DotNet, string LoadAverage, string? GitCommit)
{
    public static MachineInfo Collect(string repositoryRoot)
    {
        var cpu = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memKb = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            ?? RuntimeInformation.OSDescription;
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault() ?? RuntimeInformation.OSDescription;
        var load = ReadLines("/proc/loadavg").FirstOrDefault() is { } l ? string.Join(' ', l.Split(' ').Take(3)) : "n/a";
        return new MachineInfo(
            System.Environment.ProcessorCount,
            cpu,
            memKb is null ? 0 : long.Parse(memKb, CultureInfo.InvariantCulture) * 1024,
            os,
            kernel,
            RuntimeInformation.FrameworkDescription,
            load,
            ReadGitCommit(repositoryRoot));
    }

    public static string CurrentLoadAverage() =>
        ReadLines("/proc/loadavg").FirstOrDefault() is { } l ? string.Join(' ', l.Split(' ').Take(3)) : "n/a";

    private static string? ReadGitCommit(string root)
    {
        try
        {
            var head = ProcessRunner.RunAsync("git", ["-C", root, "rev-parse", "--short=12", "HEAD"], CancellationToken.None, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult().Trim();
            var dirty = ProcessRunner.RunAsync("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], CancellationToken.None, TimeSpan.FromSeconds(10)).GetAwaiter().GetResult().Trim();
            return dirty.Length > 0 ? head + " (with uncommitted changes)" : head;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return null;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
