using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Platform.Database;

namespace Steward.Features.Tiering;

/// <summary>
/// The tier rules in force: one row (id 1), its <see cref="Version"/> being the rule set version every tier change records,
/// the grace period before a downgrade, and one <see cref="CustomerTierThreshold"/> per tier above Standard.
/// </summary>
public sealed class CustomerTierRuleSet : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    /// <summary>Days a customer stays in a tier they no longer qualify for before the downgrade (0–730).</summary>
    public int GraceDays { get; set; }

    public List<CustomerTierThreshold> Thresholds { get; set; } = [];

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// What a customer needs for one tier: all of assets under management (CNY), products held and tenure; a null minimum is not
/// required. A higher tier never needs less than a lower one (<see cref="TierRules.Check"/>).
/// </summary>
public sealed class CustomerTierThreshold : IAuditable
{
    public long Id { get; set; }

    public long RuleSetId { get; set; }

    public CustomerTier Tier { get; set; }

    public decimal MinAum { get; set; }

    public int? MinProducts { get; set; }

    public int? MinTenureMonths { get; set; }
}

/// <summary>Why a tier changed; the reader's text is <c>tiering.reason.{Reason}</c>.</summary>
public enum TierChangeReason
{
    /// <summary>The customer meets a higher tier's thresholds: upgraded on the pass that saw it.</summary>
    Qualified,

    /// <summary>The customer has been below their tier for the whole grace period: downgraded to the tier they meet.</summary>
    GraceExpired,
}

/// <summary>
/// One tier change of one customer, with the figures it was decided on (assets under management, products held, tenure in
/// months), the minimum assets of the tier that decided it (the new tier on an upgrade, the old one on a downgrade), the rule
/// set version and, for a downgrade, since when the customer was below. Written with the customer row, never changed.
/// </summary>
public sealed class CustomerTierChange
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public CustomerTier FromTier { get; set; }

    public CustomerTier ToTier { get; set; }

    public TierChangeReason Reason { get; set; }

    public decimal Aum { get; set; }

    public int ProductsHeld { get; set; }

    public int TenureMonths { get; set; }

    public decimal ThresholdAum { get; set; }

    public int RuleSetVersion { get; set; }

    public DateTimeOffset? BelowSince { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>Where a customer stands in the tiering: since when they have been below their tier (null: they meet it).</summary>
public sealed class CustomerTierStanding : IVersioned, IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public DateTimeOffset? BelowSince { get; set; }

    /// <summary>The pass that last changed the standing (a customer who never fell below their tier has no row).</summary>
    public DateTimeOffset ReviewedAt { get; set; }

    public int Version { get; set; }
}

internal sealed class CustomerTierRuleSetConfiguration : IEntityTypeConfiguration<CustomerTierRuleSet>
{
    public void Configure(EntityTypeBuilder<CustomerTierRuleSet> builder)
    {
        builder.ToTable("customer_tier_rule_sets");
        builder.HasMany(r => r.Thresholds).WithOne().HasForeignKey(t => t.RuleSetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerTierThresholdConfiguration : IEntityTypeConfiguration<CustomerTierThreshold>
{
    public void Configure(EntityTypeBuilder<CustomerTierThreshold> builder)
    {
        builder.ToTable("customer_tier_thresholds");
        builder.HasIndex(t => new { t.RuleSetId, t.Tier }).IsUnique();
        builder.Property(t => t.MinAum).HasPrecision(18, 2);
    }
}

internal sealed class CustomerTierChangeConfiguration : IEntityTypeConfiguration<CustomerTierChange>
{
    public void Configure(EntityTypeBuilder<CustomerTierChange> builder)
    {
        builder.ToTable("customer_tier_changes");
        builder.HasIndex(c => new { c.CustomerId, c.ChangedAt });
        builder.Property(c => c.Aum).HasPrecision(18, 2);
        builder.Property(c => c.ThresholdAum).HasPrecision(18, 2);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerTierStandingConfiguration : IEntityTypeConfiguration<CustomerTierStanding>
{
    public void Configure(EntityTypeBuilder<CustomerTierStanding> builder)
    {
        builder.ToTable("customer_tier_standings");
        builder.HasIndex(s => s.CustomerId).IsUnique();
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
