namespace Steward.Bench.Scenarios;

/// <summary>
/// A scenario whose feature is still being built. It reports "not available yet" while the build's
/// OpenAPI document lacks <see cref="Scenario.RequiredOperations"/>; once they appear, fill in
/// <see cref="RunAvailableAsync"/> (and the row writers it needs in <c>Data/</c>), and it runs.
/// </summary>
public abstract class PendingScenario : Scenario
{
    public sealed override Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken) =>
        RunAvailableAsync(context, result, cancellationToken);

    /// <summary>The body; until it is written, the scenario says so instead of failing the run.</summary>
    protected virtual Task RunAvailableAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        result.Status = ScenarioStatus.NotAvailable;
        result.Reason = $"the endpoints exist now, but the scenario body is not written yet (bench/Steward.Bench/Scenarios/{GetType().Name})";
        return Task.CompletedTask;
    }
}

/// <summary>
/// Case intake: Steward's <c>POST /api/v1/cases</c> against the raw baseline that inserts the same rows
/// (case, first case event, SLA clock rows, audit entry) in one transaction with
/// <see cref="Measurement.RawBaseline.Transaction"/>. Targets: rate ≥ 0.5 × raw at the same
/// concurrency, p99 ≤ 50 ms. Plan for the body: generate <c>--cases</c> texts with
/// <see cref="Data.CaseTextGenerator"/> (80 % Chinese) against bulk-loaded customers; run
/// <c>context.RunStepsAsync(result, "steward", …)</c> with an <c>Idempotency-Key</c> per request, then
/// <c>RunStepsAsync(result, "raw", RawBaseline.Transaction(…), sampleMemory: false)</c>; then
/// <c>Targets.ThroughputRatio(result, steward, raw, 0.5)</c> and <c>Targets.P99(result, steward, 50)</c>.
/// </summary>
public sealed class IntakeScenario : PendingScenario
{
    public override string Name => "intake";

    public override string Description => "Case intake: `POST /api/v1/cases` against a raw PostgreSQL transaction inserting the same rows (case, first event, SLA rows, audit entry).";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/cases"];
}

/// <summary>
/// The agent's workbench: the list of my open cases ordered by SLA deadline, over <c>--cases</c> cases
/// bulk-loaded with row writers for cases, events and SLA clocks. Target: p95 ≤ 20 ms.
/// </summary>
public sealed class WorkbenchScenario : PendingScenario
{
    public override string Name => "workbench";

    public override string Description => "An agent's workbench (open cases by SLA deadline, first page) over `--cases` bulk-loaded cases; agents of several branches.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/workbench"];
}

/// <summary>
/// Case search by Chinese and English words that occur in the generated texts (信用卡, 转账, 理财, 挂失,
/// 利率, "transfer", "mortgage", "statement": <see cref="Data.CaseTextGenerator.Topics"/>) over
/// <c>--cases</c> cases with replies. Target: p95 ≤ 200 ms.
/// </summary>
public sealed class SearchScenario : PendingScenario
{
    public override string Name => "search";

    public override string Description => "Full-text case search with Chinese and English terms from the generated texts over `--cases` cases and their replies.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/cases/search"];
}

/// <summary>
/// One SLA sweep (claim due clocks with a lease, raise warnings and breaches) over <c>--cases</c>
/// cases with due clocks. Target: a sweep ≤ 100 ms.
/// </summary>
public sealed class SweepScenario : PendingScenario
{
    public override string Name => "sweep";

    public override string Description => "One SLA sweep over `--cases` cases with running clocks (warnings and breaches due).";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/sla/sweep"];
}
