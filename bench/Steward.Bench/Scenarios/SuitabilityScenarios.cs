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

/// <summary>
/// GET /api/v1/customers?q=&lt;phone&gt; as sh.agent1: the exact-phone look-up through the blind index, among the generated
/// customers (datagen: 1 M in a full run) and the demo's. The scenario first opens one customer with a known phone through the
/// API, then searches for it, in the forms a person types (plain, with +86 and dashes).
/// </summary>
public sealed class CustomerPhoneSearchScenario : Scenario
{
    public override string Name => "customer-phone-search";

    public override string Description => "`GET /api/v1/customers?q=<phone>` as `sh.agent1`: exact phone look-up through the blind index (HMAC of the normalised number), "
        + "with the datagen customers in the table (full run: 1,000,000); the phone is typed as `139…`, `+86 139-…` in turn.";

    public override IReadOnlyList<string> RequiredOperations => ["GET /api/v1/customers"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var token = await context.TokenAsync("sh.agent1", cancellationToken);
        var digits = Random.Shared.NextInt64(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var phone = "139" + digits;
        using (var create = new HttpRequestMessage(HttpMethod.Post, "api/v1/customers")
        {
            Content = JsonContent.Create(new
            {
                kind = "Individual", name = "基准测试客户", birthDate = "1985-07-15", idType = "Passport", idNumber = "E" + digits, idIssuingCountry = "CN",
                phone, address = "上海市浦东新区世纪大道 100 号", occupation = "工程师", incomeBand = "From300KTo1M", declaredAssets = 600000m, sourceOfFunds = "工资收入",
                kycRiskRating = "Low", disability = false, limitedCapacity = false, otherVulnerability = false,
            }),
        })
        {
            create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var created = await context.Http.SendAsync(create, cancellationToken);
            if (!created.IsSuccessStatusCode)
            {
                result.Fail($"creating the customer answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(cancellationToken)}");
                return;
            }
        }

        string[] typed = [phone, "+86 139-" + digits[..4] + "-" + digits[4..]];
        var steps = await context.RunStepsAsync(result, "steward", context.HttpOperation((_, iteration) =>
            BenchContext.Get("api/v1/customers?q=" + Uri.EscapeDataString(typed[iteration % typed.Length]), token)), cancellationToken);
        Targets.P95(result, steps, 10);
        result.Notes.Add("Issue 12's goal is p95 ≤ 10 ms at 1 M customers; a query with a digit is matched by number and blind index only, never by a scan of names.");
    }
}
