using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Tiering;

/// <summary>One tier's minimums in a request or a response; null = not required.</summary>
public sealed record TierThresholdDto(decimal? MinAum, int? MinProducts, int? MinTenureMonths);

/// <summary>The rule set: its version, the grace days before a downgrade, and the minimums of each tier above Standard.</summary>
public sealed record TierRulesDto(int Version, int GraceDays, TierThresholdDto Silver, TierThresholdDto Gold, TierThresholdDto Platinum, TierThresholdDto Private);

/// <summary>A change of the rules; <see cref="Version"/> = the version read (or the If-Match header), stale → 409.</summary>
public sealed record TierRulesRequest(int? Version, int? GraceDays, TierThresholdDto? Silver, TierThresholdDto? Gold, TierThresholdDto? Platinum, TierThresholdDto? Private);

/// <summary>What a tier decision is made on: assets under management (CNY), products held, whole months since the file was opened.</summary>
public readonly record struct TierFigures(decimal Aum, int ProductsHeld, int TenureMonths);

public sealed record TierRulesInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>
/// The tier rules: reading and changing the rule set (administrators), and the pure decision of the tier a customer's figures
/// meet. A customer meets a tier when they reach every minimum it sets; their tier is the highest they meet (Standard needs nothing).
/// </summary>
public sealed class TierRules(StewardDbContext db)
{
    public const decimal MaxAum = 10_000_000_000_000m;
    public const int MaxGraceDays = 730;

    /// <summary>The tiers above Standard, lowest first, with their field names in requests.</summary>
    public static readonly (CustomerTier Tier, string Field)[] Tiers =
        [(CustomerTier.Silver, "silver"), (CustomerTier.Gold, "gold"), (CustomerTier.Platinum, "platinum"), (CustomerTier.Private, "private")];

    public async Task<CustomerTierRuleSet> RuleSetAsync(CancellationToken ct = default) =>
        await db.Set<CustomerTierRuleSet>().AsNoTracking().Include(r => r.Thresholds).OrderBy(r => r.Id).FirstAsync(ct);

    public async Task<TierRulesDto> GetAsync(CancellationToken ct = default) => ToDto(await RuleSetAsync(ct));

    public async Task<Outcome<TierRulesDto>> SaveAsync(TierRulesRequest r, CancellationToken ct = default)
    {
        var errors = Check(r);
        if (errors.Count > 0)
        {
            return new TierRulesInvalid(errors);
        }

        var set = await db.Set<CustomerTierRuleSet>().Include(s => s.Thresholds).OrderBy(s => s.Id).FirstAsync(ct);
        if (set.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        set.GraceDays = r.GraceDays!.Value;
        foreach (var (tier, _) in Tiers)
        {
            var wanted = Of(r, tier)!;
            var row = set.Thresholds.SingleOrDefault(t => t.Tier == tier);
            if (row is null)
            {
                row = new CustomerTierThreshold { Tier = tier };
                set.Thresholds.Add(row);
            }

            (row.MinAum, row.MinProducts, row.MinTenureMonths) = (wanted.MinAum!.Value, wanted.MinProducts, wanted.MinTenureMonths);
        }

        // The rule set's version counts every change of its thresholds too: mark it changed whatever changed.
        db.Entry(set).Property(s => s.UpdatedAt).IsModified = true;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.StaleVersion();
        }

        return ToDto(set);
    }

    /// <summary>
    /// The field errors of a change (empty when valid): grace days 0–730; every tier's minimum assets given, 0 or more, and
    /// higher than the tier below's; products and tenure 0 or more and never less than the tier below asks (an absent minimum
    /// counts as 0). Each message names its field, e.g. <c>gold.minAum</c>.
    /// </summary>
    public static Dictionary<string, string[]> Check(TierRulesRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors.TryAdd(field, [message]);
        if (r.Version is null)
        {
            Add("version", "Give the version you read. 请提供读取时的版本号。");
        }

        if (r.GraceDays is not (>= 0 and <= MaxGraceDays))
        {
            Add("graceDays", "Give the grace period in days, 0 to 730. 请填写宽限期天数（0 至 730）。");
        }

        TierThresholdDto? below = null;
        var belowName = "";
        foreach (var (tier, field) in Tiers)
        {
            var t = Of(r, tier);
            if (t is null)
            {
                Add(field + ".minAum", "Give the minimum assets under management. 请填写最低资产规模。");
                continue;
            }

            if (t.MinAum is not { } aum || aum < 0 || aum > MaxAum || decimal.Round(aum, 2) != aum)
            {
                Add(field + ".minAum", "Give the minimum assets under management in CNY, 0 or more, two decimals at most. 请填写最低资产规模（人民币，不小于 0，至多两位小数）。");
            }
            else if (below?.MinAum is { } lower && aum <= lower)
            {
                Add(field + ".minAum", Inv($"A higher tier needs more assets than {belowName}: more than {lower:N0}. 高等级所需资产须高于{ZhName(belowName)}（{lower:N0}）。"));
            }

            if (t.MinProducts is < 0 or > 100)
            {
                Add(field + ".minProducts", "Give the products held as a whole number, 0 to 100, or leave it empty. 持有产品数须为 0 至 100 的整数或留空。");
            }
            else if ((t.MinProducts ?? 0) < (below?.MinProducts ?? 0))
            {
                Add(field + ".minProducts", Inv($"A higher tier never needs fewer products than {belowName} ({below!.MinProducts}). 高等级所需产品数不能少于{ZhName(belowName)}（{below.MinProducts}）。"));
            }

            if (t.MinTenureMonths is < 0 or > 1200)
            {
                Add(field + ".minTenureMonths", "Give the tenure in months, 0 to 1200, or leave it empty. 开户时长须为 0 至 1200 个月或留空。");
            }
            else if ((t.MinTenureMonths ?? 0) < (below?.MinTenureMonths ?? 0))
            {
                Add(field + ".minTenureMonths", Inv($"A higher tier never needs a shorter tenure than {belowName} ({below!.MinTenureMonths} months). 高等级所需开户时长不能短于{ZhName(belowName)}（{below.MinTenureMonths} 个月）。"));
            }

            below = t;
            belowName = tier.ToString();
        }

        return errors;
    }

    /// <summary>The highest tier whose every minimum <paramref name="f"/> reaches; Standard when none.</summary>
    public static CustomerTier TierFor(TierFigures f, IEnumerable<CustomerTierThreshold> thresholds) =>
        thresholds.Where(t => Meets(f, t)).Select(t => t.Tier).DefaultIfEmpty(CustomerTier.Standard).Max();

    public static bool Meets(TierFigures f, CustomerTierThreshold t) =>
        f.Aum >= t.MinAum && f.ProductsHeld >= (t.MinProducts ?? 0) && f.TenureMonths >= (t.MinTenureMonths ?? 0);

    /// <summary>Whole months from <paramref name="opened"/> to <paramref name="today"/> (the 31st to the 30th of the next month is 0).</summary>
    public static int TenureMonths(DateOnly opened, DateOnly today)
    {
        var months = (today.Year - opened.Year) * 12 + today.Month - opened.Month - (today.Day < opened.Day ? 1 : 0);
        return Math.Max(0, months);
    }

    public static TierRulesDto ToDto(CustomerTierRuleSet set)
    {
        TierThresholdDto Of(CustomerTier tier) => set.Thresholds.SingleOrDefault(t => t.Tier == tier) is { } t
            ? new TierThresholdDto(t.MinAum, t.MinProducts, t.MinTenureMonths)
            : new TierThresholdDto(null, null, null);
        return new TierRulesDto(set.Version, set.GraceDays, Of(CustomerTier.Silver), Of(CustomerTier.Gold), Of(CustomerTier.Platinum), Of(CustomerTier.Private));
    }

    private static TierThresholdDto? Of(TierRulesRequest r, CustomerTier tier) => tier switch
    {
        CustomerTier.Silver => r.Silver,
        CustomerTier.Gold => r.Gold,
        CustomerTier.Platinum => r.Platinum,
        CustomerTier.Private => r.Private,
        CustomerTier.Standard => null,
    };

    private static string ZhName(string tier) => tier switch
    {
        nameof(CustomerTier.Silver) => "银卡",
        nameof(CustomerTier.Gold) => "金卡",
        nameof(CustomerTier.Platinum) => "白金",
        _ => tier,
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
