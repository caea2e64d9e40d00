using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Steward.Bench.Scenarios;

/// <summary>
/// POST /api/v1/suitability/checks as sh.agent1: each call loads the customer, their governing assessment, the product and
/// the agent's certificates, evaluates the rules and writes one decision with its audit entry. Customers are the first page
/// of the agent's branch, products the whole catalogue, in rotation.
/// </summary>
public sealed class SuitabilityCheckScenario : Scenario
{
    public override string Name => "suitability-check";

    public override string Description => "`POST /api/v1/suitability/checks` as `sh.agent1`: recommend product *i* mod the catalogue to customer *i* mod the first 50 of SH01 "
        + "(demo: 1,000 customers, 400 assessed, 19 products); each call reads the facts, evaluates the rule set and writes the decision with its audit entry.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/suitability/checks"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var token = await context.TokenAsync("sh.agent1", cancellationToken);
        var customers = await IdsAsync(context, "api/v1/customers", token, "items", cancellationToken);
        var products = await IdsAsync(context, "api/v1/products", token, null, cancellationToken);
        if (customers.Count == 0 || products.Count == 0)
        {
            result.Fail($"no customers ({customers.Count}) or products ({products.Count}) to check");
            return;
        }

        var steps = await context.RunStepsAsync(result, "steward", context.HttpOperation((worker, iteration) =>
        {
            var n = (int)((iteration * 7 + worker) % (customers.Count * products.Count));
            var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/suitability/checks")
            {
                Content = JsonContent.Create(new { customerId = customers[n % customers.Count], productId = products[n / customers.Count % products.Count], action = "Recommend" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }), cancellationToken);
        Targets.P95(result, steps.Where(s => s.Concurrency == 4), 20);
        result.Figures.Add(("customers × products in rotation", string.Create(CultureInfo.InvariantCulture, $"{customers.Count} × {products.Count}")));
        result.Notes.Add("Issue 12's goal is p95 ≤ 20 ms at 4 workers with 1 M customers and 2,000 products; this run uses the demo data (1,000 customers), so it measures the per-check cost, not the effect of a large table.");
    }

    private static async Task<List<long>> IdsAsync(BenchContext context, string url, string token, string? property, CancellationToken ct)
    {
        using var response = await context.Http.SendAsync(BenchContext.Get(url, token), ct);
        response.EnsureSuccessStatusCode();
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement;
        var items = property is null ? json : json.GetProperty(property);
        if (items.ValueKind == JsonValueKind.Object && items.TryGetProperty("items", out var inner))
        {
            items = inner;
        }

        return [.. items.EnumerateArray().Select(e => e.GetProperty("id").GetInt64())];
    }
}
