using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Steward.Bench.Scenarios;

/// <summary>POST /api/v1/holdings/imports as admin: one CSV file over the demo customers and products, rows per second.</summary>
public sealed class HoldingsImportScenario : Scenario
{
    private static readonly string[] Products =
        ["DEP-CUR", "DEP-3Y", "SD-GOLD", "WM-CASH", "WM-180", "WM-EQ", "FND-BOND", "FND-MIX", "FND-EQ", "BND-GOV", "BND-CORP", "INS-HEALTH", "INS-LIFE", "INS-ULINK", "CRD-PLAT"];

    public override string Name => "holdings-import";

    public override string Description => "`POST /api/v1/holdings/imports` as `admin`: one CSV file (quick 2,000 rows, full 15,000: every demo customer C-000001…C-001000 × 15 products), "
        + "every row checked, accepted rows written with their audit entries in one transaction; rows per second.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/holdings/imports"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var rows = context.Options.Quick ? 2_000 : 15_000;
        var token = await context.TokenAsync("admin", cancellationToken);
        // A run-specific cent amount makes each run's file new content (the same content would be answered as already imported).
        var cents = (int)(DateTime.UtcNow.Ticks % 100);
        var asOf = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("customer_reference,product_code,balance,currency,as_of\n");
        for (var i = 0; i < rows; i++)
        {
            var customer = i % 1000 + 1;
            csv.Append(CultureInfo.InvariantCulture, $"C-{customer:000000},{Products[i / 1000 % Products.Length]},{1000 + i}.{cents:00},CNY,{asOf}\n");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/holdings/imports?fileName=bench.csv") { Content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var watch = Stopwatch.StartNew();
        using var response = await context.Http.SendAsync(request, cancellationToken);
        watch.Stop();
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            result.Fail($"import answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
            return;
        }

        var import = JsonDocument.Parse(body).RootElement.GetProperty("import");
        var accepted = import.GetProperty("rowsAccepted").GetInt32();
        result.Figures.Add(("rows in the file", rows.ToString(CultureInfo.InvariantCulture)));
        result.Figures.Add(("rows accepted / refused", $"{accepted} / {import.GetProperty("rowsRejected").GetInt32()}"));
        result.Figures.Add(("import time", $"{watch.Elapsed.TotalSeconds:0.00} s"));
        result.Figures.Add(("rows per second", (rows / watch.Elapsed.TotalSeconds).ToString("0", CultureInfo.InvariantCulture)));
        result.Notes.Add("Issue 12's goal is 100,000 rows at ≥ 5,000 rows/s on PostgreSQL; the demo has 1,000 customers, so a file here is at most 15,000 distinct customer-product pairs.");
    }
}
