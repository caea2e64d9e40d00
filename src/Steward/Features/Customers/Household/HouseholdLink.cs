using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Customers.Household;

/// <summary>Who the related customer is to the customer the link was recorded on.</summary>
public enum HouseholdRelation
{
    Spouse,
    Child,
    Parent,
    Dependant,
    Guardian,
    Other,
}

/// <summary>
/// A household link between two customers (spouse, child, dependant …), kept for service — knowing whom to call, whose
/// matters belong together — and never read by the suitability check, which judges each customer on their own file.
/// One row per pair; <see cref="Relation"/> is what <see cref="RelatedCustomerId"/> is to <see cref="CustomerId"/>.
/// </summary>
public sealed class HouseholdLink : IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long RelatedCustomerId { get; set; }

    public HouseholdRelation Relation { get; set; }

    public string? Note { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The relation seen from the other customer: a child's parent, a dependant's guardian.</summary>
    public static HouseholdRelation Inverse(HouseholdRelation relation) => relation switch
    {
        HouseholdRelation.Child => HouseholdRelation.Parent,
        HouseholdRelation.Parent => HouseholdRelation.Child,
        HouseholdRelation.Dependant => HouseholdRelation.Guardian,
        HouseholdRelation.Guardian => HouseholdRelation.Dependant,
        _ => relation,
    };
}

internal sealed class HouseholdLinkConfiguration : IEntityTypeConfiguration<HouseholdLink>
{
    public void Configure(EntityTypeBuilder<HouseholdLink> builder)
    {
        builder.ToTable("household_links");
        builder.HasIndex(l => new { l.CustomerId, l.RelatedCustomerId }).IsUnique();
        builder.HasIndex(l => l.RelatedCustomerId);
        builder.Property(l => l.Note).HasMaxLength(200);
        builder.HasOne<Customer>().WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Customer>().WithMany().HasForeignKey(l => l.RelatedCustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}
