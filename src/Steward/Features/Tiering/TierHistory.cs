using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Tiering;

public sealed record TierChangeDto(CustomerTier From, CustomerTier To, TierChangeReason Reason, decimal Aum, int ProductsHeld, int TenureMonths,
    decimal ThresholdAum, int RuleSetVersion, DateTimeOffset? BelowSince, DateTimeOffset ChangedAt);

/// <summary>A customer's tier history, newest first, and since when they are below their tier (null: they meet it).</summary>
public sealed record TierHistoryDto(long CustomerId, CustomerTier Tier, DateTimeOffset? BelowSince, DateTimeOffset? DowngradeFrom, IReadOnlyList<TierChangeDto> Changes);

/// <summary>Reads a customer's tier history for whoever may read the customer file (branch scope through <see cref="CustomerFileService"/>).</summary>
public sealed class TierHistory(StewardDbContext db, CustomerFileService customers)
{
    public async Task<Outcome<TierHistoryDto>> ForAsync(long customerId, CancellationToken ct = default)
    {
        var file = await customers.GetAsync(customerId, ct);
        if (!file.Succeeded)
        {
            return file.Error;
        }

        var changes = await db.Set<CustomerTierChange>().AsNoTracking().Where(c => c.CustomerId == customerId).ToListAsync(ct);
        var belowSince = await db.Set<CustomerTierStanding>().AsNoTracking().Where(s => s.CustomerId == customerId).Select(s => s.BelowSince).SingleOrDefaultAsync(ct);
        var grace = await db.Set<CustomerTierRuleSet>().AsNoTracking().OrderBy(r => r.Id).Select(r => r.GraceDays).FirstAsync(ct);
        return new TierHistoryDto(customerId, file.Value.Tier, belowSince, belowSince?.AddDays(grace),
            [.. changes.OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id)
                .Select(c => new TierChangeDto(c.FromTier, c.ToTier, c.Reason, c.Aum, c.ProductsHeld, c.TenureMonths, c.ThresholdAum, c.RuleSetVersion, c.BelowSince, c.ChangedAt))]);
    }
}
