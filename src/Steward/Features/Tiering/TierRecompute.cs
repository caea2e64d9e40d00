using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Holdings;
using Steward.Features.Products;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Tiering;

public sealed class TieringOptions
{
    public const string Section = "Customers:Tiering";

    /// <summary>How often the recompute runs (daily by default).</summary>
    [Range(1, 10080)]
    public int IntervalMinutes { get; set; } = 1440;

    [Range(10, 5000)]
    public int BatchSize { get; set; } = 200;
}

/// <summary>
/// Places every customer in the tier their figures meet under the rule set in force: an upgrade at once; a downgrade only once
/// the customer has been below their tier for the grace period (their standing records since when: the first pass that saw
/// them below), a pass that sees them meet their tier again clears it. Figures: assets under management = the CNY balances
/// of deposits, structured deposits, funds, wealth management, insurance and bonds (other currencies are not converted and
/// not counted; loans, cards and payment products are not assets); products held = holdings with a balance above 0 of any
/// category; tenure = whole months since the customer file was opened, in UTC dates.
/// Idempotent (a second pass on the same figures changes nothing) and once across nodes: each customer is one transaction
/// under the customer's version and the standing's unique customer id, so a second node's write is refused and skipped.
/// </summary>
public sealed class TierRecompute(StewardDbContext db, TimeProvider time, Microsoft.Extensions.Options.IOptions<TieringOptions> options, ILogger<TierRecompute> logger)
{
    public const string JobName = "customer-tiering";

    public static readonly ProductCategory[] AssetCategories =
    [
        ProductCategory.Deposit, ProductCategory.StructuredDeposit, ProductCategory.Fund, ProductCategory.WealthManagement, ProductCategory.Insurance, ProductCategory.Bond,
    ];

    /// <summary>One pass over all customers in batches; returns the number of tier changes this node made.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:customer-tiering"));
        var rules = await db.Set<CustomerTierRuleSet>().AsNoTracking().Include(r => r.Thresholds).OrderBy(r => r.Id).FirstAsync(ct);
        var now = time.GetUtcNow();
        var changes = 0;
        long after = 0;
        while (true)
        {
            var batch = await db.Set<Customer>().AsNoTracking().Where(c => c.Id > after).OrderBy(c => c.Id)
                .Select(c => new { c.Id, c.Tier, c.CreatedAt }).Take(options.Value.BatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return changes;
            }

            after = batch[^1].Id;
            var figures = await FiguresAsync(db, [.. batch.Select(c => (c.Id, c.CreatedAt))], now, ct);
            foreach (var c in batch)
            {
                if (await ApplyAsync(c.Id, figures[c.Id], rules, now, ct))
                {
                    changes++;
                }
            }
        }
    }

    /// <summary>The figures of each customer (id, file opened at) on <paramref name="now"/>, read from their holdings.</summary>
    public static async Task<Dictionary<long, TierFigures>> FiguresAsync(StewardDbContext db, IReadOnlyList<(long Id, DateTimeOffset OpenedAt)> customers, DateTimeOffset now, CancellationToken ct)
    {
        var ids = customers.Select(c => c.Id).ToList();
        var held = await (from h in db.Set<Holding>().AsNoTracking()
                          join p in db.Set<Product>().AsNoTracking() on h.ProductId equals p.Id
                          where ids.Contains(h.CustomerId) && h.Balance > 0
                          select new { h.CustomerId, h.Balance, h.Currency, p.Category }).ToListAsync(ct);
        var byCustomer = held.ToLookup(h => h.CustomerId);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return customers.ToDictionary(c => c.Id, c =>
        {
            var rows = byCustomer[c.Id].ToList();
            return new TierFigures(
                rows.Where(h => h.Currency == "CNY" && AssetCategories.Contains(h.Category)).Sum(h => h.Balance),
                rows.Count,
                TierRules.TenureMonths(DateOnly.FromDateTime(c.OpenedAt.UtcDateTime), today));
        });
    }

    /// <summary>Decides one customer; true when their tier changed.</summary>
    public async Task<bool> ApplyAsync(long customerId, TierFigures figures, CustomerTierRuleSet rules, DateTimeOffset now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var customer = await db.Set<Customer>().SingleAsync(c => c.Id == customerId, ct);
            var standing = await db.Set<CustomerTierStanding>().SingleOrDefaultAsync(s => s.CustomerId == customerId, ct);
            var meets = TierRules.TierFor(figures, rules.Thresholds);
            var from = customer.Tier;
            CustomerTierChange? change = null;
            DateTimeOffset? belowSince = standing?.BelowSince;
            if (meets > from)
            {
                change = Change(customer.Id, from, meets, TierChangeReason.Qualified, figures, ThresholdOf(rules, meets), rules.Version, null, now);
                belowSince = null;
            }
            else if (meets < from)
            {
                belowSince ??= now;
                if (now - belowSince.Value >= TimeSpan.FromDays(rules.GraceDays))
                {
                    change = Change(customer.Id, from, meets, TierChangeReason.GraceExpired, figures, ThresholdOf(rules, from), rules.Version, belowSince, now);
                    belowSince = null;
                }
            }
            else
            {
                belowSince = null;
            }

            if (change is null && standing?.BelowSince == belowSince)
            {
                // Nothing to record (a customer who meets their tier and never fell below has no standing row): the pass is idempotent.
                return false;
            }

            if (standing is null)
            {
                standing = new CustomerTierStanding { CustomerId = customer.Id };
                db.Add(standing);
            }

            standing.BelowSince = belowSince;
            standing.ReviewedAt = now;
            if (change is not null)
            {
                customer.Tier = change.ToTier;
                db.Add(change);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return change is not null;
        }
        catch (DbUpdateException e)
        {
            // Another node decided this customer first (stale version or its standing row), or someone saved the file meanwhile:
            // the next pass looks again.
            logger.LogInformation(e, "Tier of customer {Customer} not recomputed in this pass: changed concurrently", customerId);
            await transaction.RollbackAsync(ct);
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static decimal ThresholdOf(CustomerTierRuleSet rules, CustomerTier tier) =>
        rules.Thresholds.SingleOrDefault(t => t.Tier == tier)?.MinAum ?? 0;

    private static CustomerTierChange Change(long customerId, CustomerTier from, CustomerTier to, TierChangeReason reason, TierFigures f, decimal threshold, int version, DateTimeOffset? belowSince, DateTimeOffset now) =>
        new()
        {
            CustomerId = customerId, FromTier = from, ToTier = to, Reason = reason, Aum = f.Aum, ProductsHeld = f.ProductsHeld, TenureMonths = f.TenureMonths,
            ThresholdAum = threshold, RuleSetVersion = version, BelowSince = belowSince, ChangedAt = now,
        };
}
