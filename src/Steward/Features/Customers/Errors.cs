using Steward.Platform.Problems;

namespace Steward.Features.Customers;

// The expected failures of the customer file, mapped to problem details by Problems.From. Texts "English 中文".

/// <summary>No customer with that id in the caller's scope (a customer of another branch is answered the same way).</summary>
public sealed record CustomerNotFound(long Id) : NotFoundError(
    "not-found", "No such customer 客户不存在", FormattableString.Invariant($"Customer {Id} does not exist. 客户不存在。"));

/// <summary>Fields of a customer file are not valid; each message is at its field.</summary>
public sealed record CustomerInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>The caller's roles do not include what the operation needs.</summary>
public sealed record CustomerActionForbidden() : ForbiddenError(
    "forbidden", "Not allowed 无权操作", "Your roles do not allow this on customer files. 您的角色无权进行此操作。");

/// <summary>Revealing personal data needs PersonalDataReveal.</summary>
public sealed record CustomerRevealForbidden() : ForbiddenError(
    "personal-data-forbidden", "Not allowed to reveal personal data 无权查看完整个人信息",
    "Your roles do not include revealing personal data. 您的角色不含查看完整个人信息的权限。");
