using System.Globalization;
using System.Text;
using Steward.Bench.Environment;
using Steward.Bench.Scenarios;

namespace Steward.Bench;

/// <summary>The run's facts besides the figures, for the report's header.</summary>
public sealed record RunInfo(
    DateTimeOffset StartedAt,
    TimeSpan Elapsed,
    MachineInfo Machine,
    string LoadAverageAtEnd,
    string Database,
    string? PostgresVersion,
    IReadOnlyList<(string Name, string Value)> PostgresSettings,
    string StewardDll,
    string? StewardStartup);

/// <summary>Writes the run as Markdown.</summary>
public static class Report
{
    public static string Render(BenchOptions options, RunInfo run, IReadOnlyList<ScenarioResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        Line($"# Steward benchmark: {string.Join(", ", options.Scenarios)}{(options.Quick ? " (quick mode)" : "")}");
        Line();
        Line($"{run.StartedAt.ToString("yyyy-MM-dd HH:mm", c)} UTC · {run.Elapsed.TotalSeconds.ToString("0", c)} s · " +
            (options.Quick ? "**quick mode: smoke-test sizes and durations, figures are indicative only.**" : "full mode."));
        Line();
        Line("## Command");
        Line();
        Line("```");
        Line(options.CommandLine);
        Line("```");
        Line();
        Line("## Environment");
        Line();
        Line("| | |");
        Line("| --- | --- |");
        var m = run.Machine;
        Line($"| CPU | {m.CpuModel}, {m.Cores} logical cores |");
        Line($"| memory | {(m.MemoryBytes / 1024.0 / 1024 / 1024).ToString("0.0", c)} GiB |");
        Line($"| OS | {m.OperatingSystem}, kernel {m.Kernel} |");
        Line($"| .NET | {m.DotNet} |");
        Line($"| load average (1, 5, 15 min) | {m.LoadAverage} at start, {run.LoadAverageAtEnd} at the end |");
        Line($"| Steward | `{run.StewardDll}`{(m.GitCommit is null ? "" : $", commit {m.GitCommit}")}; started in {run.StewardStartup ?? "n/a"}; environment `Benchmark`, demo institution with {options.DemoCustomers} customers, logging at Warning |");
        Line($"| database | {run.Database} |");
        if (run.PostgresVersion is not null)
        {
            Line($"| PostgreSQL | {run.PostgresVersion}: {string.Join(", ", run.PostgresSettings.Select(s => $"`{s.Name}={s.Value}`"))} |");
        }

        Line($"| load | closed loop, {options.WarmupSeconds.ToString(c)} s warm-up + {options.DurationSeconds.ToString(c)} s measured per step, workers {string.Join(", ", options.Concurrency)}; generator on the same machine |");
        Line("| latency | HDR-style histogram, µs resolution, ≤ 0.2 % bucket error above 1 ms; nearest-rank percentiles |");
        Line($"| data | seed {options.Seed}; datagen customers {options.Customers.ToString("N0", c)}; cases {options.Cases.ToString("N0", c)} (for the case scenarios) |");
        Line();
        Line("## Results");
        Line();
        Line("| scenario | status | steps | peak Steward RSS |");
        Line("| --- | --- | --- | --- |");
        foreach (var r in results)
        {
            Line($"| {r.Name} | {StatusText(r)} | {r.Steps.Count} | {(r.PeakRssBytes is null ? "n/a" : Targets.Mb(Math.Max(r.PeakRssBytes.Value, r.HighWaterMarkBytes ?? 0)))} |");
        }

        foreach (var r in results)
        {
            Line();
            Line($"### {r.Name}");
            Line();
            Line(r.Description);
            Line();
            if (r.Status is ScenarioStatus.NotAvailable or ScenarioStatus.Skipped || r.Reason is not null)
            {
                Line($"**{StatusText(r)}**{(r.Reason is null ? "" : ": " + r.Reason.Replace("\n", " ", StringComparison.Ordinal))}");
                Line();
            }

            if (r.Steps.Count > 0)
            {
                Line("| step | workers | ops | ops/s | p50 ms | p95 ms | p99 ms | max ms | errors | peak RSS |");
                Line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
                foreach (var s in r.Steps)
                {
                    var errors = s.Errors == 0 ? "0" : $"{s.Errors} ({string.Join(", ", s.Outcomes.Where(o => o.Key is not ("ok" or "200" or "201" or "204")).Select(o => $"{o.Key}×{o.Value}"))})";
                    Line(string.Create(c, $"| {s.Label} | {s.Concurrency} | {s.Operations} | {s.Throughput:0.0} | {s.P50Ms:0.00} | {s.P95Ms:0.00} | {s.P99Ms:0.00} | {s.MaxMs:0.00} | {errors} | {(s.PeakRssBytes is { } b ? Targets.Mb(b) : "n/a")} |"));
                }

                Line();
            }

            foreach (var (name, value) in r.Figures)
            {
                Line($"- {name}: **{value}**");
            }

            foreach (var note in r.Notes)
            {
                Line($"- {note}");
            }

            foreach (var section in r.Sections)
            {
                Line();
                Line(section.TrimEnd('\n'));
                Line();
            }
        }

        var targets = results.SelectMany(r => r.Targets).ToList();
        Line();
        Line("## Targets");
        Line();
        if (targets.Count == 0)
        {
            Line("No scenario with a target ran.");
        }
        else
        {
            Line("Reported only; a missed target never fails a run." + (options.Quick ? " Quick-mode figures say little about the targets." : ""));
            Line();
            Line("| scenario | target | measured | met |");
            Line("| --- | --- | --- | --- |");
            foreach (var t in targets)
            {
                Line($"| {t.Scenario} | {t.Target} | {t.Measured} | {t.Met switch { true => "yes", false => "**no**", null => "**not measured**" }} |");
            }
        }

        var text = md.ToString();
        while (text.Contains("\n\n\n", StringComparison.Ordinal))
        {
            text = text.Replace("\n\n\n", "\n\n", StringComparison.Ordinal);
        }

        return text;
    }

    private static string StatusText(ScenarioResult r) => r.Status switch
    {
        ScenarioStatus.Passed => "passed",
        ScenarioStatus.Failed => "FAILED",
        ScenarioStatus.NotAvailable => "not available yet",
        ScenarioStatus.Skipped => "skipped",
    };
}
