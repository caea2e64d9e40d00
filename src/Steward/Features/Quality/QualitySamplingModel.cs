using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Quality;

/// <summary>How often a sampling plan draws: each period is a local day, a Monday-to-Sunday week or a calendar month.</summary>
public enum QaCycle
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>Why a case is in a sample.</summary>
public enum QaSampleReason
{
    /// <summary>A targeted rule of the plan picked it (<see cref="QualitySampleItem.Rule"/> names the rule).</summary>
    Targeted,

    /// <summary>Drawn to give its staff member the plan's guaranteed minimum for the period.</summary>
    StaffMinimum,

    /// <summary>Drawn at random from the rest of the pool (the plan's percentage).</summary>
    Random,

    /// <summary>A later case of a staff member with a rectification, drawn to verify it.</summary>
    Recheck,
}

public enum QaSampleItemStatus
{
    /// <summary>Waiting for an inspector's review.</summary>
    Pending,

    /// <summary>Reviewed (the case's review).</summary>
    Reviewed,

    /// <summary>Taken out of the sample by an inspector, with a reason.</summary>
    Removed,
}

public enum QaRectificationStatus
{
    /// <summary>Opened; waiting for the staff member's evidence (or, after a failed re-check, for a passing one).</summary>
    Open,

    /// <summary>Evidence given; waiting for a passing re-check review.</summary>
    EvidenceSubmitted,

    /// <summary>Evidence given and a re-check review passed: closed.</summary>
    Closed,

    /// <summary>A dispute's resolution raised the score to a pass: nothing to rectify.</summary>
    Withdrawn,
}

public enum QaRectificationReason
{
    CriticalFail,
    BelowThreshold,
}

/// <summary>
/// A sampling plan: which cases an inspector reviews each period. Every targeted rule's cases, then each staff member's
/// guaranteed minimum, then <see cref="RandomPercent"/> of the rest, drawn with a recorded seed (<see cref="QualitySampling"/>).
/// </summary>
public sealed class QualitySamplingPlan : IAuditable, ITimestamped
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public QaCycle Cycle { get; set; }

    /// <summary>0–100, two decimals: the share of the pool left after the targeted and minimum items that is drawn.</summary>
    public decimal RandomPercent { get; set; }

    /// <summary>Cases guaranteed for each staff member with cases in the pool (all of theirs if they have fewer).</summary>
    public int MinimumPerStaff { get; set; }

    /// <summary>For a staff-based rule (new staff, complaint or detractor): how many of a flagged staff member's cases are drawn.</summary>
    public int TargetedPerStaff { get; set; }

    /// <summary>The targeted rules' codes (<see cref="QaSamplingRules"/>), comma-separated.</summary>
    public string Rules { get; set; } = "";

    /// <summary>The branches whose cases are sampled, comma-separated ids; empty: every branch.</summary>
    public string BranchIds { get; set; } = "";

    /// <summary>A review of this plan's items below this score (0–100) opens a rectification.</summary>
    public decimal PassThreshold { get; set; }

    /// <summary>The IANA zone whose midnights bound the periods.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public bool IsActive { get; set; } = true;

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<string> RuleList => Rules.Length == 0 ? [] : Rules.Split(',');

    public IReadOnlyList<long> BranchList => BranchIds.Length == 0 ? [] : [.. BranchIds.Split(',').Select(long.Parse)];
}

/// <summary>One draw of a plan for one period: the seed it used (the same seed over the same pool draws the same cases) and what it found.</summary>
public sealed class QualitySampleDraw : IAuditable
{
    public long Id { get; set; }

    public long PlanId { get; set; }

    public DateTimeOffset PeriodStart { get; set; }

    public DateTimeOffset PeriodEnd { get; set; }

    public long Seed { get; set; }

    public DateTimeOffset DrawnAt { get; set; }

    /// <summary>The inspector who drew on demand; null when the periodic job drew at the period's end.</summary>
    public long? DrawnById { get; set; }

    public int PoolSize { get; set; }

    public int ItemCount { get; set; }
}

/// <summary>A case in a sample (of a draw, or a re-check of a rectification); a case is in at most one sample ever.</summary>
public sealed class QualitySampleItem : IAuditable
{
    public long Id { get; set; }

    public long? DrawId { get; set; }

    public long? RectificationId { get; set; }

    public long CaseId { get; set; }

    public long StaffId { get; set; }

    public QaSampleReason Reason { get; set; }

    /// <summary>The targeted rule's code when <see cref="Reason"/> is Targeted.</summary>
    public string? Rule { get; set; }

    public QaSampleItemStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long? ReviewId { get; set; }

    public string? RemovedReason { get; set; }

    public long? RemovedById { get; set; }

    public DateTimeOffset? RemovedAt { get; set; }
}

/// <summary>
/// 整改: what a failed review asks the staff member to put right (the failed items), by when, with their evidence; closed only
/// when the evidence is given and a re-check review of a later case of theirs passes.
/// </summary>
public sealed class QualityRectification : IAuditable
{
    public long Id { get; set; }

    public long ReviewId { get; set; }

    public long CaseId { get; set; }

    public long StaffId { get; set; }

    public long? TeamId { get; set; }

    public long BranchId { get; set; }

    public QaRectificationReason Reason { get; set; }

    /// <summary>The ids of the scorecard items that failed (below 50 %), comma-separated.</summary>
    public string FailedItems { get; set; } = "";

    public decimal Score { get; set; }

    public decimal Threshold { get; set; }

    public QaRectificationStatus Status { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>The same item failed for the same staff member within 90 days: training is needed.</summary>
    public bool TrainingNeeded { get; set; }

    public string? Evidence { get; set; }

    public DateTimeOffset? EvidenceAt { get; set; }

    public long? RecheckReviewId { get; set; }

    public int FailedRechecks { get; set; }

    public long? ClosedById { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public IReadOnlyList<string> FailedItemList => FailedItems.Length == 0 ? [] : FailedItems.Split(',');
}

internal sealed class QualitySamplingPlanConfiguration : IEntityTypeConfiguration<QualitySamplingPlan>
{
    public void Configure(EntityTypeBuilder<QualitySamplingPlan> builder)
    {
        builder.ToTable("qa_sampling_plans");
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.Rules).HasMaxLength(400);
        builder.Property(p => p.BranchIds).HasMaxLength(2000);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.RandomPercent).HasPrecision(5, 2);
        builder.Property(p => p.PassThreshold).HasPrecision(5, 2);
        builder.Ignore(p => p.RuleList);
        builder.Ignore(p => p.BranchList);
    }
}

internal sealed class QualitySampleDrawConfiguration : IEntityTypeConfiguration<QualitySampleDraw>
{
    public void Configure(EntityTypeBuilder<QualitySampleDraw> builder)
    {
        builder.ToTable("qa_sample_draws");
        builder.HasIndex(d => new { d.PlanId, d.PeriodStart }).IsUnique();
        builder.HasOne<QualitySamplingPlan>().WithMany().HasForeignKey(d => d.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QualitySampleItemConfiguration : IEntityTypeConfiguration<QualitySampleItem>
{
    public void Configure(EntityTypeBuilder<QualitySampleItem> builder)
    {
        builder.ToTable("qa_sample_items");
        builder.HasIndex(i => i.CaseId).IsUnique();
        builder.HasIndex(i => i.DrawId);
        builder.HasIndex(i => new { i.Status, i.StaffId });
        builder.HasIndex(i => i.RectificationId);
        builder.Property(i => i.Rule).HasMaxLength(40);
        builder.Property(i => i.RemovedReason).HasMaxLength(2000);
        builder.Property(i => i.Status).IsConcurrencyToken();
        builder.HasOne<QualitySampleDraw>().WithMany().HasForeignKey(i => i.DrawId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QualityRectification>().WithMany().HasForeignKey(i => i.RectificationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(i => i.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(i => i.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QualityRectificationConfiguration : IEntityTypeConfiguration<QualityRectification>
{
    public void Configure(EntityTypeBuilder<QualityRectification> builder)
    {
        builder.ToTable("qa_rectifications");
        builder.HasIndex(r => r.ReviewId).IsUnique();
        builder.HasIndex(r => new { r.StaffId, r.OpenedAt });
        builder.HasIndex(r => new { r.TeamId, r.Status });
        builder.Property(r => r.FailedItems).HasMaxLength(2000);
        builder.Property(r => r.Evidence).HasMaxLength(4000);
        builder.Property(r => r.Score).HasPrecision(5, 2);
        builder.Property(r => r.Threshold).HasPrecision(5, 2);
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.Ignore(r => r.FailedItemList);
        builder.HasOne<QualityReview>().WithMany().HasForeignKey(r => r.ReviewId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
