using System.Globalization;
using Steward.Bench.Measurement;

namespace Steward.Bench.Scenarios;

/// <summary>
/// The targets of issue 5, as checks a scenario adds to its result. They are reported, never fail a run.
/// A step that measured no operation gives "not measured", never "met".
/// </summary>
public static class Targets
{
    public const long RssLimitBytes = 400L * 1024 * 1024;

    /// <summary>Issue 14: call-next p95 at 16 workers (counters) on PostgreSQL, 100 counters across 20 branches.</summary>
    public const double QueueCallNextP95Ms = 30;

    /// <summary>Issue 14: from a call on one app node to a board connected to another, p95.</summary>
    public const double QueueBoardP95Ms = 500;

    /// <summary>Issue 15: submitting a survey response, p95 at 16 workers.</summary>
    public const double SurveySubmitP95Ms = 50;

    /// <summary>Issue 15: the analysis page over 2 M responses, p95 for one branch-quarter.</summary>
    public const double SurveyAnalysisP95Ms = 300;

    /// <summary>The workers the survey submission target is stated at.</summary>
    public const int SurveySubmitWorkers = 16;

    /// <summary>Steward's peak RSS during a scenario ≤ 400 MB.</summary>
    public static void Rss(ScenarioResult result)
    {
        if (result.PeakRssBytes is { } peak)
        {
            var worst = Math.Max(peak, result.HighWaterMarkBytes ?? 0);
            result.Targets.Add(new TargetCheck(result.Name, "Steward peak RSS ≤ 400 MB", Mb(worst), worst <= RssLimitBytes));
        }
    }

    /// <summary>p95 ≤ <paramref name="limitMs"/> at every step (workbench 20 ms, search 200 ms).</summary>
    public static void P95(ScenarioResult result, IEnumerable<StepResult> steps, double limitMs)
    {
        foreach (var step in steps)
        {
            var target = $"p95 ≤ {limitMs:0} ms ({step.Label}, c={step.Concurrency})";
            result.Targets.Add(step.Operations == 0 ? TargetCheck.Unmeasured(result.Name, target) : new TargetCheck(result.Name, target, Ms(step.P95Ms), step.P95Ms <= limitMs));
        }
    }

    /// <summary>p99 ≤ <paramref name="limitMs"/> at every step (intake 50 ms).</summary>
    public static void P99(ScenarioResult result, IEnumerable<StepResult> steps, double limitMs)
    {
        foreach (var step in steps)
        {
            var target = $"p99 ≤ {limitMs:0} ms ({step.Label}, c={step.Concurrency})";
            result.Targets.Add(step.Operations == 0 ? TargetCheck.Unmeasured(result.Name, target) : new TargetCheck(result.Name, target, Ms(step.P99Ms), step.P99Ms <= limitMs));
        }
    }

    /// <summary>Steward's throughput ≥ <paramref name="ratio"/> × the raw baseline's at the same concurrency (intake 0.5).</summary>
    public static void ThroughputRatio(ScenarioResult result, IEnumerable<StepResult> steward, IEnumerable<StepResult> raw, double ratio)
    {
        foreach (var s in steward)
        {
            var r = raw.FirstOrDefault(x => x.Concurrency == s.Concurrency);
            if (r is null)
            {
                continue;
            }

            if (r.Operations == 0 || s.Operations == 0)
            {
                result.Targets.Add(TargetCheck.Unmeasured(result.Name, $"rate ≥ {ratio:0.0#} × raw (c={s.Concurrency})"));
                continue;
            }

            var measured = s.Throughput / r.Throughput;
            result.Targets.Add(new TargetCheck(result.Name, $"rate ≥ {ratio:0.0#} × raw (c={s.Concurrency})",
                string.Create(CultureInfo.InvariantCulture, $"{measured:0.00} × ({s.Throughput:0}/s vs {r.Throughput:0}/s)"), measured >= ratio));
        }
    }

    /// <summary>A single duration (sweep ≤ 100 ms).</summary>
    public static void Duration(ScenarioResult result, string what, double measuredMs, double limitMs) =>
        result.Targets.Add(new TargetCheck(result.Name, $"{what} ≤ {limitMs:0} ms", Ms(measuredMs), measuredMs <= limitMs));

    public static string Ms(double ms) => ms.ToString(ms < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
