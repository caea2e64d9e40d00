using Microsoft.EntityFrameworkCore;
using MimeKit;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Database;

namespace Steward.Features.Mail;

/// <summary>
/// The outbox's sender (decision 0053): e-mail goes out by SMTP (MailKit) through the mailbox of the case's team or branch, or the
/// configured default; a failure throws, so the outbox's back-off retries it. An e-mail about no case (staff notices) with no
/// default mailbox configured, and every other channel, is written to the log as before (no SMS gateway is configured).
/// </summary>
public sealed class MailOutboxSender(StewardDbContext db, MailOutbox outbox, MailConnections connections, TimeProvider time, ILogger<MailOutboxSender> logger)
    : IOutboxSender
{
    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        if (message.Channel != OutboxChannel.Email)
        {
            logger.LogInformation("Outbox {Channel} to {Recipient}: {Subject}", message.Channel, message.Recipient, message.Subject);
            return;
        }

        var c = message.CaseId is { } caseId
            ? await db.Set<Case>().AsNoTracking().Where(x => x.Id == caseId).Select(x => new { x.TeamId, x.BranchId }).SingleOrDefaultAsync(cancellationToken)
            : null;
        var mailbox = await outbox.MailboxForAsync(c?.TeamId, c?.BranchId, cancellationToken);
        if (mailbox is null)
        {
            if (message.CaseId is null)
            {
                logger.LogInformation("Outbox {Channel} to {Recipient}: {Subject} (no mailbox configured)", message.Channel, message.Recipient, message.Subject);
                return;
            }

            throw new InvalidOperationException("No enabled mailbox sends for the case's team or branch. 案件所属团队或机构没有可用的邮箱。");
        }

        using var smtp = await connections.OpenSmtpAsync(mailbox, cancellationToken);
        await smtp.SendAsync(Compose(message, mailbox, time.GetUtcNow()), cancellationToken);
        await smtp.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>The MIME message of an outbox e-mail: plain UTF-8 text, the recorded Message-ID and threading headers.</summary>
    public static MimeMessage Compose(OutboxMessage message, Mailbox mailbox, DateTimeOffset now)
    {
        var mime = new MimeMessage { Subject = message.Subject, Date = now, MessageId = message.MessageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId() };
        mime.From.Add(new MailboxAddress(mailbox.DisplayName, mailbox.Address));
        mime.To.Add(MailboxAddress.Parse(message.Recipient));
        if (message.InReplyTo is { } inReplyTo)
        {
            mime.InReplyTo = inReplyTo;
        }

        foreach (var id in (message.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            mime.References.Add(id.Trim('<', '>'));
        }

        if (message.AutoSubmitted)
        {
            mime.Headers.Add("Auto-Submitted", "auto-replied");
        }

        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        return mime;
    }
}

/// <summary>An agent's public reply on an e-mail case goes to the customer by e-mail, in the reply's transaction.</summary>
public sealed class MailCaseObserver(StewardDbContext db, MailOutbox outbox) : ICaseLifecycleObserver
{
    public Task OnCreatedAsync(Case @case, CancellationToken ct) => Task.CompletedTask;

    public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => Task.CompletedTask;

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) => Task.CompletedTask;

    public async Task OnRepliedAsync(Case @case, DateTimeOffset at, CancellationToken ct)
    {
        if (@case.Channel != CaseChannel.Email)
        {
            return;
        }

        var id = @case.Id;
        var body = await db.Set<CaseMessage>().AsNoTracking().Where(m => m.CaseId == id && m.Visibility == MessageVisibility.Public)
            .OrderByDescending(m => m.Id).Select(m => m.Body).FirstOrDefaultAsync(ct);
        if (body is not null)
        {
            await outbox.ReplyAsync(@case, body, ct);
        }
    }
}
