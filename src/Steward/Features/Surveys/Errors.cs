using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

// The expected failures of surveys, mapped to problem details by Problems.From. Texts "English 中文". The public link's
// messages say nothing about the invitation, the case or the customer: a forged token and an unknown one read the same.

public sealed record SurveyLinkInvalid() : NotFoundError(
    "survey-link-invalid", "This link cannot be used 链接无法使用",
    "We could not find this survey. Check that the whole link was copied. 未找到此问卷，请确认链接完整。");

public sealed record SurveyLinkExpired() : ConflictError(
    "survey-link-expired", "This survey has closed 问卷已截止",
    "The time for answering this survey has passed. Thank you all the same. 此问卷的作答期限已过，仍感谢您的关注。");

public sealed record SurveyAlreadyAnswered() : ConflictError(
    "survey-already-answered", "Already answered 已提交过",
    "This survey was already answered; each link takes one response. Thank you. 此问卷已提交，每个链接只能提交一次，谢谢。");

public sealed record SurveyAnswersInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some answers are not valid 部分回答无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record SurveyDefinitionInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record SurveyNotFound(string Code) : NotFoundError(
    "not-found", "No such survey 问卷不存在", FormattableString.Invariant($"There is no survey {Code}. 问卷 {Code} 不存在。"));

public sealed record SurveyVersionChanged(int Current) : ConflictError(
    "stale-version", "The survey has changed 问卷已更新",
    FormattableString.Invariant($"Version {Current} was published since: start from that one. 问卷已更新为第 {Current} 版，请以新版为基础修改。"));

public sealed record SurveyFollowUpNotFound(long CaseId) : NotFoundError(
    "not-found", "No such survey follow-up 回访不存在", FormattableString.Invariant($"Case {CaseId} is not a survey follow-up you can see. 案件 {CaseId} 不是您可查看的满意度回访。"));

public sealed record SurveyFollowUpIncomplete() : InvalidError(
    "survey-follow-up-incomplete", "Record the follow-up first 请先记录回访结果",
    "A survey follow-up is resolved or closed once its root cause and whether the customer's issue was resolved are recorded. 满意度回访须先记录根本原因及客户问题是否解决，才能解决或结案。",
    new Dictionary<string, string[]> { ["rootCause"] = ["Record the root cause and whether the issue was resolved (the survey follow-up panel). 请在“满意度回访”栏记录根本原因及问题是否解决。"] });

public sealed record SurveyImprovementNotFound(long Id) : NotFoundError(
    "not-found", "No such improvement proposal 改进提案不存在", FormattableString.Invariant($"There is no improvement proposal {Id} you can see. 改进提案 {Id} 不存在或您无权查看。"));

public sealed record SurveyForbidden() : ForbiddenError(
    "forbidden", "You may not do this 无权执行此操作", "Your role cannot work this follow-up. 您的角色不能处理此回访。");

public sealed record SurveyImprovementForbidden() : ForbiddenError(
    "forbidden", "You may not do this 无权执行此操作", "Team leads, branch managers and the standards' administrators record improvement proposals; their owners complete them. 改进提案由组长、网点负责人或标准管理员登记，由负责人完成。");
