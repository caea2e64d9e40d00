using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>
/// E-mails about a case, written to the outbox in the caller's unit of work (the SMTP sender delivers them with the outbox's
/// retries): the agent's reply and the acknowledgment of a new case. Each carries the case reference in its subject
/// (<c>[SV-20261123-000001]</c>), a Message-ID fixed now (every retry sends the same one; an answer to it finds the case), and
/// In-Reply-To/References naming the customer's last message; it is written in the customer's language.
/// </summary>
public sealed partial class MailOutbox(StewardDbContext db, PersonalDataProtector protector, TimeProvider time, IOptions<MailOptions> options)
{
    /// <summary>A case reference in brackets, as Steward's subjects carry it.</summary>
    [GeneratedRegex(@"\[([A-Z][A-Z0-9]{0,9}-\d{8}-\d{6})\]", RegexOptions.CultureInvariant)]
    public static partial Regex SubjectReference();

    /// <summary>The acknowledgment of a case created from an e-mail: automatic, so it says <c>Auto-Submitted: auto-replied</c>.</summary>
    public Task<bool> AcknowledgeAsync(Case c, CancellationToken ct) => EnqueueAsync(c, english =>
        english
            ? ($"[{c.Reference}] We have received your message", $"Thank you for writing to us. Your message is case {c.Reference}; we will answer you by e-mail.\n\nTo add anything, reply to this e-mail and keep {c.Reference} in the subject.")
            : ($"[{c.Reference}] 我们已收到您的来信", $"感谢您的来信。您的留言已登记为案件 {c.Reference}，我们将通过电子邮件答复您。\n\n如需补充，请直接回复本邮件，并保留主题中的 {c.Reference}。"),
        autoSubmitted: true, ct);

    /// <summary>An agent's reply to the customer on an e-mail case.</summary>
    public Task<bool> ReplyAsync(Case c, string body, CancellationToken ct) =>
        EnqueueAsync(c, english => (english ? $"Re: [{c.Reference}] {c.Subject}" : $"回复：[{c.Reference}] {c.Subject}", body), autoSubmitted: false, ct);

    /// <summary>
    /// The mailbox that sends for a case: an enabled one of its team, else of its branch (one for the whole branch first), else
    /// <see cref="MailOptions.DefaultMailboxId"/>; null when there is none.
    /// </summary>
    public async Task<Mailbox?> MailboxForAsync(long? teamId, long? branchId, CancellationToken ct)
    {
        var candidates = await db.Set<Mailbox>().AsNoTracking()
            .Where(m => m.Enabled && ((teamId != null && m.TeamId == teamId) || (branchId != null && m.BranchId == branchId) || m.Id == options.Value.DefaultMailboxId))
            .ToListAsync(ct);
        return candidates.OrderBy(m => teamId is not null && m.TeamId == teamId ? 0 : m.BranchId == branchId && m.TeamId is null ? 1 : m.BranchId == branchId ? 2 : 3)
            .ThenBy(m => m.Id).FirstOrDefault();
    }

    private async Task<bool> EnqueueAsync(Case c, Func<bool, (string Subject, string Body)> text, bool autoSubmitted, CancellationToken ct)
    {
        var recipient = protector.Decrypt(c.ContactEmailCipher);
        if (recipient is null && c.CustomerId is { } customerId)
        {
            recipient = protector.Decrypt(await db.Set<Customer>().Where(x => x.Id == customerId).Select(x => x.EmailCipher).SingleOrDefaultAsync(ct));
        }

        if (recipient is null)
        {
            return false;
        }

        // An address a delivery report said takes no mail is not written to again (no backscatter, no retries to nowhere).
        var index = protector.BlindIndex(recipient);
        if (await db.Set<BouncedAddress>().AnyAsync(b => b.AddressIndex == index, ct))
        {
            return false;
        }

        var english = await CustomerLanguages.ForAsync(db, c.CustomerId, c.BranchId, ct) == "en";
        var (subject, body) = text(english);
        var mailbox = await MailboxForAsync(c.TeamId, c.BranchId, ct);
        var domain = mailbox?.Address[(mailbox.Address.IndexOf('@', StringComparison.Ordinal) + 1)..] ?? "steward.invalid";

        // The thread so far, oldest first: the customer's mails and Steward's own.
        var inbound = await db.Set<InboundMail>().AsNoTracking()
            .Where(m => m.CaseId == c.Id && m.MessageId != null && (m.Outcome == InboundMailOutcome.CaseCreated || m.Outcome == InboundMailOutcome.MessageAdded))
            .Select(m => new { m.ReceivedAt, m.MessageId }).ToListAsync(ct);
        var outbound = await db.Set<OutboxMessage>().AsNoTracking().Where(m => m.CaseId == c.Id && m.MessageId != null)
            .Select(m => new { ReceivedAt = m.CreatedAt, m.MessageId }).ToListAsync(ct);
        var lastCustomer = inbound.OrderBy(m => m.ReceivedAt).LastOrDefault()?.MessageId;
        var thread = inbound.Concat(outbound).OrderBy(m => m.ReceivedAt).Select(m => m.MessageId!).TakeLast(10).ToList();
        var now = time.GetUtcNow();
        db.Add(new OutboxMessage
        {
            Channel = OutboxChannel.Email, Recipient = recipient, Subject = subject.Length > 400 ? subject[..400] : subject, Body = body, CreatedAt = now, NextAttemptAt = now,
            CaseId = c.Id, MessageId = $"{Guid.NewGuid():N}@{domain}", InReplyTo = lastCustomer,
            References = thread.Count == 0 ? null : string.Join(' ', thread.Select(id => $"<{id}>")), AutoSubmitted = autoSubmitted,
        });
        return true;
    }
}
