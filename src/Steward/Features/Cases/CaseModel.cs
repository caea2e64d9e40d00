using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Cases;

public enum CaseKind
{
    Consultation,
    BusinessHandling,
    Complaint,
    Suggestion,
    Praise,
}

public enum CaseChannel
{
    Counter,
    Phone,
    Email,
    WebForm,
    MobileApp,
    OnlineChat,
    Letter,
}

/// <summary>Lowest first: rules raise a priority by moving to a later member.</summary>
public enum CasePriority
{
    Low,
    Normal,
    High,
    Urgent,
}

/// <summary>The main lifecycle (002 服务请求提交/审核/调查/解决/跟进) plus the end state of a cancelled case.</summary>
public enum CaseStatus
{
    Submitted,
    UnderReview,
    InProgress,
    Resolved,
    FollowUp,
    Closed,
    Cancelled,
}

/// <summary>Sub-state of an <see cref="CaseStatus.InProgress"/> case that waits on someone outside the team.</summary>
public enum CaseWaiting
{
    None,
    WaitingOnCustomer,
    WaitingOnThirdParty,
}

public enum CaseCancelReason
{
    Duplicate,
    Withdrawn,
    Other,
}

/// <summary>Everything a person can do to a case; <see cref="CaseActions.IsTransition"/> tells the lifecycle moves apart.</summary>
public enum CaseAction
{
    Review,
    Start,
    WaitOnCustomer,
    WaitOnThirdParty,
    Resume,
    Resolve,
    FollowUp,
    Close,
    Reopen,
    Cancel,
    Reply,
    Note,
    Attach,
    Pick,
    Release,
    Assign,
    OverridePriority,
    Reclassify,
    Link,
    Merge,
}

public enum CaseEventType
{
    Created,
    Transitioned,
    Assigned,
    PriorityChanged,
    Reclassified,
    ReplyAdded,
    NoteAdded,
    AttachmentAdded,
    Linked,
    MergedInto,
    MergedFrom,
}

public enum MessageVisibility
{
    /// <summary>A reply to the customer; shown on the public status page.</summary>
    Public,

    /// <summary>An internal note; never shown to the customer.</summary>
    Internal,
}

/// <summary>How a team's new cases find a person: left in the queue, or handed out automatically.</summary>
public enum AssignmentMode
{
    Manual,
    RoundRobin,
    LeastLoaded,
}

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

/// <summary>One line of a case's timeline: who did what, when and why. Append-only.</summary>
public sealed class CaseEvent
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? ActorId { get; set; }

    public string ActorName { get; set; } = "";

    public CaseEventType Type { get; set; }

    public CaseAction? Action { get; set; }

    public CaseStatus? FromStatus { get; set; }

    public CaseStatus? ToStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>
    /// What changed, as free text. Events written before structured details (migration 0006) only
    /// have this; newer ones fill it too (English, for logs and API clients that ignore the code).
    /// </summary>
    public string? Detail { get; set; }

    /// <summary>What changed, as a code that <see cref="CaseEventText"/> translates, e.g. <c>priority</c>.</summary>
    public string? DetailCode { get; set; }

    /// <summary>The code's parameters: a JSON object of strings, e.g. <c>{"from":"Normal","to":"Urgent"}</c>.</summary>
    public string? DetailParameters { get; set; }

    /// <summary>The reply or note a <see cref="CaseEventType.ReplyAdded"/> or <see cref="CaseEventType.NoteAdded"/> event records.</summary>
    public long? MessageId { get; set; }
}

/// <summary>A reply to the customer or an internal note.</summary>
public sealed class CaseMessage : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public MessageVisibility Visibility { get; set; }

    public string Body { get; set; } = "";

    public long? AuthorId { get; set; }

    public string AuthorName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A file attached to a case; the bytes live in <see cref="AttachmentBlob"/>.</summary>
public sealed class CaseAttachment : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>Sanitised: no folders, control characters or reserved device names.</summary>
    public string FileName { get; set; } = "";

    /// <summary>Detected from the bytes, never taken from the client.</summary>
    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    public string Sha256 { get; set; } = "";

    public long BlobId { get; set; }

    public long? UploadedById { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The bytes of an attachment, in the database so that every app node sees them.</summary>
public sealed class AttachmentBlob
{
    public long Id { get; set; }

    public byte[] Data { get; set; } = [];
}

/// <summary>Two related cases; stored once with the smaller id first.</summary>
public sealed class CaseLink : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long RelatedCaseId { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>The last reference number handed out per day (the day as <c>yyyyMMdd</c>).</summary>
public sealed class CaseReferenceCounter
{
    public string Day { get; set; } = "";

    public long LastValue { get; set; }
}

public enum PriorityRuleType
{
    /// <summary>Cases of <see cref="PriorityRule.Kind"/> get at least <see cref="PriorityRule.Priority"/>.</summary>
    KindMinimum,

    /// <summary>Customers of <see cref="PriorityRule.Tier"/> raise the priority by <see cref="PriorityRule.Steps"/>.</summary>
    TierRaise,

    /// <summary>Subject or description containing <see cref="PriorityRule.Keyword"/> (case-insensitive) get at least <see cref="PriorityRule.Priority"/>.</summary>
    KeywordMinimum,
}

/// <summary>
/// One priority rule, kept in the database so that an administrator can change them
/// (<c>PUT /api/v1/cases/priority-rules</c>). See <see cref="PriorityRules"/> for the order they apply in.
/// </summary>
public sealed class PriorityRule : IVersioned, IAuditable
{
    public long Id { get; set; }

    public PriorityRuleType Type { get; set; }

    public CaseKind? Kind { get; set; }

    public CustomerTier? Tier { get; set; }

    public string? Keyword { get; set; }

    public CasePriority? Priority { get; set; }

    public int Steps { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }
}

/// <summary>Case settings of one team: the kinds it receives and how its cases are assigned.</summary>
public sealed class CaseTeamSettings : IVersioned, IAuditable
{
    public long Id { get; set; }

    public long TeamId { get; set; }

    /// <summary>Comma-separated kinds routed to this team when a case names no team; empty: none.</summary>
    public string Kinds { get; set; } = "";

    public AssignmentMode Mode { get; set; }

    /// <summary>Round-robin position: the person who got the last case.</summary>
    public long? LastAssignedStaffId { get; set; }

    public int Version { get; set; }

    public IReadOnlyList<CaseKind> KindList =>
        Kinds.Length == 0 ? [] : Kinds.Split(',').Select(k => Enum.Parse<CaseKind>(k)).ToList();
}

/// <summary>Whether a staff member takes automatically assigned cases now; they switch it themselves.</summary>
public sealed class StaffDuty : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    public bool OnDuty { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
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

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> builder)
    {
        builder.ToTable("case_events");
        builder.HasIndex(e => new { e.CaseId, e.Id });
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.Property(e => e.Detail).HasMaxLength(400);
        builder.Property(e => e.DetailCode).HasMaxLength(60);
        builder.Property(e => e.DetailParameters).HasMaxLength(2000);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseMessageConfiguration : IEntityTypeConfiguration<CaseMessage>
{
    public void Configure(EntityTypeBuilder<CaseMessage> builder)
    {
        builder.ToTable("case_messages");
        builder.HasIndex(m => new { m.CaseId, m.Id });
        builder.Property(m => m.Body).HasMaxLength(20000);
        builder.Property(m => m.AuthorName).HasMaxLength(100);
        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseAttachmentConfiguration : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> builder)
    {
        builder.ToTable("case_attachments");
        builder.HasIndex(a => a.CaseId);
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.UploadedByName).HasMaxLength(100);
        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AttachmentBlob>().WithMany().HasForeignKey(a => a.BlobId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttachmentBlobConfiguration : IEntityTypeConfiguration<AttachmentBlob>
{
    public void Configure(EntityTypeBuilder<AttachmentBlob> builder) => builder.ToTable("attachment_blobs");
}

internal sealed class CaseLinkConfiguration : IEntityTypeConfiguration<CaseLink>
{
    public void Configure(EntityTypeBuilder<CaseLink> builder)
    {
        builder.ToTable("case_links");
        builder.HasIndex(l => new { l.CaseId, l.RelatedCaseId }).IsUnique();
        builder.HasIndex(l => l.RelatedCaseId);
        builder.HasOne<Case>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Case>().WithMany().HasForeignKey(l => l.RelatedCaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseReferenceCounterConfiguration : IEntityTypeConfiguration<CaseReferenceCounter>
{
    public void Configure(EntityTypeBuilder<CaseReferenceCounter> builder)
    {
        builder.ToTable("case_reference_counters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8);
    }
}

internal sealed class PriorityRuleConfiguration : IEntityTypeConfiguration<PriorityRule>
{
    public void Configure(EntityTypeBuilder<PriorityRule> builder)
    {
        builder.ToTable("case_priority_rules");
        builder.Property(r => r.Keyword).HasMaxLength(100);
    }
}

internal sealed class CaseTeamSettingsConfiguration : IEntityTypeConfiguration<CaseTeamSettings>
{
    public void Configure(EntityTypeBuilder<CaseTeamSettings> builder)
    {
        builder.ToTable("case_team_settings");
        builder.HasIndex(s => s.TeamId).IsUnique();
        builder.Property(s => s.Kinds).HasMaxLength(200);
        builder.Ignore(s => s.KindList);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StaffDutyConfiguration : IEntityTypeConfiguration<StaffDuty>
{
    public void Configure(EntityTypeBuilder<StaffDuty> builder)
    {
        builder.ToTable("case_staff_duty");
        builder.HasIndex(d => d.StaffId).IsUnique();
        builder.HasOne<Staff>().WithMany().HasForeignKey(d => d.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}
