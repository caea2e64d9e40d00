using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

public enum PriorityRuleType
{
    /// <summary>Cases of <see cref="PriorityRule.Kind"/> get at least <see cref="PriorityRule.Priority"/>.</summary>
    KindMinimum,

    /// <summary>Customers of <see cref="PriorityRule.Tier"/> raise the priority by <see cref="PriorityRule.Steps"/>.</summary>
    TierRaise,

    /// <summary>Subject or description containing <see cref="PriorityRule.Keyword"/> (case-insensitive) get at least <see cref="PriorityRule.Priority"/>.</summary>
    KeywordMinimum,
}

/// <summary>
/// One priority rule, kept in the database so that an administrator can change them
/// (<c>PUT /api/v1/cases/priority-rules</c>). See <see cref="PriorityRules"/> for the order they apply in.
/// </summary>
public sealed class PriorityRule : IVersioned, IAuditable
{
    public long Id { get; set; }

    public PriorityRuleType Type { get; set; }

    public CaseKind? Kind { get; set; }

    public CustomerTier? Tier { get; set; }

    public string? Keyword { get; set; }

    public CasePriority? Priority { get; set; }

    public int Steps { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }
}

internal sealed class PriorityRuleConfiguration : IEntityTypeConfiguration<PriorityRule>
{
    public void Configure(EntityTypeBuilder<PriorityRule> builder)
    {
        builder.ToTable("case_priority_rules");
        builder.Property(r => r.Keyword).HasMaxLength(100);
    }
}
