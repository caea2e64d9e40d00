using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Customers;

/// <summary>Customer tiers (003 §3 客户分层), lowest first.</summary>
public enum CustomerTier
{
    Standard,
    Silver,
    Gold,
    Platinum,
    Private,
}

/// <summary>Risk tolerance from the customer's assessment: C1 (conservative) to C5 (aggressive).</summary>
public enum RiskTolerance
{
    Unassessed,
    C1,
    C2,
    C3,
    C4,
    C5,
}

/// <summary>
/// A customer file (001 §2.3 建档). Identity number, phone and e-mail are personal data: stored
/// encrypted (<c>*_cipher</c>) with a keyed blind index (<c>*_index</c>) for exact look-ups.
/// </summary>
public sealed class Customer : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    /// <summary>Human reference, e.g. <c>C-000123</c>.</summary>
    public string Reference { get; set; } = "";

    public string Name { get; set; } = "";

    [AuditRedacted]
    public string? IdNumberCipher { get; set; }

    public string? IdNumberIndex { get; set; }

    [AuditRedacted]
    public string? PhoneCipher { get; set; }

    public string? PhoneIndex { get; set; }

    [AuditRedacted]
    public string? EmailCipher { get; set; }

    public string? EmailIndex { get; set; }

    public CustomerTier Tier { get; set; }

    public RiskTolerance RiskTolerance { get; set; }

    public bool IsVulnerable { get; set; }

    public long HomeBranchId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => HomeBranchId;
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.HasIndex(c => c.PhoneIndex);
        builder.HasIndex(c => c.IdNumberIndex);
        builder.HasIndex(c => c.HomeBranchId);
        builder.Property(c => c.Reference).HasMaxLength(20);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.IdNumberCipher).HasMaxLength(200);
        builder.Property(c => c.PhoneCipher).HasMaxLength(200);
        builder.Property(c => c.EmailCipher).HasMaxLength(400);
        builder.Property(c => c.IdNumberIndex).HasMaxLength(64);
        builder.Property(c => c.PhoneIndex).HasMaxLength(64);
        builder.Property(c => c.EmailIndex).HasMaxLength(64);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.HomeBranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
