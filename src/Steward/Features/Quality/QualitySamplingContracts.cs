namespace Steward.Features.Quality;

/// <summary>
/// A sampling plan as given: a name, the cycle, the random percentage (0–100) of what the targeted and minimum items leave,
/// the minimum per staff member (≥ 0), how many cases of a flagged staff member a staff rule draws (≥ 0), the targeted rules'
/// codes, the branches (none: all), the pass threshold (0–100) below which a review opens a rectification, the zone of the
/// periods (default Asia/Shanghai), active or not.
/// </summary>
public sealed record QaPlanRequest(
    string? Name, QaCycle? Cycle, decimal? RandomPercent, int? MinimumPerStaff, int? TargetedPerStaff, IReadOnlyList<string>? Rules,
    IReadOnlyList<long>? BranchIds, decimal? PassThreshold, string? TimeZone, bool? IsActive);

public sealed record QaPlanDto(
    long Id, string Name, QaCycle Cycle, decimal RandomPercent, int MinimumPerStaff, int TargetedPerStaff, IReadOnlyList<string> Rules,
    IReadOnlyList<long> BranchIds, decimal PassThreshold, string TimeZone, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// Draw the period that starts on <see cref="PeriodStart"/> (a local date of the plan's zone: any day, a Monday, or the 1st for
/// daily, weekly, monthly; default the last period that has ended) with <see cref="Seed"/> (default derived: plan id × 100 000 +
/// the start's day number).
/// </summary>
public sealed record QaDrawRequest(DateOnly? PeriodStart, long? Seed);

public sealed record QaSampleItemDto(
    long Id, long? DrawId, long? RectificationId, long CaseId, string CaseReference, long StaffId, string StaffName, QaSampleReason Reason,
    string? Rule, QaSampleItemStatus Status, long? ReviewId, string? RemovedReason, DateTimeOffset? RemovedAt);

public sealed record QaDrawDto(
    long Id, long PlanId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long Seed, DateTimeOffset DrawnAt, long? DrawnById,
    int PoolSize, int ItemCount, IReadOnlyList<QaSampleItemDto> Items);

/// <summary>What a draw of the period would pick now, stored nowhere.</summary>
public sealed record QaDrawPreviewDto(DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, long Seed, int PoolSize, IReadOnlyList<QaPick> Items);

public sealed record QaRemoveItemRequest(string? Reason);

public sealed record QaEvidenceRequest(string? Evidence);

/// <summary>The re-check review that verifies a rectification (default: the review of its re-check sample item).</summary>
public sealed record QaVerifyRequest(long? ReviewId);

public sealed record QaRectificationDto(
    long Id, long ReviewId, long CaseId, string CaseReference, long StaffId, string StaffName, long? TeamId, QaRectificationReason Reason,
    IReadOnlyList<string> FailedItems, decimal Score, decimal Threshold, QaRectificationStatus Status, DateTimeOffset OpenedAt, DateTimeOffset DueAt,
    bool TrainingNeeded, string? Evidence, DateTimeOffset? EvidenceAt, long? RecheckReviewId, int FailedRechecks, DateTimeOffset? ClosedAt,
    QaSampleItemDto? Recheck, IReadOnlyList<QaItemName> FailedItemNames, string? BranchTimeZone);

/// <summary>A scorecard item as the review's scorecard version words it, in both languages (a page shows the reader's).</summary>
public sealed record QaItemName(string Id, string Text, string TextEn);
