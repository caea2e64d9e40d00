namespace Steward.Bench.Scenarios;

public enum ScenarioStatus
{
    /// <summary>Ran without functional errors (targets may still be missed).</summary>
    Passed,

    /// <summary>HTTP or database errors, or the scenario threw: the run exits with 1.</summary>
    Failed,

    /// <summary>The endpoints it needs are not in this build's OpenAPI document yet.</summary>
    NotAvailable,

    /// <summary>Not meaningful for this configuration (e.g. a PostgreSQL baseline on SQLite).</summary>
    Skipped,
}

/// <summary>A target from issue 5; never fails a run, only reported. <see cref="Met"/> is null when nothing was measured: such a target is never "met".</summary>
public sealed record TargetCheck(string Scenario, string Target, string Measured, bool? Met)
{
    public const string NotMeasured = "not measured";

    public static TargetCheck Unmeasured(string scenario, string target) => new(scenario, target, NotMeasured, null);
}

/// <summary>What one scenario produced, for the report.</summary>
public sealed class ScenarioResult(string name, string description)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public ScenarioStatus Status { get; set; } = ScenarioStatus.Passed;

    public string? Reason { get; set; }

    public List<Measurement.StepResult> Steps { get; } = [];

    /// <summary>Single figures (e.g. bulk-load rate, hashing cost) as name → value text.</summary>
    public List<(string Name, string Value)> Figures { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Markdown blocks (e.g. a table of the statements that dominated) printed after the notes.</summary>
    public List<string> Sections { get; } = [];

    public List<TargetCheck> Targets { get; } = [];

    /// <summary>Peak Steward RSS over the scenario (sampled VmRSS, and the kernel's VmHWM), in bytes.</summary>
    public long? PeakRssBytes { get; set; }

    public long? HighWaterMarkBytes { get; set; }

    public TimeSpan Elapsed { get; set; }

    public void Fail(string reason)
    {
        Status = ScenarioStatus.Failed;
        Reason = Reason is null ? reason : Reason + "; " + reason;
    }
}

/// <summary>
/// A benchmark scenario. To add one: derive from this class, list the API operations it needs in
/// <see cref="RequiredOperations"/> (it reports "not available yet" until the build's OpenAPI
/// document has them), run load with <see cref="BenchContext.RunStepsAsync"/>, add targets, and
/// register it in <see cref="ScenarioCatalog"/>.
/// </summary>
public abstract class Scenario
{
    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>API operations as "METHOD /path" (OpenAPI spelling, e.g. "GET /api/v1/cases/{id}").</summary>
    public virtual IReadOnlyList<string> RequiredOperations => [];

    /// <summary>Needs PostgreSQL itself (a raw baseline or COPY); skipped on SQLite.</summary>
    public virtual bool RequiresPostgres => false;

    /// <summary>Drives Steward over HTTP (so its memory is sampled).</summary>
    public virtual bool UsesSteward => true;

    public abstract Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken);
}
