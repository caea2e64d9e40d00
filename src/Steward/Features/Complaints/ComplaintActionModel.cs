using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>Where a corrective action stands. Done and Cancelled close it: a closed action is not changed again.</summary>
public enum ComplaintActionStatus
{
    Open,
    InProgress,

    /// <summary>Finished, with evidence (a note, and optionally one of the case's attachments).</summary>
    Done,

    /// <summary>Not to be done, with the reason.</summary>
    Cancelled,
}

/// <summary>
/// A corrective action (整改措施) of an upheld or partly upheld complaint: what is to be fixed beyond the case itself
/// (溯源整改, CBIRC 2020 No. 3), by whom and by when, tracked to closure. <see cref="DueOn"/> is a local day of the case's
/// branch: the action is overdue once that day has ended there while it is still open.
/// </summary>
public sealed class ComplaintAction : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public string Title { get; set; } = "";

    public string? Description { get; set; }

    /// <summary>The staff member answerable for it: active, handling complaints and able to see the complaint's case.</summary>
    public long OwnerId { get; set; }

    public DateOnly DueOn { get; set; }

    public ComplaintActionStatus Status { get; set; }

    /// <summary>Why it was cancelled (required for <see cref="ComplaintActionStatus.Cancelled"/>).</summary>
    public string? CancelReason { get; set; }

    /// <summary>What shows it was done (required for <see cref="ComplaintActionStatus.Done"/>).</summary>
    public string? EvidenceNote { get; set; }

    /// <summary>One of the case's attachments offered as evidence (optional).</summary>
    public long? EvidenceAttachmentId { get; set; }

    /// <summary>When it was closed (Done or Cancelled), and by whom.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    public long? ClosedById { get; set; }

    public long? CreatedById { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public static bool IsOpen(ComplaintActionStatus status) => status is ComplaintActionStatus.Open or ComplaintActionStatus.InProgress;
}

/// <summary>
/// A root cause that came back: <see cref="ComplaintId"/> was upheld (or partly upheld) with the same JR/T 0169 cause code as
/// the upheld <see cref="EarlierComplaintId"/>, received within the recurrence window of it, on the same product or in the
/// same branch (<see cref="ComplaintOptions.RecurrenceWindowDays"/>). Written when the later outcome is recorded; both
/// complaints show it.
/// </summary>
public sealed class ComplaintRecurrence : IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public long EarlierComplaintId { get; set; }

    public string JrtCause { get; set; } = "";

    public bool SameProduct { get; set; }

    public bool SameBranch { get; set; }

    public DateTimeOffset DetectedAt { get; set; }
}

internal sealed class ComplaintActionConfiguration : IEntityTypeConfiguration<ComplaintAction>
{
    public void Configure(EntityTypeBuilder<ComplaintAction> builder)
    {
        builder.ToTable("complaint_actions");
        builder.HasIndex(a => a.ComplaintId);
        builder.HasIndex(a => new { a.Status, a.DueOn });
        builder.HasIndex(a => a.OwnerId);
        builder.Property(a => a.Title).HasMaxLength(200);
        builder.Property(a => a.Description).HasMaxLength(2000);
        builder.Property(a => a.CancelReason).HasMaxLength(1000);
        builder.Property(a => a.EvidenceNote).HasMaxLength(2000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(a => a.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Staff>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CaseAttachment>().WithMany().HasForeignKey(a => a.EvidenceAttachmentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ComplaintRecurrenceConfiguration : IEntityTypeConfiguration<ComplaintRecurrence>
{
    public void Configure(EntityTypeBuilder<ComplaintRecurrence> builder)
    {
        builder.ToTable("complaint_recurrences");
        builder.HasIndex(r => new { r.ComplaintId, r.EarlierComplaintId }).IsUnique();
        builder.HasIndex(r => r.EarlierComplaintId);
        builder.Property(r => r.JrtCause).HasMaxLength(20);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(r => r.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(r => r.EarlierComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
