using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

// The expected failures of assessments and suitability checks, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record SuitabilityCustomerNotFound(long Id) : NotFoundError(
    "not-found", "No such customer 客户不存在", FormattableString.Invariant($"Customer {Id} does not exist. 客户不存在。"));

public sealed record AssessmentNotFound(long Id) : NotFoundError(
    "not-found", "No such assessment 测评不存在", FormattableString.Invariant($"Risk assessment {Id} does not exist. 风险测评不存在。"));

public sealed record DecisionNotFound(long Id) : NotFoundError(
    "not-found", "No such suitability decision 适当性记录不存在", FormattableString.Invariant($"Suitability decision {Id} does not exist. 适当性记录不存在。"));

public sealed record RuleSetNotFound(int Number) : NotFoundError(
    "not-found", "No such rule set 规则版本不存在", FormattableString.Invariant($"Suitability rule set {Number} does not exist. 适当性规则版本 {Number} 不存在。"));

public sealed record QuestionnaireNotFound(int Number) : NotFoundError(
    "not-found", "No such questionnaire version 问卷版本不存在", FormattableString.Invariant($"Questionnaire version {Number} does not exist. 问卷第 {Number} 版不存在。"));

public sealed record AssessmentLinkInvalid() : NotFoundError(
    "assessment-link-invalid", "This link cannot be used 链接无法使用",
    "The link is unknown, has expired or was already used. Ask your bank for a new one. 链接无效、已过期或已使用，请向银行索取新链接。");

public sealed record SuitabilityInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record SuitabilityForbidden() : ForbiddenError(
    "forbidden", "Not allowed 无权操作", "Your roles do not allow this. 您的角色无权进行此操作。");

/// <summary>《金融机构产品适当性管理办法》: at most 2 assessments a day and 8 in 12 months per customer.</summary>
public sealed record AssessmentDailyLimit(int Limit) : ConflictError(
    "assessment-daily-limit", "No more assessments today 今日测评次数已满",
    FormattableString.Invariant($"This customer has taken {Limit} risk assessments today, the most allowed in one day. Try again tomorrow. 该客户今日已测评 {Limit} 次，已达单日上限，请明日再测。"));

public sealed record AssessmentYearlyLimit(int Limit) : ConflictError(
    "assessment-yearly-limit", "Too many assessments this year 12 个月内测评次数已满",
    FormattableString.Invariant($"This customer has taken {Limit} risk assessments in the last 12 months, the most allowed. 该客户近 12 个月已测评 {Limit} 次，已达上限。"));

public sealed record QuestionnaireChanged(int Current) : ConflictError(
    "questionnaire-changed", "The questionnaire has changed 问卷已更新",
    FormattableString.Invariant($"A new questionnaire version ({Current}) was published: answer that one. 问卷已更新为第 {Current} 版，请按新版作答。"));

public sealed record AssessmentNotAwaiting() : ConflictError(
    "assessment-not-awaiting", "Nothing to confirm 无需确认",
    "This assessment is not waiting for the customer's confirmation. 该测评不在待客户确认状态。");

public sealed record DecisionNotAwaiting(string Step) : ConflictError(
    "decision-not-awaiting", "Not at this step 当前不在此步骤",
    FormattableString.Invariant($"This suitability decision is not waiting for {Step}. 该适当性记录当前不在此步骤。"));

public sealed record ReviewerIsSeller() : ConflictError(
    "reviewer-is-seller", "A second person must review 须由另一人复核",
    "The staff member who ran the check cannot be its second reviewer. 发起检查的员工不能担任复核人。");
