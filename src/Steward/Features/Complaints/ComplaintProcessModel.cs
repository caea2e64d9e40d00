using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>What the complainant said to the final decision (seed 003 §5.2 反馈确认).</summary>
public enum CustomerResponse
{
    /// <summary>They accept the decision: the complaint may be archived.</summary>
    Accepted,

    /// <summary>They dispute it within the review window: the decision is reopened for review.</summary>
    Disputed,
}

/// <summary>What a task of a complaint is for.</summary>
public enum ComplaintTaskKind
{
    /// <summary>Back-office investigation: find the facts (transaction records, recordings, the seller's file).</summary>
    Investigation,

    /// <summary>The legal review the initial assessment asked for (legal impact).</summary>
    Legal,
}

public enum ComplaintTaskStatus
{
    Open,
    Done,
}

/// <summary>
/// A task of a complaint's investigation: an owner (never one of the people who must recuse themselves), a due date and,
/// when done, its result. The outcome waits until every task is done.
/// </summary>
public sealed class ComplaintTask : IVersioned, IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public ComplaintTaskKind Kind { get; set; }

    public string Title { get; set; } = "";

    public long OwnerId { get; set; }

    /// <summary>The last day, in the branch's calendar.</summary>
    public DateOnly DueOn { get; set; }

    public ComplaintTaskStatus Status { get; set; }

    /// <summary>What was found (required to finish the task).</summary>
    public string? Result { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public long? DoneById { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>
/// A decision reopened for review because the complainant disputed it within the window (CBIRC 2020 No. 3: 投诉人对处理决定
/// 有异议的，可以自收到处理决定之日起 30 日内申请核查): what the decision was, and why it was disputed.
/// </summary>
public sealed class ComplaintReview : IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public ComplaintOutcome PreviousOutcome { get; set; }

    public string? PreviousRootCause { get; set; }

    public DateTimeOffset PreviousOutcomeAt { get; set; }

    public string Reason { get; set; } = "";

    public long? OpenedById { get; set; }

    public DateTimeOffset OpenedAt { get; set; }
}

internal sealed class ComplaintTaskConfiguration : IEntityTypeConfiguration<ComplaintTask>
{
    public void Configure(EntityTypeBuilder<ComplaintTask> builder)
    {
        builder.ToTable("complaint_tasks");
        builder.HasIndex(t => t.ComplaintId);
        builder.HasIndex(t => new { t.OwnerId, t.Status });
        builder.Property(t => t.Title).HasMaxLength(300);
        builder.Property(t => t.Result).HasMaxLength(2000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(t => t.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Staff>().WithMany().HasForeignKey(t => t.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ComplaintReviewConfiguration : IEntityTypeConfiguration<ComplaintReview>
{
    public void Configure(EntityTypeBuilder<ComplaintReview> builder)
    {
        builder.ToTable("complaint_reviews");
        builder.HasIndex(r => r.ComplaintId);
        builder.Property(r => r.PreviousRootCause).HasMaxLength(2000);
        builder.Property(r => r.Reason).HasMaxLength(2000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(r => r.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}
