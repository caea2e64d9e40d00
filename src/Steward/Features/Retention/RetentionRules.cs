using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Retention;

public sealed record RetentionRuleDto(long Id, RecordClass RecordClass, RetentionTrigger TriggerEvent, int PeriodMonths, int MinimumMonths,
    string LegalBasis, string LegalBasisEn, RetentionDisposition Disposition, int Version, DateTimeOffset UpdatedAt);

/// <summary>A change of a rule's period: the version read, and the new period in months.</summary>
public sealed record RetentionRuleChange(int? PeriodMonths, int? Version);

/// <summary>The retention rules (seeded by migration 0044): compliance reads them and changes a period, never below the legal minimum.</summary>
public sealed class RetentionRules(StewardDbContext db)
{
    /// <summary>100 years: anything longer is a typing mistake.</summary>
    public const int MaxMonths = 1200;

    public async Task<IReadOnlyList<RetentionRuleDto>> ListAsync(CancellationToken ct = default) =>
        [.. (await db.Set<RetentionRule>().AsNoTracking().ToListAsync(ct)).OrderBy(r => r.RecordClass).Select(ToDto)];

    public async Task<RetentionRule?> ForAsync(RecordClass recordClass, CancellationToken ct = default) =>
        await db.Set<RetentionRule>().AsNoTracking().SingleOrDefaultAsync(r => r.RecordClass == recordClass, ct);

    /// <summary>Sets the period (audited); refused below the rule's legal minimum, above <see cref="MaxMonths"/>, or on a stale version.</summary>
    public async Task<Outcome<RetentionRuleDto>> ChangePeriodAsync(long id, RetentionRuleChange change, CancellationToken ct = default)
    {
        if (change.PeriodMonths is not { } months)
        {
            return Problems.Invalid("periodMonths", "Give the period in months. 请填写保存期限（月）。");
        }

        if (change.Version is not { } version)
        {
            return Problems.Invalid("version", "Send the version you read. 请提交读取时的版本号。");
        }

        var rule = await db.Set<RetentionRule>().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (rule is null)
        {
            return new RetentionRuleNotFound();
        }

        if (months < rule.MinimumMonths)
        {
            return new RetentionBelowLegalMinimum(rule.MinimumMonths);
        }

        if (months > MaxMonths)
        {
            return Problems.Invalid("periodMonths", "At most 1200 months (100 years). 最多 1200 个月（100 年）。");
        }

        if (rule.Version != version)
        {
            return Problems.StaleVersion();
        }

        rule.PeriodMonths = months;
        await db.SaveChangesAsync(ct);
        return ToDto(rule);
    }

    internal static RetentionRuleDto ToDto(RetentionRule r) =>
        new(r.Id, r.RecordClass, r.TriggerEvent, r.PeriodMonths, r.MinimumMonths, r.LegalBasis, r.LegalBasisEn, r.Disposition, r.Version, r.UpdatedAt);
}
