using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Quality;

public enum QaCalibrationStatus
{
    /// <summary>The invited inspectors are scoring; they see only their own scores of a case they have not scored.</summary>
    Open,

    /// <summary>Every score is in and the agreement is final (kept on the batch with the drift alert, if any).</summary>
    Closed,
}

/// <summary>
/// A calibration batch (decision 0049): several inspectors score the same cases against one scorecard version so that their
/// agreement can be measured. Its scores never count toward staff results: they are kept in their own table
/// (<see cref="QualityCalibrationReview"/>), which no review list, rectification or performance figure reads.
/// </summary>
public sealed class QualityCalibration : IAuditable
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The scorecard version every inspector of the batch scores with.</summary>
    public long ScorecardId { get; set; }

    /// <summary>The cases scored, comma-separated ids, in the order given.</summary>
    public string CaseIds { get; set; } = "";

    /// <summary>The inspectors invited (at least two), comma-separated staff ids.</summary>
    public string InspectorIds { get; set; } = "";

    public QaCalibrationStatus Status { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long? ClosedById { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The overall kappa when closed (pooled over every case × item), four decimals.</summary>
    public decimal? Kappa { get; set; }

    /// <summary>The drift threshold in force when the batch was closed (<see cref="QualityOptions.CalibrationKappaThreshold"/>).</summary>
    public decimal? KappaThreshold { get; set; }

    /// <summary>Whether the overall kappa or any item's fell below the threshold when closed (the inspectors and compliance were told).</summary>
    public bool Drift { get; set; }

    public IReadOnlyList<long> CaseList => CaseIds.Length == 0 ? [] : [.. CaseIds.Split(',').Select(long.Parse)];

    public IReadOnlyList<long> InspectorList => InspectorIds.Length == 0 ? [] : [.. InspectorIds.Split(',').Select(long.Parse)];
}

/// <summary>One invited inspector's scoring of one case of a batch: answers and score as a review's (same checks, same formula), counting nowhere.</summary>
public sealed class QualityCalibrationReview : IAuditable
{
    public long Id { get; set; }

    public long CalibrationId { get; set; }

    public long CaseId { get; set; }

    public long InspectorId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string AnswersJson { get; set; } = "";

    public string? Comment { get; set; }

    public decimal Score { get; set; }

    public bool CriticalFailed { get; set; }
}

internal sealed class QualityCalibrationConfiguration : IEntityTypeConfiguration<QualityCalibration>
{
    public void Configure(EntityTypeBuilder<QualityCalibration> builder)
    {
        builder.ToTable("qa_calibrations");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.CaseIds).HasMaxLength(4000);
        builder.Property(c => c.InspectorIds).HasMaxLength(2000);
        builder.Property(c => c.Status).IsConcurrencyToken();
        builder.Property(c => c.Kappa).HasPrecision(6, 4);
        builder.Property(c => c.KappaThreshold).HasPrecision(6, 4);
        builder.Ignore(c => c.CaseList);
        builder.Ignore(c => c.InspectorList);
        builder.HasOne<QualityScorecard>().WithMany().HasForeignKey(c => c.ScorecardId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QualityCalibrationReviewConfiguration : IEntityTypeConfiguration<QualityCalibrationReview>
{
    public void Configure(EntityTypeBuilder<QualityCalibrationReview> builder)
    {
        builder.ToTable("qa_calibration_reviews");
        builder.HasIndex(r => new { r.CalibrationId, r.CaseId, r.InspectorId }).IsUnique();
        builder.Property(r => r.AnswersJson).HasMaxLength(100000);
        builder.Property(r => r.Comment).HasMaxLength(2000);
        builder.Property(r => r.Score).HasPrecision(5, 2);
        builder.HasOne<QualityCalibration>().WithMany().HasForeignKey(r => r.CalibrationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(r => r.InspectorId).OnDelete(DeleteBehavior.Restrict);
    }
}
