using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;

namespace Steward.Features.Tiering;

/// <summary>
/// The demo's tiers, after its holdings: every customer placed in the tier their holdings meet under the default rules (as the
/// first recompute would, without recording each as a change), then a little history: one customer upgraded from Silver to
/// Gold six days ago, and one who was upgraded to Gold 200 days ago and has been below Gold for 30 days (in the grace period,
/// downgraded in 60 days unless their assets recover).
/// </summary>
public static class TieringDemoData
{
    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var rules = await db.Set<CustomerTierRuleSet>().AsNoTracking().Include(r => r.Thresholds).OrderBy(r => r.Id).FirstAsync(ct);
        var customers = await db.Set<Customer>().OrderBy(c => c.Id).ToListAsync(ct);
        var figures = await TierRecompute.FiguresAsync(db, [.. customers.Select(c => (c.Id, c.CreatedAt))], now, ct);
        foreach (var c in customers)
        {
            c.Tier = TierRules.TierFor(figures[c.Id], rules.Thresholds);
        }

        decimal Threshold(CustomerTier tier) => rules.Thresholds.Single(t => t.Tier == tier).MinAum;
        if (customers.FirstOrDefault(c => c.Tier == CustomerTier.Gold) is { } upgraded)
        {
            var f = figures[upgraded.Id];
            db.Add(new CustomerTierChange
            {
                CustomerId = upgraded.Id, FromTier = CustomerTier.Silver, ToTier = CustomerTier.Gold, Reason = TierChangeReason.Qualified, Aum = f.Aum, ProductsHeld = f.ProductsHeld,
                TenureMonths = f.TenureMonths, ThresholdAum = Threshold(CustomerTier.Gold), RuleSetVersion = rules.Version, ChangedAt = now.AddDays(-6),
            });
        }

        if (customers.FirstOrDefault(c => c.Tier == CustomerTier.Silver) is { } below)
        {
            below.Tier = CustomerTier.Gold;
            db.Add(new CustomerTierChange
            {
                CustomerId = below.Id, FromTier = CustomerTier.Silver, ToTier = CustomerTier.Gold, Reason = TierChangeReason.Qualified, Aum = 520_000m, ProductsHeld = 2,
                TenureMonths = 0, ThresholdAum = Threshold(CustomerTier.Gold), RuleSetVersion = rules.Version, ChangedAt = now.AddDays(-200),
            });
            db.Add(new CustomerTierStanding { CustomerId = below.Id, BelowSince = now.AddDays(-30), ReviewedAt = now });
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}
