using Steward.Platform.Problems;

namespace Steward.Features.Queues;

// The expected failures of branch queues, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record QueueBranchNotFound(long Id) : NotFoundError(
    "not-found", "No such branch 网点不存在", FormattableString.Invariant($"Branch {Id} does not exist or is outside your branches. 网点不存在或不在您的网点范围内。"));

public sealed record ServiceTypeNotFound(long Id) : NotFoundError(
    "unknown-service-type", "No such service type 业务类型不存在", FormattableString.Invariant($"Service type {Id} does not exist at this branch. 该网点没有此业务类型。"));

public sealed record CounterNotFound(long Id) : NotFoundError(
    "unknown-counter", "No such counter 窗口不存在", FormattableString.Invariant($"Counter {Id} does not exist at this branch. 该网点没有此窗口。"));

public sealed record TicketNotFound(long Id) : NotFoundError(
    "not-found", "No such ticket 号票不存在", FormattableString.Invariant($"Ticket {Id} does not exist at this branch. 该网点没有此号票。"));

/// <summary>The branch's calendar has no opening hours on its local day (holiday, weekend without a make-up day).</summary>
public sealed record BranchClosed(string Date) : ConflictError(
    "branch-closed", "The branch is closed today 网点今日不营业", $"The branch does not open on {Date} (holiday or rest day per its calendar); no tickets are issued. 网点 {Date} 不营业（节假日或休息日），不发号。");

/// <summary>The caller is not signed in to a counter of the branch.</summary>
public sealed record NoCounter() : ConflictError(
    "no-counter", "You are not at a counter 您尚未登录窗口", "Sign in to a counter of this branch before calling tickets. 请先登录本网点的一个窗口再叫号。");

public sealed record CounterTaken(int Number) : ConflictError(
    "counter-taken", "The counter is taken 窗口已被占用", FormattableString.Invariant($"Someone else is signed in to counter {Number}. 窗口 {Number} 已有其他员工登录。"));

public sealed record AlreadyOnCounter(int Number) : ConflictError(
    "already-on-counter", "You are on another counter 您已登录其他窗口", FormattableString.Invariant($"You are signed in to counter {Number}; sign out there first. 您已登录窗口 {Number}，请先退出。"));

public sealed record CounterDoesNotServe(long ServiceTypeId) : InvalidError(
    "service-type-not-served", "The counter does not serve this service type 该窗口不办理此业务", FormattableString.Invariant($"Service type {ServiceTypeId} is not served at your counter or needs a qualification you do not hold. 您的窗口不办理业务类型 {ServiceTypeId}，或您不具备所需资格。"));

/// <summary>The ticket is not in a state the action applies to (e.g. finishing a ticket still waiting).</summary>
public sealed record TicketWrongState(string Number, TicketStatus State) : ConflictError(
    "ticket-wrong-state", "The ticket cannot do that now 号票当前状态不允许此操作", $"Ticket {Number} is {State}. 号票 {Number} 当前状态为 {State}。");

public sealed record TicketNotAtYourCounter(string Number) : ConflictError(
    "ticket-not-at-your-counter", "The ticket is at another counter 号票不在您的窗口", $"Ticket {Number} was called by another counter. 号票 {Number} 由其他窗口叫号。");

public sealed record NoShowTooEarly(string Number, int Calls, int Needed) : ConflictError(
    "no-show-too-early", "Call the ticket again first 请先再次叫号", FormattableString.Invariant($"Ticket {Number} was called {Calls} time(s); a no-show needs {Needed}. 号票 {Number} 已叫 {Calls} 次，需叫满 {Needed} 次才能记为过号。"));

public sealed record QueueForbidden(string Reason) : ForbiddenError("forbidden", "You may not do this 无权执行此操作", Reason);

public sealed record QueueInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

public sealed record PrefixTaken(string Prefix) : ConflictError(
    "prefix-taken", "The letter is in use 字母已被使用", $"Another service type of the branch has the letter {Prefix}. 本网点另一业务类型已使用字母 {Prefix}。");

public sealed record CounterNumberTaken(int Number) : ConflictError(
    "counter-number-taken", "The counter number is in use 窗口号已被使用", FormattableString.Invariant($"The branch already has counter {Number}. 本网点已有窗口 {Number}。"));

/// <summary>No ticket has this public token (or it is malformed): the same answer either way.</summary>
public sealed record VirtualTicketNotFound() : NotFoundError(
    "not-found", "No such ticket 号票不存在", "This ticket link is not valid. 该号票链接无效。");
