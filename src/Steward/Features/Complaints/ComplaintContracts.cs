using Steward.Features.Cases;

namespace Steward.Features.Complaints;

/// <summary>
/// Records the case <see cref="CaseId"/> as a complaint. <see cref="Channel"/> defaults to the case's,
/// <see cref="ReceivedAt"/> to the case's creation (the dissatisfaction came in with the case); codes from the taxonomy in force.
/// </summary>
public sealed record ComplaintIntakeRequest(
    long? CaseId,
    ComplainantKind? ComplainantKind,
    string? RepresentativeName,
    string? ProofNote,
    string? WhatHappened,
    string? WhatTheyWant,
    decimal? AmountInDispute,
    string? Currency,
    long? ProductId,
    CaseChannel? Channel,
    DateTimeOffset? ReceivedAt,
    string? Nature,
    string? JrtChannel,
    string? JrtBusiness,
    string? JrtCause,
    string? FcaProductGroup,
    long? SubjectStaffId,
    long? SellerStaffId);

/// <summary>New codes for a complaint, with the reason; <see cref="Version"/> is the complaint's version the change is based on.</summary>
public sealed record ComplaintClassificationRequest(string? Nature, string? JrtChannel, string? JrtBusiness, string? JrtCause, string? FcaProductGroup, string? Reason, int? Version);

/// <summary>The decision that the case <see cref="CaseId"/> is not a complaint, and why.</summary>
public sealed record ComplaintDismissalRequest(long? CaseId, string? Reason);

/// <summary>Hands the complaint's case to <see cref="StaffId"/> (<see cref="Reason"/> when it had someone); <see cref="CaseVersion"/> is the case's.</summary>
public sealed record ComplaintAssignRequest(long? StaffId, string? Reason, int? CaseVersion);

/// <summary>Compliance lets <see cref="StaffId"/> handle the complaint despite the ground for recusal, and says why.</summary>
public sealed record ComplaintRecusalOverrideRequest(long? StaffId, string? Reason);

/// <summary>A code with its names in both languages.</summary>
public sealed record ComplaintCodeDto(ComplaintCodeSet CodeSet, string Code, string Name, string NameEn, bool Retired = false);

public sealed record ComplaintTaxonomyDto(long Id, int Number, DateOnly PublishedOn, string Citation, IReadOnlyList<ComplaintCodeDto> Codes);

/// <summary>
/// A regulatory deadline of the complaint under its regime: <see cref="Kind"/> is <c>decision</c> (PRC),
/// <c>summaryResolution</c> / <c>finalResponse</c> (FCA) or <c>response</c> / <c>finalResponse</c> (CFPB).
/// <see cref="LastDay"/> is the last local day of the period (the deadline is its end, or close of business for business days).
/// </summary>
public sealed record ComplaintDeadlineDto(string Kind, DateTimeOffset DueAt, DateOnly LastDay, string Citation);

public sealed record ComplaintRecodingDto(string FromCodes, string ToCodes, string Reason, string? RecodedBy, DateTimeOffset RecodedAt);

public sealed record ComplaintDismissalDto(long Id, long CaseId, string Reason, string? DecidedBy, DateTimeOffset DecidedAt);

public sealed record ComplaintRecusalDto(long StaffId, string StaffName, RecusalGround Ground, bool Overridden);

public sealed record ComplaintDto(
    long Id,
    long CaseId,
    string CaseReference,
    CaseStatus CaseStatus,
    long BranchId,
    long? AssigneeId,
    int CaseVersion,
    ComplainantKind ComplainantKind,
    string? RepresentativeName,
    string? ProofNote,
    string WhatHappened,
    string WhatTheyWant,
    decimal? AmountInDispute,
    string Currency,
    long? ProductId,
    string? ProductName,
    string? ProductNameEn,
    CaseChannel Channel,
    DateTimeOffset ReceivedAt,
    string? Regime,
    int TaxonomyNumber,
    IReadOnlyList<ComplaintCodeDto> Codes,
    long? SubjectStaffId,
    string? SubjectStaffName,
    long? SellerStaffId,
    string? SellerStaffName,
    IReadOnlyList<ComplaintDeadlineDto> Deadlines,
    IReadOnlyList<ComplaintRecusalDto> Recused,
    IReadOnlyList<ComplaintRecodingDto> Recodings,
    string? RootCause,
    ComplaintOutcome? Outcome,
    DateTimeOffset? OutcomeAt,
    IReadOnlyList<ComplaintRemedyDto> Remedies,
    int Version,
    DateTimeOffset CreatedAt,
    ComplaintProcessDto Process);

public sealed record ComplaintListItem(
    long Id, long CaseId, string CaseReference, CaseStatus CaseStatus, string Subject, ComplainantKind ComplainantKind, decimal? AmountInDispute, string Currency,
    DateTimeOffset ReceivedAt, string? Regime, string Nature, string JrtCause, DateTimeOffset? DueAt, string TimeZone);

/// <summary>A case of kind Complaint (or one with a recorded dissatisfaction) that has no complaint record yet.</summary>
public sealed record ComplaintAwaitingIntake(long CaseId, string CaseReference, string Subject, DateTimeOffset CreatedAt);

public sealed record ComplaintList(IReadOnlyList<ComplaintListItem> Items, IReadOnlyList<ComplaintAwaitingIntake> AwaitingIntake);
