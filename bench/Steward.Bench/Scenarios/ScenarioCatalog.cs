namespace Steward.Bench.Scenarios;

/// <summary>Every scenario, in the order "all" runs them (data first, so later scenarios see it).</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new DataGenScenario(),
        new CaseGenScenario(),
        new SweepScenario(),
        new RawInsertScenario(),
        new AuthScenario(),
        new MeScenario(),
        new AuditPageScenario(),
        new IntakeScenario(),
        new WorkbenchScenario(),
        new SearchScenario(),
        new HoldingsImportScenario(),
        new SuitabilityCheckScenario(),
        new CustomerPhoneSearchScenario(),
        new ComplaintReturnsScenario(),
        new ComplaintDashboardScenario(),
        new SurveySubmitScenario(),
        new SurveyAnalysisScenario(),
        new WebhookScenario(),
        new MailScenario(),
        new QueueScenario(),
        new QueueBoardScenario(),
    ];

    public static IReadOnlyList<Scenario> Select(IReadOnlyList<string> names)
    {
        if (names.Contains("all"))
        {
            return All;
        }

        var unknown = names.Where(n => All.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown scenario {string.Join(", ", unknown)}; known: {string.Join(", ", All.Select(s => s.Name))}.");
        }

        return All.Where(s => names.Contains(s.Name)).ToList();
    }
}
