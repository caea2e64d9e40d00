using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>The priority rules as data: read them, or replace the whole set (StandardsManage). <see cref="PriorityRules"/> applies them.</summary>
public sealed class CasePriorityRules(StewardDbContext db, CurrentUser user)
{
    public async Task<IReadOnlyList<PriorityRuleDto>> PriorityRulesAsync(CancellationToken ct = default) =>
        await db.Set<PriorityRule>().AsNoTracking().OrderBy(r => r.Id)
            .Select(r => new PriorityRuleDto(r.Type, r.Kind, r.Tier, r.Keyword, r.Priority, r.Steps, r.IsActive)).ToListAsync(ct);

    /// <summary>Replaces the whole rule set (StandardsManage); applies to cases created or reclassified from now on.</summary>
    public async Task<Outcome<IReadOnlyList<PriorityRuleDto>>> ReplacePriorityRulesAsync(IReadOnlyList<PriorityRuleDto> rules, CancellationToken ct = default)
    {
        if (!user.Can(Permission.StandardsManage))
        {
            return new CaseActionForbidden();
        }

        var errors = new List<string>();
        foreach (var (rule, i) in (rules ?? []).Select((r, i) => (r, i)))
        {
            var ok = rule.Type switch
            {
                PriorityRuleType.KindMinimum => rule.Kind is not null && rule.Priority is not null,
                PriorityRuleType.TierRaise => rule.Tier is not null && rule.Steps is >= 1 and <= 3,
                PriorityRuleType.KeywordMinimum => !string.IsNullOrWhiteSpace(rule.Keyword) && rule.Keyword.Trim().Length <= 100 && rule.Priority is not null,
            };
            if (!ok)
            {
                errors.Add($"rule {i.ToString(CultureInfo.InvariantCulture)}: KindMinimum needs kind and priority, TierRaise tier and steps 1–3, KeywordMinimum keyword and priority. 规则不完整。");
            }
        }

        if (errors.Count > 0)
        {
            return new InvalidPriorityRules(errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.RemoveRange(await db.Set<PriorityRule>().ToListAsync(ct));
        db.AddRange(rules!.Select(r => new PriorityRule
        {
            Type = r.Type,
            Kind = r.Type == PriorityRuleType.KindMinimum ? r.Kind : null,
            Tier = r.Type == PriorityRuleType.TierRaise ? r.Tier : null,
            Keyword = r.Type == PriorityRuleType.KeywordMinimum ? r.Keyword!.Trim() : null,
            Priority = r.Type == PriorityRuleType.TierRaise ? null : r.Priority,
            Steps = r.Type == PriorityRuleType.TierRaise ? r.Steps : 0,
            IsActive = r.IsActive,
        }));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Outcome<IReadOnlyList<PriorityRuleDto>>(await PriorityRulesAsync(ct), null);
    }
}
