using Steward.Platform.Problems;

namespace Steward.Features.Quality;

// The expected failures of quality reviews, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record QaScorecardNotFound(string Code) : NotFoundError(
    "not-found", "No such scorecard 评分表不存在", FormattableString.Invariant($"There is no scorecard {Code}. 评分表 {Code} 不存在。"));

public sealed record QaScorecardInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record QaScorecardChanged(int Current) : ConflictError(
    "stale-version", "The scorecard has changed 评分表已更新",
    FormattableString.Invariant($"Version {Current} was published since: start from that one. 评分表已更新为第 {Current} 版，请以新版为准。"));

public sealed record QaReviewNotFound() : NotFoundError(
    "not-found", "No such review 质检记录不存在", "There is no such review, or it is not yours to see. 该质检记录不存在或您无权查看。");

public sealed record QaReviewInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some answers are not valid 部分评分无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record QaOwnWork() : ForbiddenError(
    "qa-own-work", "You worked on this case 您处理过此案件",
    "Nobody reviews their own work: you are the case's assignee or acted on it. Another inspector reviews it. 不能质检自己处理过的工作：您是此案件的处理人或参与过处理，请由其他质检员评分。");

public sealed record QaNobodyToReview() : ConflictError(
    "qa-no-staff", "Nobody to review 无可质检人员",
    "No staff member has handled this case yet: there is nobody to review. 此案件尚无员工处理，无可质检对象。");

public sealed record QaNotYours() : ForbiddenError(
    "forbidden", "Not yours to answer 您无权处理",
    "Only the staff member reviewed accepts or disputes a review. 只有被质检的员工本人可以确认或申诉。");

public sealed record QaNotResolver() : ForbiddenError(
    "forbidden", "Not yours to resolve 您无权处理申诉",
    "A dispute is resolved by the staff member's team lead or an inspector other than the one who made the review. 申诉由员工所在团队的组长或原质检员以外的质检员处理。");

public sealed record QaAlreadyAnswered(QaReviewStatus Current) : ConflictError(
    "qa-review-closed", "The review is no longer open 质检记录已不可更改",
    $"The review is {Names(Current).En}: it cannot be answered again. 该质检记录当前状态为“{Names(Current).Zh}”，不能再次处理。")
{
    /// <summary>The state in words, each half in its own language (the message is read in one: OneLanguage).</summary>
    private static (string En, string Zh) Names(QaReviewStatus status) => status switch
    {
        QaReviewStatus.Accepted => ("accepted", "已确认"),
        QaReviewStatus.Disputed => ("disputed", "申诉中"),
        QaReviewStatus.Upheld => ("settled with the score upheld", "申诉：维持原分"),
        QaReviewStatus.Changed => ("settled with the score changed", "申诉：已改分"),
        _ => ("open", "待确认"),
    };
}

public sealed record QaDisputeWindowClosed(DateTimeOffset Until) : ConflictError(
    "qa-dispute-window-closed", "The dispute window has closed 申诉期限已过",
    FormattableString.Invariant($"A review can be disputed until {Until:yyyy-MM-dd HH:mm} UTC. 申诉期限截至 {Until:yyyy-MM-dd HH:mm}（UTC）。"));

public sealed record QaNotDisputed() : ConflictError(
    "qa-not-disputed", "Nothing to resolve 无待处理申诉", "The review has no open dispute. 该质检记录没有待处理的申诉。");

public sealed record QaNotInspector() : ForbiddenError(
    "forbidden", "Quality inspectors only 仅限质检员", "Only a quality inspector reviews cases. 只有质检员可以进行质检评分。");

public sealed record QaPlanNotFound() : NotFoundError(
    "not-found", "No such sampling plan 抽样方案不存在", "There is no such sampling plan. 该抽样方案不存在。");

public sealed record QaPlanInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record QaAlreadyDrawn(DateTimeOffset PeriodStart) : ConflictError(
    "qa-already-drawn", "This period is drawn already 该周期已抽样",
    FormattableString.Invariant($"The plan's sample of the period from {PeriodStart:yyyy-MM-dd HH:mm} UTC was drawn already: a period is drawn once. 该方案自 {PeriodStart:yyyy-MM-dd HH:mm}（UTC）起的周期已抽样，每个周期只抽一次。"));

public sealed record QaDrawNotFound() : NotFoundError(
    "not-found", "No such draw 抽样记录不存在", "There is no such draw. 该抽样记录不存在。");

public sealed record QaSampleItemNotFound() : NotFoundError(
    "not-found", "No such sample item 抽样项不存在", "There is no such sample item. 该抽样项不存在。");

public sealed record QaSampleItemClosed(QaSampleItemStatus Current) : ConflictError(
    "qa-sample-item-closed", "The item is no longer pending 抽样项已不可移除",
    FormattableString.Invariant($"The item is {Current}: only a pending item is removed. 该抽样项状态为 {Current}，只能移除待质检的抽样项。"));

public sealed record QaRectificationNotFound() : NotFoundError(
    "not-found", "No such rectification 整改不存在", "There is no such rectification, or it is not yours to see. 该整改不存在或您无权查看。");

public sealed record QaRectificationInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record QaRectificationClosed(QaRectificationStatus Current) : ConflictError(
    "qa-rectification-closed", "The rectification is over 整改已结束",
    FormattableString.Invariant($"The rectification is {StatusEn(Current)}: nothing more is done on it. 该整改状态为“{StatusZh(Current)}”，不能再处理。"))
{
    private static string StatusEn(QaRectificationStatus s) => s switch
    {
        // As the status reads on the pages (enum.QaRectificationStatus.* in the string tables).
        QaRectificationStatus.Open => "open, waiting for evidence",
        QaRectificationStatus.EvidenceSubmitted => "waiting for the re-check",
        QaRectificationStatus.Closed => "closed",
        _ => "withdrawn after the dispute",
    };

    private static string StatusZh(QaRectificationStatus s) => s switch
    {
        QaRectificationStatus.Open => "进行中：待提交证据",
        QaRectificationStatus.EvidenceSubmitted => "已提交证据：待复检",
        QaRectificationStatus.Closed => "已关闭",
        _ => "申诉后撤销",
    };
}

public sealed record QaNotYourRectification() : ForbiddenError(
    "forbidden", "Not yours to answer 您无权处理",
    "Only the staff member asked to rectify gives the evidence. 只有被要求整改的员工本人可以提交整改证据。");

public sealed record QaOwnRectification() : ForbiddenError(
    "qa-own-rectification", "Your own rectification 您本人的整改",
    "Nobody verifies their own rectification: another inspector does. 不能验证自己的整改，请由其他质检员验证。");

public sealed record QaNoEvidence() : ConflictError(
    "qa-no-evidence", "No evidence yet 尚未提交整改证据",
    "The staff member has not given their evidence yet: a rectification closes with evidence and a passing re-check. 员工尚未提交整改证据：整改须有证据并通过复检才能关闭。");

public sealed record QaNoRecheckCase() : ConflictError(
    "qa-no-recheck-case", "No case to re-check yet 暂无可复检案件",
    "The staff member has resolved no case since the rectification was opened that is not sampled or reviewed yet. 自整改开始以来，该员工尚无未被抽样或质检的已解决案件。");
