using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Holdings;

/// <summary>
/// When a product's risk level is raised, each holder it leaves uncovered is told through the person who serves them:
/// their relationship manager, or — without one — the branch managers of their home branch get a notification naming the
/// product, the new level and the customer, linking to the customer's file (to inform the customer and reassess).
/// </summary>
public sealed class UncoveredHoldersNotice(StewardDbContext db, NotificationService notifications) : IProductRiskRaiseObserver
{
    public const string Kind = "product.riskRaised";

    public async Task RaisedAsync(Product product, ProductRiskLevel previous, IReadOnlyList<ProductHolder> uncovered, CancellationToken ct = default)
    {
        if (uncovered.Count == 0)
        {
            return;
        }

        var ids = uncovered.Select(h => h.CustomerId).ToList();
        var customers = await db.Set<Customer>().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Reference, c.RiskTolerance, c.RelationshipManagerId, c.HomeBranchId }).ToListAsync(ct);
        var branches = customers.Where(c => c.RelationshipManagerId is null).Select(c => c.HomeBranchId).Distinct().ToList();
        var managers = await db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && branches.Contains(s.HomeBranchId) && s.Roles.Any(r => r.Role == StaffRole.BranchManager))
            .Select(s => new { s.Id, s.HomeBranchId }).ToListAsync(ct);
        foreach (var c in customers.OrderBy(c => c.Reference, StringComparer.Ordinal))
        {
            var to = c.RelationshipManagerId is { } rm ? [rm] : managers.Where(m => m.HomeBranchId == c.HomeBranchId).Select(m => m.Id).ToList();
            var level = c.RiskTolerance == RiskTolerance.Unassessed ? "未测评" : c.RiskTolerance.ToString();
            var levelEn = c.RiskTolerance == RiskTolerance.Unassessed ? "not assessed" : c.RiskTolerance.ToString();
            notifications.Raise(to, Kind,
                $"产品「{product.Name}」风险等级由 {previous} 上调为 {product.RiskLevel}，客户 {c.Reference}（{level}）已不再匹配：请告知客户，必要时重新测评。",
                $"\"{(string.IsNullOrEmpty(product.NameEn) ? product.Name : product.NameEn)}\" was raised from {previous} to {product.RiskLevel}; customer {c.Reference} ({levelEn}) is no longer covered: tell them, and reassess if needed.",
                FormattableString.Invariant($"/Customers/Details?id={c.Id}"));
        }
    }
}
