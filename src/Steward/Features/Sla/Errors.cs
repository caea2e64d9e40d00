using Steward.Platform.Problems;

namespace Steward.Features.Sla;

// The expected failures of SLA (calendars, standards, clocks and extensions), one record each, mapped to problem
// details by Problems.From. Each record's code is the problem's "code" and "type" suffix; the codes are those the API
// has always returned, so clients that match on them keep working. The three "not found" records share the API's
// "not-found" code; they differ by type and title.

/// <summary>No calendar with that id (or the calendar was deleted).</summary>
public sealed record CalendarNotFound(long? Id = null) : NotFoundError(
    "not-found",
    "No such calendar 日历不存在",
    Id is { } id ? FormattableString.Invariant($"Calendar {id} does not exist. 日历不存在。") : "The calendar does not exist. 日历不存在。");

/// <summary>No standard with that id, or not the version asked for.</summary>
public sealed record StandardNotFound(long Id, bool OrVersion = false) : NotFoundError(
    "not-found",
    OrVersion ? "No such standard or version 服务标准或版本不存在" : "No such standard 服务标准不存在",
    OrVersion
        ? FormattableString.Invariant($"Standard {Id} or that version does not exist. 服务标准或版本不存在。")
        : FormattableString.Invariant($"Standard {Id} does not exist. 服务标准不存在。"));

/// <summary>A branch calendar was asked for a branch that does not exist.</summary>
public sealed record BranchNotFound(long Id) : NotFoundError(
    "not-found", "No such branch 分支机构不存在", FormattableString.Invariant($"Branch {Id} does not exist. 分支机构不存在。"));

/// <summary>Fields of an SLA input are not valid; <see cref="InvalidError.Fields"/> names them.</summary>
public sealed record SlaValidationFailed(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>A clock action (extension, restart) was asked with a bad field.</summary>
public sealed record InvalidClockRequest(string Field, string Message) : InvalidError(
    "invalid-request", "The request has errors 请求有误", Message, new Dictionary<string, string[]> { [Field] = [Message] });

/// <summary>The signed-in person's role may not do this clock action.</summary>
public sealed record ClockActionForbidden(string Reason) : ForbiddenError("forbidden", "You may not do this 无权执行此操作", Reason);

/// <summary>The rule behind the target allows no extension.</summary>
public sealed record NotExtendable() : ConflictError(
    "not-extendable", "This target cannot be extended 此目标不可延期", "The rule allows no extension. 规则不允许延期。");

/// <summary>An extension of the target is already waiting for a decision.</summary>
public sealed record ExtensionPending() : ConflictError(
    "extension-pending", "An extension is already pending 已有待审批的延期申请", "Decide the pending request first. 请先处理待审批的申请。");

/// <summary>No extension request with that id on the case.</summary>
public sealed record ExtensionNotFound() : NotFoundError(
    "extension-not-found", "No such extension request 延期申请不存在", "The request does not exist. 延期申请不存在。");

/// <summary>The person deciding an extension asked for it.</summary>
public sealed record ApproverIsRequester() : ForbiddenError(
    "approver-is-requester",
    "You cannot decide your own request 不能审批自己的申请",
    "Another team lead, branch manager or compliance officer must decide it. 须由其他组长、网点负责人或合规人员审批。");

/// <summary>The extension was approved or rejected already.</summary>
public sealed record ExtensionDecided() : ConflictError(
    "extension-decided", "The request was already decided 申请已处理", "Reload to see the decision. 请刷新查看结果。");

/// <summary>The clock has stopped (met or cancelled), so it cannot be extended.</summary>
public sealed record ClockStopped() : ConflictError(
    "clock-stopped", "The clock has stopped 计时已结束", "The target was met or cancelled. 目标已完成或已取消。");
