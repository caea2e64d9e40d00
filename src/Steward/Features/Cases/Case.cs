using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Cases;

/// <summary>
/// A service case. The customer is either an existing <see cref="Customer"/> or an anonymous
/// contact whose phone and e-mail are stored encrypted with a blind index (as on Customer).
/// </summary>
public sealed class Case : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    /// <summary><c>SV-yyyyMMdd-NNNNNN</c>; the date is the creation day in the branch's time zone.</summary>
    public string Reference { get; set; } = "";

    public CaseKind Kind { get; set; }

    public CaseChannel Channel { get; set; }

    public CaseStatus Status { get; set; }

    public CaseWaiting Waiting { get; set; }

    public string Subject { get; set; } = "";

    public string Description { get; set; } = "";

    public long? CustomerId { get; set; }

    public string? ContactName { get; set; }

    [AuditRedacted]
    public string? ContactPhoneCipher { get; set; }

    public string? ContactPhoneIndex { get; set; }

    [AuditRedacted]
    public string? ContactEmailCipher { get; set; }

    public string? ContactEmailIndex { get; set; }

    public long BranchId { get; set; }

    public long? ProductId { get; set; }

    public CasePriority Priority { get; set; }

    /// <summary>True once someone set the priority by hand; rules no longer change it.</summary>
    public bool PriorityOverridden { get; set; }

    public long? TeamId { get; set; }

    public long? AssigneeId { get; set; }

    /// <summary>Comma-separated, trimmed, distinct; tags never contain a comma.</summary>
    public string Tags { get; set; } = "";

    /// <summary>Deadline of the next target; filled by the SLA feature. Lists sort by it, nulls last.
    /// Bookkeeping: a change of it alone (a reply meeting the first response) does not make others' edits stale.</summary>
    [NotVersioned]
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public CaseCancelReason? CancelReason { get; set; }

    /// <summary>Set when this case was merged into another as its duplicate.</summary>
    public long? MergedIntoId { get; set; }

    public long? CreatedById { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;

    public IReadOnlyList<string> TagList => Tags.Length == 0 ? [] : Tags.Split(',');
}

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("cases");
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.HasIndex(c => new { c.BranchId, c.Status });
        builder.HasIndex(c => new { c.TeamId, c.Status });
        builder.HasIndex(c => c.AssigneeId);
        builder.HasIndex(c => c.DueAt);
        builder.HasIndex(c => c.CustomerId);
        builder.Property(c => c.Reference).HasMaxLength(24);
        builder.Property(c => c.Subject).HasMaxLength(200);
        builder.Property(c => c.Description).HasMaxLength(20000);
        builder.Property(c => c.ContactName).HasMaxLength(100);
        builder.Property(c => c.ContactPhoneCipher).HasMaxLength(200);
        builder.Property(c => c.ContactEmailCipher).HasMaxLength(400);
        builder.Property(c => c.ContactPhoneIndex).HasMaxLength(64);
        builder.Property(c => c.ContactEmailIndex).HasMaxLength(64);
        builder.Property(c => c.Tags).HasMaxLength(1000);
        builder.Ignore(c => c.TagList);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Team>().WithMany().HasForeignKey(c => c.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.AssigneeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(c => c.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.MergedIntoId).OnDelete(DeleteBehavior.Restrict);
    }
}
