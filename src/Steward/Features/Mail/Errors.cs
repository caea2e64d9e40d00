using Steward.Platform.Problems;

namespace Steward.Features.Mail;

// The expected failures of mailboxes, mapped to problem details by Problems.From. Texts "English 中文".

public sealed record MailboxInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "The mailbox is not valid 邮箱设置有误", "Correct the marked fields. 请更正标出的字段。", Errors);

public sealed record MailboxNotFound() : NotFoundError(
    "mailbox-not-found", "No such mailbox 邮箱不存在", "There is no such mailbox. 没有此邮箱。");
