using Microsoft.EntityFrameworkCore;
using Steward.Features.Qualifications;
using Steward.Platform.Database;

namespace Steward.Features.Products;

/// <summary>
/// The demo catalogue: every category and every risk level, the codes the demo history uses (FND-MIX, CRD-PLAT, …) kept.
/// Some products are rated higher by the bank than by the issuer (the higher applies), one is suspended and one withdrawn.
/// </summary>
public static class ProductDemoData
{
    private sealed record Row(
        string Code, string Name, string NameEn, ProductCategory Category, ProductRiskLevel Issuer, ProductRiskLevel Distributor,
        decimal? ReturnMin, decimal? ReturnMax, int Liquidity, int? Term, decimal? Minimum, bool Recorded, string? Qualification,
        ProductStatus Status = ProductStatus.OnSale, string? Reason = null);

    private static readonly Row[] Rows =
    [
        new("DEP-CUR", "活期储蓄", "Current savings", ProductCategory.Deposit, ProductRiskLevel.R1, ProductRiskLevel.R1, 0.10m, 0.10m, 0, null, null, false, null),
        new("DEP-3Y", "三年期定期存款", "3-year time deposit", ProductCategory.Deposit, ProductRiskLevel.R1, ProductRiskLevel.R1, 1.75m, 1.75m, 1095, 1095, 50m, false, null),
        new("SD-GOLD", "黄金挂钩结构性存款", "Gold-linked structured deposit", ProductCategory.StructuredDeposit, ProductRiskLevel.R1, ProductRiskLevel.R2, 1.30m, 2.80m, 91, 91, 10_000m, true, "BANKING-WM"),
        new("WM-CASH", "天天利现金管理", "Daily cash management", ProductCategory.WealthManagement, ProductRiskLevel.R1, ProductRiskLevel.R1, 1.85m, 1.85m, 1, null, 1m, false, "BANKING-WM"),
        new("WM-180", "稳健 180 天理财", "Steady 180-day wealth plan", ProductCategory.WealthManagement, ProductRiskLevel.R2, ProductRiskLevel.R2, 2.40m, 2.90m, 180, 180, 10_000m, true, "BANKING-WM"),
        new("WM-EQ", "权益增强一年期理财", "Equity-enhanced 1-year wealth plan", ProductCategory.WealthManagement, ProductRiskLevel.R3, ProductRiskLevel.R4, 3.00m, 6.50m, 365, 365, 10_000m, true, "BANKING-WM"),
        new("WM-2025", "2025 年封闭式理财", "2025 closed-end wealth plan", ProductCategory.WealthManagement, ProductRiskLevel.R2, ProductRiskLevel.R2, 2.70m, 3.10m, 365, 365, 10_000m, true, "BANKING-WM",
            ProductStatus.Withdrawn, "产品已到期清算。"),
        new("FND-BOND", "纯债债券基金", "Pure bond fund", ProductCategory.Fund, ProductRiskLevel.R2, ProductRiskLevel.R2, 2.50m, 3.20m, 3, null, 10m, false, "FUND"),
        new("FND-MIX", "平衡混合基金", "Balanced hybrid fund", ProductCategory.Fund, ProductRiskLevel.R3, ProductRiskLevel.R3, 3.00m, 8.00m, 3, null, 10m, false, "FUND"),
        new("FND-EQ", "沪深 300 指数基金", "CSI 300 index fund", ProductCategory.Fund, ProductRiskLevel.R4, ProductRiskLevel.R4, -10.00m, 15.00m, 2, null, 10m, true, "FUND"),
        new("FND-QDII", "全球科技 QDII 基金", "Global technology QDII fund", ProductCategory.Fund, ProductRiskLevel.R4, ProductRiskLevel.R5, -20.00m, 25.00m, 7, null, 1_000m, true, "FUND",
            ProductStatus.Suspended, "QDII 额度已用完，暂停申购。"),
        new("BND-GOV", "三年期储蓄国债", "3-year savings treasury bond", ProductCategory.Bond, ProductRiskLevel.R1, ProductRiskLevel.R1, 2.38m, 2.38m, 1095, 1095, 100m, false, null),
        new("BND-CORP", "高收益企业债", "High-yield corporate bond", ProductCategory.Bond, ProductRiskLevel.R3, ProductRiskLevel.R3, 4.50m, 5.20m, 1, 730, 100_000m, true, "SECURITIES"),
        new("INS-HEALTH", "百万医疗险", "Medical insurance", ProductCategory.Insurance, ProductRiskLevel.R1, ProductRiskLevel.R1, null, null, 0, 365, 300m, false, "INSURANCE-1"),
        new("INS-LIFE", "终身寿险", "Whole life insurance", ProductCategory.Insurance, ProductRiskLevel.R2, ProductRiskLevel.R2, 2.00m, 2.50m, 3650, null, 5_000m, true, "INSURANCE-2"),
        new("INS-ULINK", "投资连结保险", "Unit-linked insurance", ProductCategory.Insurance, ProductRiskLevel.R4, ProductRiskLevel.R4, -5.00m, 9.00m, 365, null, 10_000m, true, "INSURANCE-3"),
        new("LN-MORT", "个人住房贷款", "Home mortgage", ProductCategory.Loan, ProductRiskLevel.R1, ProductRiskLevel.R1, null, null, 0, 9125, null, false, null),
        new("CRD-PLAT", "白金信用卡", "Platinum credit card", ProductCategory.BankCard, ProductRiskLevel.R1, ProductRiskLevel.R1, null, null, 0, null, null, false, null),
        new("PAY-MOBILE", "手机银行转账", "Mobile banking transfers", ProductCategory.Payment, ProductRiskLevel.R1, ProductRiskLevel.R1, null, null, 0, null, null, false, null),
    ];

    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var types = await db.Set<QualificationType>().AsNoTracking().ToDictionaryAsync(t => t.Code, t => t.Id, ct);
        foreach (var r in Rows)
        {
            var product = new Product
            {
                Code = r.Code, Name = r.Name, NameEn = r.NameEn, Category = r.Category, IssuerRiskLevel = r.Issuer, DistributorRiskLevel = r.Distributor,
                RiskLevel = ProductRisk.Effective(r.Issuer, r.Distributor), ExpectedReturnMinPercent = r.ReturnMin, ExpectedReturnMaxPercent = r.ReturnMax,
                LiquidityDays = r.Liquidity, TermDays = r.Term, MinimumAmount = r.Minimum, RecordedSalesRequired = r.Recorded,
                RequiredQualificationTypeId = r.Qualification is { } q ? types.GetValueOrDefault(q) : null, Status = r.Status, StatusReason = r.Reason, StatusChangedAt = r.Reason is null ? null : now,
            };
            if (r.Category is ProductCategory.Fund or ProductCategory.WealthManagement or ProductCategory.Insurance or ProductCategory.StructuredDeposit)
            {
                var lower = r.Code.ToLowerInvariant();
                product.Documents.Add(new ProductDocument
                {
                    Kind = ProductDocumentKind.Terms, Title = "产品说明书", TitleEn = "Product terms", Url = $"https://www.steward-bank.example/products/{lower}/terms.pdf", CreatedAt = now,
                });
                product.Documents.Add(new ProductDocument
                {
                    Kind = ProductDocumentKind.RiskDisclosure, Title = "风险揭示书", TitleEn = "Risk disclosure", Url = $"https://www.steward-bank.example/products/{lower}/risk.pdf", CreatedAt = now,
                });
            }

            db.Add(product);
        }
    }
}
