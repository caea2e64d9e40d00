using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Quality;

/// <summary>What a scorecard reviews. Case handling today; the others are for the later slices of issue 16.</summary>
public enum QaSubjectKind
{
    CaseHandling,
    CounterVisit,
    ComplaintHandling,
    Sales,
    BranchEnvironment,
}

/// <summary>The answers of an item: yes/no (0–1), or 1–3, 1–4, 1–5 points.</summary>
public enum QaScale
{
    YesNo,
    ThreePoint,
    FourPoint,
    FivePoint,
}

public enum QaReviewStatus
{
    /// <summary>Made; the reviewed staff member may accept or dispute it until the window closes.</summary>
    Open,

    /// <summary>The staff member accepted it.</summary>
    Accepted,

    /// <summary>The staff member disputed it; waiting for their team lead or another inspector.</summary>
    Disputed,

    /// <summary>The dispute was resolved: the score stands.</summary>
    Upheld,

    /// <summary>The dispute was resolved with a changed score (<see cref="QualityReview.FinalScore"/>).</summary>
    Changed,
}

/// <summary>
/// One version of a scorecard. Versions are never changed: publishing the same code adds the next number, the highest is in
/// force, and a review names the version (its id) it was made with, so a later version never alters an earlier review.
/// </summary>
public sealed class QualityScorecard : IAuditable
{
    public long Id { get; set; }

    public string Code { get; set; } = "";

    public int Number { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public QaSubjectKind SubjectKind { get; set; }

    /// <summary>Sections and items (<see cref="ScorecardContent"/>) as JSON.</summary>
    public string ContentJson { get; set; } = "";

    public DateTimeOffset PublishedAt { get; set; }

    public long? PublishedById { get; set; }
}

/// <summary>
/// An inspector's review of one case against one scorecard version: the answers (JSON, item id → value or N/A and a comment),
/// the score computed when it was made (<see cref="QualityScoring"/>), and what the reviewed staff member did with it — accepted,
/// or disputed with a suggested score and a comment, and how the dispute was resolved.
/// </summary>
public sealed class QualityReview : IAuditable
{
    public long Id { get; set; }

    public long ScorecardId { get; set; }

    public QaSubjectKind SubjectKind { get; set; }

    public long CaseId { get; set; }

    /// <summary>The staff member reviewed: the case's assignee, else the last staff member who acted on it.</summary>
    public long StaffId { get; set; }

    public long BranchId { get; set; }

    /// <summary>The reviewed staff member's team when the review was made (their lead resolves a dispute).</summary>
    public long? TeamId { get; set; }

    public long InspectorId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string AnswersJson { get; set; } = "";

    public string? Comment { get; set; }

    /// <summary>0–100, two decimals.</summary>
    public decimal Score { get; set; }

    public bool CriticalFailed { get; set; }

    public QaReviewStatus Status { get; set; }

    public DateTimeOffset DisputeUntil { get; set; }

    public DateTimeOffset? RespondedAt { get; set; }

    public decimal? SuggestedScore { get; set; }

    public string? DisputeComment { get; set; }

    public long? ResolvedById { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public string? ResolutionComment { get; set; }

    /// <summary>The score that counts: <see cref="Score"/> unless a dispute changed it.</summary>
    public decimal FinalScore { get; set; }
}

internal sealed class QualityScorecardConfiguration : IEntityTypeConfiguration<QualityScorecard>
{
    public void Configure(EntityTypeBuilder<QualityScorecard> builder)
    {
        builder.ToTable("qa_scorecards");
        builder.HasIndex(s => new { s.Code, s.Number }).IsUnique();
        builder.Property(s => s.Code).HasMaxLength(40);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.NameEn).HasMaxLength(200);
        builder.Property(s => s.ContentJson).HasMaxLength(100000);
    }
}

internal sealed class QualityReviewConfiguration : IEntityTypeConfiguration<QualityReview>
{
    public void Configure(EntityTypeBuilder<QualityReview> builder)
    {
        builder.ToTable("qa_reviews");
        builder.HasIndex(r => r.CaseId);
        builder.HasIndex(r => new { r.StaffId, r.CreatedAt });
        builder.HasIndex(r => new { r.TeamId, r.Status });
        builder.Property(r => r.AnswersJson).HasMaxLength(100000);
        builder.Property(r => r.Comment).HasMaxLength(2000);
        builder.Property(r => r.Status).IsConcurrencyToken();
        builder.Property(r => r.DisputeComment).HasMaxLength(2000);
        builder.Property(r => r.ResolutionComment).HasMaxLength(2000);
        builder.Property(r => r.Score).HasPrecision(5, 2);
        builder.Property(r => r.SuggestedScore).HasPrecision(5, 2);
        builder.Property(r => r.FinalScore).HasPrecision(5, 2);
        builder.HasOne<QualityScorecard>().WithMany().HasForeignKey(r => r.ScorecardId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Branch>().WithMany().HasForeignKey(r => r.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(r => r.InspectorId).OnDelete(DeleteBehavior.Restrict);
    }
}
