using Microsoft.AspNetCore.Mvc;
using Steward.Features.Customers;

namespace Steward.Features.Cases;

// Requests and responses of the case service, shared by the API and the workbench pages.

/// <summary>An anonymous contact: a name and a phone number or e-mail address (or both).</summary>
public sealed record CaseContactInput(string? Name, string? Phone, string? Email);

/// <summary>
/// A new case. Either <see cref="CustomerId"/> (a customer of one of the caller's branches, any branch for
/// institution-wide roles; another branch's customer is refused like an unknown id: 400, <c>errors.customerId</c>) or
/// <see cref="Contact"/>. Without a branch the
/// caller's home branch is used; without a team the branch's team that receives the kind (team
/// settings); with neither an assignee nor manual assignment the team's automatic assignment picks one.
/// <see cref="HandleNow"/> true: the case is assigned to the caller and moved Review → Start at once (in progress, each
/// move on the timeline, in the audit and seen by the SLA clocks), so that resolving it is the next step.
/// </summary>
public sealed record CaseCreateRequest(
    CaseKind? Kind,
    CaseChannel? Channel,
    string? Subject,
    string? Description,
    long? BranchId = null,
    long? CustomerId = null,
    CaseContactInput? Contact = null,
    long? ProductId = null,
    long? TeamId = null,
    long? AssigneeId = null,
    IReadOnlyList<string>? Tags = null,
    bool? HandleNow = null);

/// <summary>A lifecycle move. <see cref="CancelReason"/> is required for Cancel, <see cref="Reason"/> for Reopen and for Cancel with reason Other.</summary>
public sealed record CaseTransitionRequest(CaseAction? Action, string? Reason, int Version, CaseCancelReason? CancelReason = null);

public sealed record CaseMessageRequest(string? Body);

/// <summary>Hand the case to a team and/or a person. A reason is required when it already had an assignee or a team.</summary>
public sealed record CaseAssignRequest(long? TeamId, long? StaffId, string? Reason, int Version);

public sealed record CaseReleaseRequest(string? Reason, int Version);

public sealed record CasePriorityRequest(CasePriority? Priority, string? Reason, int Version);

public sealed record CaseReclassifyRequest(CaseKind? Kind, string? Reason, int Version);

public sealed record CaseLinkRequest(long RelatedCaseId);

/// <summary>Merge this case (the duplicate) into <see cref="IntoCaseId"/>.</summary>
public sealed record CaseMergeRequest(long IntoCaseId, string? Reason, int Version);

public sealed record PriorityRuleDto(PriorityRuleType Type, CaseKind? Kind, CustomerTier? Tier, string? Keyword, CasePriority? Priority, int Steps, bool IsActive = true);

/// <summary>
/// Filters of a case list. <see cref="Assignee"/> is <c>me</c>, <c>none</c> or a staff id;
/// <see cref="Q"/> is a full-text query; <see cref="Sort"/> is <c>due</c> (due time, cases without one
/// last, then id) or <c>newest</c> (descending id); without it a list sorts by <c>due</c> and a search
/// (<see cref="Q"/> given) by <c>newest</c>. <see cref="Limit"/> is 1–100 (default 25).
/// </summary>
public sealed record CaseListQuery
{
    [FromQuery(Name = "status")]
    public CaseStatus? Status { get; init; }

    [FromQuery(Name = "kind")]
    public CaseKind? Kind { get; init; }

    [FromQuery(Name = "channel")]
    public CaseChannel? Channel { get; init; }

    [FromQuery(Name = "branchId")]
    public long? BranchId { get; init; }

    [FromQuery(Name = "priority")]
    public CasePriority? Priority { get; init; }

    /// <summary>Only open cases (submitted, under review, in progress): what the workbench's tabs show unless a status is chosen.</summary>
    [FromQuery(Name = "open")]
    public bool? Open { get; init; }

    [FromQuery(Name = "teamId")]
    public long? TeamId { get; init; }

    [FromQuery(Name = "assignee")]
    public string? Assignee { get; init; }

    [FromQuery(Name = "dueBefore")]
    public DateTimeOffset? DueBefore { get; init; }

    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "sort")]
    public string? Sort { get; init; }

    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }
}

/// <summary>
/// One row of a case list, with the names a list shows so that it needs no further look-ups:
/// <see cref="CustomerName"/> is the customer's or the contact's name, masked (张*丰) unless the
/// caller has PersonalDataReveal; team names in both languages; <see cref="BranchTimeZone"/> to show
/// due times in the branch's local time.
/// </summary>
public sealed record CaseSummary(
    long Id,
    string Reference,
    CaseKind Kind,
    CaseChannel Channel,
    CaseStatus Status,
    CaseWaiting Waiting,
    string Subject,
    CasePriority Priority,
    long BranchId,
    long? TeamId,
    long? AssigneeId,
    IReadOnlyList<string> Tags,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version,
    string? CustomerName = null,
    string? TeamName = null,
    string? TeamNameEn = null,
    string? AssigneeName = null,
    string? BranchTimeZone = null);

public sealed record CasePage(IReadOnlyList<CaseSummary> Items, string? NextCursor);

/// <summary>
/// A count of cases. <see cref="Count"/> is exact when <see cref="Capped"/> is false. When it is true, more than
/// <see cref="Count"/> cases match (the count stopped at <see cref="CaseOptions.CountCap"/>, 10 000 by default; show
/// it as "10,000+"): workbench counts are for people looking at queues, exact totals of long histories are reports.
/// </summary>
public sealed record CaseCount(int Count, bool Capped = false);

/// <summary>Contact details as staff see them: phone and e-mail masked; the name masked unless the caller has PersonalDataReveal.</summary>
public sealed record CaseContactView(string Name, string? Phone, string? Email);

/// <summary>
/// The full name, phone and e-mail of a case's customer or contact, for people with PersonalDataReveal.
/// Every answer is recorded (<c>personal_data_access</c>, and through it the audit log).
/// </summary>
public sealed record CaseContactDetails(long CaseId, string Reference, long? CustomerId, string? Name, string? Phone, string? Email);

public sealed record CaseEventDto(
    long Id,
    DateTimeOffset OccurredAt,
    long? ActorId,
    string ActorName,
    CaseEventType Type,
    CaseAction? Action,
    CaseStatus? FromStatus,
    CaseStatus? ToStatus,
    string? Reason,
    string? Detail,
    string? DetailCode = null,
    IReadOnlyDictionary<string, string>? DetailParameters = null,
    long? MessageId = null);

public sealed record CaseMessageDto(long Id, MessageVisibility Visibility, string Body, long? AuthorId, string AuthorName, DateTimeOffset CreatedAt);

/// <summary>
/// An attachment. <see cref="DownloadUrl"/> is the API's address (bearer token); <see cref="PageUrl"/>
/// is the case page's download handler, for a signed-in browser (cookie). Both answer the file as
/// <c>Content-Disposition: attachment</c> with <c>X-Content-Type-Options: nosniff</c>.
/// </summary>
public sealed record CaseAttachmentDto(long Id, string FileName, string ContentType, long Size, string Sha256, string UploadedByName, DateTimeOffset CreatedAt, string DownloadUrl, string PageUrl);

public sealed record CaseLinkDto(long CaseId, string Reference, string Subject, CaseStatus Status);

public sealed record CaseDetail(
    long Id,
    string Reference,
    CaseKind Kind,
    CaseChannel Channel,
    CaseStatus Status,
    CaseWaiting Waiting,
    string Subject,
    string Description,
    CasePriority Priority,
    bool PriorityOverridden,
    long BranchId,
    long? TeamId,
    string? TeamName,
    long? AssigneeId,
    string? AssigneeName,
    long? CustomerId,
    string? CustomerName, // masked unless the caller has PersonalDataReveal
    CaseContactView? Contact,
    long? ProductId,
    IReadOnlyList<string> Tags,
    DateTimeOffset? DueAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    CaseCancelReason? CancelReason,
    long? MergedIntoId,
    string? MergedIntoReference,
    int Version,
    IReadOnlyList<CaseAction> AllowedActions,
    IReadOnlyList<CaseEventDto> Timeline,
    IReadOnlyList<CaseMessageDto> Messages,
    IReadOnlyList<CaseAttachmentDto> Attachments,
    IReadOnlyList<CaseLinkDto> Links);

/// <summary>An attachment's bytes for download.</summary>
public sealed record AttachmentContent(string FileName, string ContentType, byte[] Data);

/// <summary>A case from the public web form.</summary>
public sealed record PublicCaseRequest(long BranchId, CaseKind? Kind, string? Subject, string? Description, string? Name, string? Phone, string? Email, long? ProductId = null);

public sealed record PublicCaseReceipt(string Reference, CaseKind Kind, CaseStatus Status, DateTimeOffset SubmittedAt);

/// <summary>Reference and the phone number or e-mail address given when the case was made.</summary>
public sealed record PublicStatusRequest(string? Reference, string? Contact);

/// <summary>A message on the case the customer may see: the institution's reply, or (<paramref name="FromCustomer"/>) their own.</summary>
public sealed record PublicReply(DateTimeOffset At, string Body, bool FromCustomer = false);

/// <summary>A customer's message on their case, proven theirs by the reference and the contact given, as for a status look-up.</summary>
public sealed record PublicReplyRequest(string? Reference, string? Contact, string? Body);

/// <summary>A step of the case a customer may see: it was submitted, or its status changed (no names, no reasons).</summary>
public sealed record PublicStep(DateTimeOffset At, CaseEventType Type, CaseStatus? ToStatus);

/// <summary>What a customer may see of their case: no staff names, notes, attachments or internal data.</summary>
public sealed record PublicCaseStatus(
    string Reference,
    CaseKind Kind,
    CaseStatus Status,
    bool WaitingOnCustomer,
    DateTimeOffset SubmittedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? ResolvedAt,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<PublicReply> Replies,
    string TimeZone = "UTC", // the branch's IANA zone (Asia/Shanghai): show the instants as local time there
    IReadOnlyList<PublicStep>? Steps = null,
    DateTimeOffset? ExpectedBy = null, // the next deadline the institution set itself (the case's due instant), while it is on the institution to act
    bool CanReply = false); // the customer may write on the case (it is not closed or cancelled)

public sealed record PublicBranch(long Id, string Code, string Name, string NameEn);
