using Steward.Platform.Problems;

namespace Steward.Features.Retention;

// The expected failures of retention and disposal, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record RetentionRuleNotFound() : NotFoundError(
    "retention-rule-not-found", "No such retention rule 保存规则不存在", "There is no such retention rule. 没有此保存规则。");

/// <summary>A period shorter than the law allows: refused, nothing changes.</summary>
public sealed record RetentionBelowLegalMinimum(int MinimumMonths) : InvalidError(
    "retention-below-legal-minimum", "Below the legal minimum 低于法定最短保存期限",
    $"The law requires at least {MinimumMonths} months for this record class; the period was not changed. 该类记录法定至少保存 {MinimumMonths} 个月，保存期限未修改。",
    new Dictionary<string, string[]> { ["periodMonths"] = [$"At least {MinimumMonths} months (legal minimum). 至少 {MinimumMonths} 个月（法定最短期限）。"] });

public sealed record RetentionHoldNotFound() : NotFoundError(
    "retention-hold-not-found", "No such hold 保全不存在", "There is no such hold. 没有此保全。");

public sealed record RetentionHoldAlreadyReleased() : ConflictError(
    "retention-hold-released", "The hold was released already 该保全已解除", "This hold was released already. 该保全已解除。");

public sealed record RetentionSubjectNotFound() : NotFoundError(
    "retention-subject-not-found", "No such customer or case 客户或案件不存在", "There is no customer or case with this id. 没有此编号的客户或案件。");

public sealed record DispositionReviewNotFound() : NotFoundError(
    "disposition-review-not-found", "No such disposition review 处置审核不存在", "There is no such disposition review. 没有此处置审核。");

public sealed record DispositionNotPending() : ConflictError(
    "disposition-not-pending", "Not waiting for a decision 该记录不在待审状态", "This record is not waiting for a disposition decision. 该记录不在待处置审核状态。");

/// <summary>A hold (or an open complaint) came after the record was listed: it is not disposed of.</summary>
public sealed record DispositionHeld() : ConflictError(
    "disposition-held", "The record is held 该记录处于保全中",
    "A hold or an open complaint now covers this record; it cannot be disposed of until released. 该记录现受保全或未结投诉约束，解除前不可处置。");
