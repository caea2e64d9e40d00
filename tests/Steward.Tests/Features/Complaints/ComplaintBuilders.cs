using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Sla;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Intent methods for the complaint tests: a branch under a regime, a product, an intake body.</summary>
internal static class ComplaintBuilders
{
    /// <summary>A branch whose regulatory preset is <paramref name="regimeCode"/> (e.g. <see cref="SlaPresets.PrcCode"/>).</summary>
    public static async Task<Branch> CreateBranchUnderAsync(this StewardApp app, string regimeCode, string zone = "Asia/Shanghai")
    {
        var branch = await app.CreateBranchAsync(zone: zone);
        await app.WithDbAsync(async db =>
        {
            var standardId = await db.Set<SlaStandard>().Where(s => s.Code == regimeCode).Select(s => s.Id).SingleAsync();
            await db.Set<Branch>().Where(b => b.Id == branch.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.RegulatoryStandardId, standardId));
        });
        return branch;
    }

    public static Task<Product> CreateProductAsync(this StewardApp app, string name = "稳健理财 1 号", string nameEn = "Steady wealth No. 1") => app.WithDbAsync(async db =>
    {
        var product = new Product
        {
            Code = app.Unique("WM"), Name = name, NameEn = nameEn, Category = ProductCategory.Fund,
            IssuerRiskLevel = ProductRiskLevel.R2, DistributorRiskLevel = ProductRiskLevel.R2, RiskLevel = ProductRiskLevel.R2,
        };
        db.Add(product);
        await db.SaveChangesAsync();
        return product;
    });

    /// <summary>A valid intake body for <paramref name="caseId"/> (the customer complains about a fee); <paramref name="change"/> adjusts it.</summary>
    public static Dictionary<string, object?> Intake(long caseId, Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["caseId"] = caseId,
            ["complainantKind"] = "Customer",
            ["whatHappened"] = "理财产品赎回时被收取了未告知的手续费。",
            ["whatTheyWant"] = "退还手续费并道歉。",
            ["amountInDispute"] = 1234.50m,
            ["nature"] = "product",
            ["jrtChannel"] = "A01",
            ["jrtBusiness"] = "B99",
            ["jrtCause"] = "C05",
        };
        change?.Invoke(body);
        return body;
    }
}
