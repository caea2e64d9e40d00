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

    /// <summary>Issue 12 states the goal for a file of 100,000 rows.</summary>
    private const int StatedRows = 100_000;

    public override string Description => "`POST /api/v1/holdings/imports` as `admin`: one CSV file of distinct customer × product rows, every row checked, accepted rows written "
        + "with their audit entries in one transaction; rows per second. Quick: 2,000 rows over the demo customers. Full: 100,000 rows over the `datagen` customers "
        + "(6,667 of them × 15 products) when `datagen` has loaded them on PostgreSQL, else 15,000 (every demo customer C-000001…C-001000 × 15 products).";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/holdings/imports"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var references = context.Options.Quick || context.Postgres is null ? [] : await GeneratedReferencesAsync(context.Postgres, cancellationToken);
        var rows = context.Options.Quick ? 2_000 : references.Count > 0 ? StatedRows : 15_000;
        var token = await context.TokenAsync("admin", cancellationToken);
        // A run-specific cent amount makes each run's file new content (the same content would be answered as already imported).
        var cents = (int)(DateTime.UtcNow.Ticks % 100);
        var asOf = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var csv = new StringBuilder("customer_reference,product_code,balance,currency,as_of\n");
        for (var i = 0; i < rows; i++)
        {
            if (references.Count > 0)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{references[i % references.Count]},{Products[i / references.Count % Products.Length]},{1000 + i}.{cents:00},CNY,{asOf}\n");
            }
            else
            {
                csv.Append(CultureInfo.InvariantCulture, $"C-{i % 1000 + 1:000000},{Products[i / 1000 % Products.Length]},{1000 + i}.{cents:00},CNY,{asOf}\n");
            }
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
        result.Figures.Add(("customers in the file", references.Count > 0 ? $"{references.Count:N0} generated (datagen)" : "the demo's"));
        result.Notes.Add("Issue 12's goal is 100,000 rows at ≥ 5,000 rows/s on PostgreSQL: a full run with `datagen` imports a file of that size.");
    }

    /// <summary>References of the first generated customers (datagen's <c>B-</c> references), enough for <see cref="StatedRows"/> rows over the 15 products.</summary>
    private static async Task<List<string>> GeneratedReferencesAsync(Npgsql.NpgsqlDataSource db, CancellationToken ct)
    {
        var wanted = (int)Math.Ceiling(StatedRows / (double)Products.Length);
        var references = new List<string>(wanted);
        await using var command = db.CreateCommand(FormattableString.Invariant($"SELECT reference FROM customers WHERE reference LIKE 'B-%' ORDER BY id LIMIT {wanted}"));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            references.Add(reader.GetString(0));
        }

        return references.Count == wanted ? references : [];
    }
}
