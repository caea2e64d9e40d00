using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Retention;

/// <summary>The kinds of record Steward keeps for a while and then disposes of (issue 18, Purview's "retention labels").</summary>
public enum RecordClass
{
    CustomerFile,
    TransactionRecord,
    Case,
    Complaint,
    SuitabilityDecision,
    RecordingReference,
    QueueVisit,
    SurveyResponse,
    AuditEntry,
}

/// <summary>The business event that starts a record's retention period.</summary>
public enum RetentionTrigger
{
    /// <summary>The customer's business relationship with the institution ended (<c>customers.relationship_ended_on</c>).</summary>
    RelationshipClosed,

    /// <summary>The transaction was booked.</summary>
    Booked,

    /// <summary>The product the record is about matured or ended.</summary>
    ProductMatured,

    /// <summary>The complaint was closed (archived).</summary>
    ComplaintClosed,

    /// <summary>The case was closed.</summary>
    CaseClosed,

    /// <summary>The record was created.</summary>
    Created,
}

/// <summary>What disposition does to a record of a class once it is approved.</summary>
public enum RetentionDisposition
{
    /// <summary>The row stays (statistics survive) with its personal columns erased or masked as <see cref="DataClasses"/> declares.</summary>
    Anonymise,

    /// <summary>The row is deleted.</summary>
    Delete,

    /// <summary>Never disposed of by Steward (the audit chain: removing entries would break it).</summary>
    Keep,
}

/// <summary>
/// How long records of one class are kept, from which event, and why (the legal basis cited). Compliance may change the
/// period, never below <see cref="MinimumMonths"/> (the legal minimum, set by migration with the basis; not editable in Steward).
/// </summary>
public sealed class RetentionRule : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public RecordClass RecordClass { get; set; }

    public RetentionTrigger TriggerEvent { get; set; }

    public int PeriodMonths { get; set; }

    public int MinimumMonths { get; set; }

    public string LegalBasis { get; set; } = "";

    public string LegalBasisEn { get; set; } = "";

    public RetentionDisposition Disposition { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Why disposal of someone's records is suspended.</summary>
public enum HoldKind
{
    Complaint,
    Litigation,
    RegulatorInquiry,
}

/// <summary>What a hold covers: a customer (all their records) or one case.</summary>
public enum HoldSubject
{
    Customer,
    Case,
}

/// <summary>
/// A hold placed by compliance: while it is open (<see cref="ReleasedAt"/> null) nothing of its subject is disposed of. An
/// open complaint of the customer holds without a row (<see cref="RetentionHolds"/> looks it up).
/// </summary>
public sealed class RetentionHold : IVersioned, IAuditable
{
    public long Id { get; set; }

    public HoldSubject SubjectType { get; set; }

    public long SubjectId { get; set; }

    public HoldKind Kind { get; set; }

    public string Reason { get; set; } = "";

    public long? PlacedById { get; set; }

    public DateTimeOffset PlacedAt { get; set; }

    public long? ReleasedById { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public string? ReleaseReason { get; set; }

    public int Version { get; set; }
}

public enum DispositionStatus
{
    /// <summary>Found past retention and not held; waits for compliance.</summary>
    Pending,

    /// <summary>Compliance deferred it with a reason until <see cref="DispositionReview.DeferredUntil"/>; the job lists it again then.</summary>
    Deferred,

    /// <summary>Approved and carried out; <see cref="DispositionReview.Tombstone"/> is in the audit chain.</summary>
    Disposed,
}

/// <summary>
/// One record found past its retention period, for compliance's disposition review; one row per record (unique class and
/// id, so two nodes finding it record it once). On approval the record is anonymised or deleted and this row keeps the
/// tombstone: <c>SHA-256(record class | id | content digest)</c>, where the content digest is SHA-256 of a random salt
/// and the record's columns as stored; the change of this row (with the tombstone) is the audit chain's entry of the disposal.
/// </summary>
public sealed class DispositionReview : IVersioned, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public RecordClass RecordClass { get; set; }

    public long RecordId { get; set; }

    /// <summary>The record's human reference (C-000123), kept after disposal: it identifies the file, not the person.</summary>
    public string RecordReference { get; set; } = "";

    public long? BranchId { get; set; }

    /// <summary>The last day of the retention period; the record was found the day after or later.</summary>
    public DateOnly DueOn { get; set; }

    public DateTimeOffset FoundAt { get; set; }

    public DispositionStatus Status { get; set; }

    public long? DecidedById { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>Why it was deferred (required), or the approver's note.</summary>
    public string? Reason { get; set; }

    public DateOnly? DeferredUntil { get; set; }

    /// <summary>Hex of the random salt of the content digest (kept so an auditor holding a copy of the record can recompute it).</summary>
    public string? Salt { get; set; }

    public string? ContentDigest { get; set; }

    public string? Tombstone { get; set; }

    public int Version { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

internal sealed class RetentionRuleConfiguration : IEntityTypeConfiguration<RetentionRule>
{
    public void Configure(EntityTypeBuilder<RetentionRule> builder)
    {
        builder.ToTable("retention_rules");
        builder.HasIndex(r => r.RecordClass).IsUnique();
        builder.Property(r => r.LegalBasis).HasMaxLength(1000);
        builder.Property(r => r.LegalBasisEn).HasMaxLength(1000);
    }
}

internal sealed class RetentionHoldConfiguration : IEntityTypeConfiguration<RetentionHold>
{
    public void Configure(EntityTypeBuilder<RetentionHold> builder)
    {
        builder.ToTable("retention_holds");
        builder.HasIndex(h => new { h.SubjectType, h.SubjectId });
        builder.Property(h => h.Reason).HasMaxLength(1000);
        builder.Property(h => h.ReleaseReason).HasMaxLength(1000);
    }
}

internal sealed class DispositionReviewConfiguration : IEntityTypeConfiguration<DispositionReview>
{
    public void Configure(EntityTypeBuilder<DispositionReview> builder)
    {
        builder.ToTable("disposition_reviews");
        builder.HasIndex(r => new { r.RecordClass, r.RecordId }).IsUnique();
        builder.HasIndex(r => r.Status);
        builder.Property(r => r.RecordReference).HasMaxLength(40);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.Salt).HasMaxLength(64);
        builder.Property(r => r.ContentDigest).HasMaxLength(64);
        builder.Property(r => r.Tombstone).HasMaxLength(64);
    }
}
