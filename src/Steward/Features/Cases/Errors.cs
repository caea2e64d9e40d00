using System.Globalization;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

// The expected failures of the case feature, one record each. Codes are stable (clients and tests match on them);
// Problems.From maps every one to problem details. Stale versions are Platform's StaleVersion (code stale-version).

/// <summary>No such case, or one outside the caller's scope: the same answer, so that ids cannot be probed.</summary>
public sealed record CaseNotFound() : NotFoundError("case-not-found", "No such case 案件不存在",
    "The case does not exist or is outside your scope. 案件不存在或不在您的权限范围内。");

public sealed record AttachmentNotFound() : NotFoundError("attachment-not-found", "No such attachment 附件不存在",
    "The case has no such attachment. 该案件没有此附件。");

/// <summary>The caller's roles do not allow the action (code <c>forbidden</c>, shared with <see cref="PersonalDataForbidden"/> as the API has always answered).</summary>
public sealed record CaseActionForbidden() : ForbiddenError("forbidden", "You may not do this 无权执行此操作",
    "Your roles do not allow this action on cases. 您的角色不允许对案件执行此操作。");

public sealed record PersonalDataForbidden() : ForbiddenError("forbidden", "You may not see personal data in full 无权查看完整个人信息",
    "Your roles do not include revealing personal data. 您的角色不含查看完整个人信息的权限。");

/// <summary>Someone else picked the case first.</summary>
public sealed record AlreadyAssigned() : ConflictError("already-assigned", "Someone else has taken this case 案件已被他人领取",
    "The case is no longer in the queue. Reload to see who has it. 案件已不在队列中，请刷新查看处理人。");

/// <summary>The person named is not someone cases of this branch are handed to (not active there, or compliance, QA, a manager).</summary>
public sealed record IneligibleAssignee(string Field) : InvalidError("ineligible-assignee", "This person cannot be assigned the case 不能指派给此人",
    Message, new Dictionary<string, string[]> { [Field] = [Message] })
{
    private const string Message = "Choose an agent, back-office colleague or team lead of the case's branch. 请选择本机构的客服、后台或组长。";
}

/// <summary>A new case with errors in the fields named.</summary>
public sealed record InvalidCase(IReadOnlyDictionary<string, string[]> Errors) : InvalidError("invalid-case", "The case has errors 案件信息有误",
    "Correct the fields listed. 请修改所列字段。", Errors)
{
    /// <summary>One field wrong, the message as the detail (the public form's kind).</summary>
    public static InvalidError Field(string field, string message) =>
        new("invalid-case", "The case has errors 案件信息有误", message, new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>The customer wrote on a closed or cancelled case.</summary>
public sealed record CaseFinished() : ConflictError("case-finished", "This case is finished 此案件已办结",
    "A finished case takes no more messages; to raise something new, submit a new request. 已办结的案件不再接收留言；如有新问题，请提交新的请求。");

public sealed record InvalidMessage(IReadOnlyDictionary<string, string[]> Errors) : InvalidError("invalid-message", "The message has errors 消息有误",
    "Correct the fields listed. 请修改所列字段。", Errors);

public sealed record InvalidPriorityRules(IReadOnlyList<string> Errors) : InvalidError("invalid-rules", "The rules have errors 规则有误",
    "Correct the rules listed. 请修改所列规则。", new Dictionary<string, string[]> { ["rules"] = [.. Errors] });

public sealed record AttachmentTooLarge(long Limit) : Error("attachment-too-large",
    "The file is too large 文件过大",
    $"Attachments may be at most {Limit / 1024 / 1024} MB. 附件不能超过 {Limit / 1024 / 1024} MB。")
{
    public override int Status => StatusCodes.Status413PayloadTooLarge;
}

public sealed record AttachmentTypeRefused() : Error("attachment-type-refused",
    "This kind of file is not accepted 不接受此类文件",
    "Accepted: PDF, PNG, JPEG, plain text (UTF-8), Word (.docx) and Excel (.xlsx); the type is read from the file's content. 仅接受 PDF、PNG、JPEG、纯文本、Word (.docx) 和 Excel (.xlsx)，类型按文件内容识别。")
{
    public override int Status => StatusCodes.Status415UnsupportedMediaType;
}

/// <summary>
/// The action is not possible in the case's current state; names the state and what is possible in each language's half
/// from the string tables (the enum names are the problem members).
/// </summary>
public sealed record InvalidTransition(CaseStatus CurrentStatus, CaseWaiting Waiting, CaseAction Attempted, IReadOnlyList<CaseAction> AllowedActions, string Why) : Error(
    "illegal-transition",
    "This action is not allowed in the case's current state 当前状态下不允许此操作",
    Describe(CurrentStatus, Waiting, AllowedActions, Why))
{
    public override int Status => StatusCodes.Status409Conflict;

    public override IReadOnlyDictionary<string, object?> Extensions => new Dictionary<string, object?>
    {
        ["currentStatus"] = CurrentStatus.ToString(),
        ["waiting"] = Waiting.ToString(),
        ["attemptedAction"] = Attempted.ToString(),
        ["allowedActions"] = AllowedActions.Select(a => a.ToString()).ToArray(),
    };

    private static string Describe(CaseStatus status, CaseWaiting waiting, IReadOnlyList<CaseAction> allowed, string why)
    {
        string In(string culture, string separator)
        {
            var state = JsonStringLocalizerFactory.Text(culture, "case.status." + status);
            if (waiting != CaseWaiting.None)
            {
                state = JsonStringLocalizerFactory.Text(culture, "case.transition.stateWaiting", state, JsonStringLocalizerFactory.Text(culture, "case.waiting." + waiting));
            }

            var actions = allowed.Count == 0
                ? JsonStringLocalizerFactory.Text(culture, "case.transition.none")
                : string.Join(separator, allowed.Select(a => JsonStringLocalizerFactory.Text(culture, "case.action." + a)));
            return JsonStringLocalizerFactory.Text(culture, "case.transition.refused", state, actions);
        }

        // The English half has no Chinese character (OneLanguage.Pick splits at the first one); a Chinese reason is its own half.
        var english = OneLanguage.Pick(why, CultureInfo.GetCultureInfo(Cultures.English));
        var chinese = OneLanguage.Pick(why, CultureInfo.GetCultureInfo(Cultures.Chinese));
        var zhWhy = chinese == english ? "" : chinese;
        return $"{english} {In(Cultures.English, ", ")} {zhWhy}{In(Cultures.Chinese, "、")}";
    }
}
