using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Database;

namespace Steward.Features.Holdings;

/// <summary>
/// The demo's first holdings import: a file from the "core banking system" for the first <see cref="Customers"/> seeded
/// customers, two to four products each (deposits for everyone, funds, wealth plans and insurance for some), as of
/// yesterday. Written directly (the seeder has no signed-in importer), recorded as an import with the file's hash, so
/// importing the same file again would be recognised.
/// </summary>
public static class HoldingDemoData
{
    public const int Customers = 120;

    private static readonly string[] Everyone = ["DEP-CUR", "DEP-3Y", "WM-CASH"];

    private static readonly string[] Some = ["FND-BOND", "FND-MIX", "FND-EQ", "WM-180", "WM-EQ", "SD-GOLD", "INS-LIFE", "INS-ULINK", "BND-GOV", "CRD-PLAT"];

    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var customers = await db.Set<Customer>().AsNoTracking().OrderBy(c => c.Id).Take(Customers).Select(c => new { c.Id, c.Reference }).ToListAsync(ct);
        var products = await db.Set<Product>().AsNoTracking().ToDictionaryAsync(p => p.Code, p => p.Id, StringComparer.Ordinal, ct);
        if (customers.Count == 0 || !Everyone.Concat(Some).All(products.ContainsKey))
        {
            return;
        }

        var asOf = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        var rows = new List<(long Customer, string Reference, string Product, decimal Balance)>();
        foreach (var (c, i) in customers.Select((c, i) => (c, i)))
        {
            rows.Add((c.Id, c.Reference, Everyone[i % Everyone.Length], 1_000m + (i * 7_919 % 200_000)));
            rows.Add((c.Id, c.Reference, Some[i % Some.Length], 10_000m + (i * 104_729 % 900_000) + 0.5m));
            if (i % 2 == 0)
            {
                rows.Add((c.Id, c.Reference, Some[(i / 2 + 3) % Some.Length], 5_000m + (i * 3_571 % 50_000)));
            }
        }

        rows = [.. rows.DistinctBy(r => (r.Customer, r.Product))];
        var csv = new StringBuilder("customer_reference,product_code,balance,currency,as_of\n");
        foreach (var r in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{r.Reference},{r.Product},{r.Balance:0.00},CNY,{asOf:yyyy-MM-dd}\n");
        }

        var import = new HoldingImport
        {
            FileName = $"core-banking-{asOf:yyyyMMdd}.csv", Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(csv.ToString()))),
            Format = HoldingFileFormat.Csv, RowsRead = rows.Count, RowsAccepted = rows.Count, ImportedAt = now,
        };
        db.Add(import);
        foreach (var r in rows)
        {
            db.Add(new Holding { CustomerId = r.Customer, ProductId = products[r.Product], Balance = r.Balance, Currency = "CNY", AsOf = asOf, Import = import });
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
