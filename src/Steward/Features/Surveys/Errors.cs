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
