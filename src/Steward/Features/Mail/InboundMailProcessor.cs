using System.Globalization;
using System.Text;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Steward.Features.Cases;
using Steward.Features.Cases.Public;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>
/// What one message read from a mailbox becomes (decision 0053), recorded in <c>mail_inbound</c> in the same transaction as what
/// it does: a new case (channel e-mail, the plain text kept, the HTML sanitised), a customer message on the case it answers
/// (In-Reply-To/References naming a mail of the case, or its reference in the subject from the case's own contact) — which
/// resumes a case waiting on the customer, by the status page's own path — or, recorded without a case, an automatic answer, a
/// bounce (its address flagged), a duplicate or a rejected message (malformed, no sender). The unique (mailbox, UIDVALIDITY, UID)
/// makes it once: the second of two nodes, or a retry after a crash before the commit, is refused by the index and skips.
/// </summary>
public sealed class InboundMailProcessor(
    StewardDbContext db,
    TimeProvider time,
    PersonalDataProtector protector,
    CaseCreation creation,
    PublicCaseReplies replies,
    CaseConversation conversation,
    MailOutbox outbox,
    ILogger<InboundMailProcessor> logger)
{
    public const string EmailActor = "Customer (e-mail) 客户（电子邮件）";

    private static readonly UniqueIndex Once = new("mail_inbound", "ix_mail_inbound_mailbox_id_uid_validity_uid", "mailbox_id", "uid_validity", "uid");

    /// <summary>Acts on the raw message; null when another node (or an earlier pass) has recorded it already.</summary>
    public async Task<InboundMailOutcome?> ProcessAsync(Mailbox mailbox, long uidValidity, long uid, byte[] raw, CancellationToken ct)
    {
        var record = new InboundMail { MailboxId = mailbox.Id, UidValidity = uidValidity, Uid = uid, Size = raw.Length, ReceivedAt = time.GetUtcNow() };
        try
        {
            return await ActAsync(mailbox, record, raw, ct);
        }
        catch (DbUpdateException e) when (Once.IsViolatedBy(e))
        {
            db.ChangeTracker.Clear();
            logger.LogInformation("Mail {Uid} of mailbox {Mailbox} was taken by another node", uid, mailbox.Id);
            return null;
        }
    }

    private async Task<InboundMailOutcome> ActAsync(Mailbox mailbox, InboundMail record, byte[] raw, CancellationToken ct)
    {
        MimeMessage message;
        try
        {
            message = await MimeMessage.LoadAsync(new MemoryStream(raw), ct);
        }
        catch (FormatException e)
        {
            return await RecordAsync(record, InboundMailOutcome.Rejected, $"Malformed message: {e.Message} 邮件格式错误。", ct);
        }

        record.MessageId = Clip(message.MessageId, 400);
        record.Subject = Clip(message.Subject, 400);
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        if (from is null || from.Address.IndexOf('@', StringComparison.Ordinal) < 1)
        {
            return await RecordAsync(record, InboundMailOutcome.Rejected, "No sender (From). 没有发件人。", ct);
        }

        var sender = from.Address.Trim();
        record.SenderCipher = protector.Encrypt(sender);
        record.SenderIndex = protector.BlindIndex(sender);

        if (record.MessageId is { } messageId && await db.Set<InboundMail>().AnyAsync(m => m.MailboxId == mailbox.Id && m.MessageId == messageId, ct))
        {
            return await RecordAsync(record, InboundMailOutcome.Duplicate, "This Message-ID was read before. 此邮件此前已读取。", ct);
        }

        if (BounceOf(message, sender) is { } bounced)
        {
            await FlagAsync(bounced, ct);
            return await RecordAsync(record, InboundMailOutcome.Bounce, bounced.Count == 0 ? "Delivery report naming no address. 退信未注明地址。" : null, ct);
        }

        if (AutoReasonOf(message) is { } auto)
        {
            return await RecordAsync(record, InboundMailOutcome.AutoReply, auto, ct);
        }

        if (await db.Set<Mailbox>().AnyAsync(m => m.Address == sender, ct))
        {
            // A loop: Steward does not take mail from its own mailboxes.
            return await RecordAsync(record, InboundMailOutcome.AutoReply, "Sent by one of Steward's own mailboxes. 发件人为本系统的邮箱。", ct);
        }

        string? html = null;
        if (message.HtmlBody is { } rawHtml)
        {
            html = new HtmlSanitizer().Sanitize(rawHtml);
            record.HtmlBody = Clip(html, 200000);
        }

        var text = Clean(message.TextBody ?? (html is null ? null : TextOf(html)));
        var (files, refused) = await AttachmentsAsync(message, ct);
        record.Reason = refused.Count == 0 ? null : Clip(string.Join(" ", refused), 2000);

        var target = await AnsweredCaseAsync(message, record.SenderIndex!, ct);
        if (target is not null && !CaseLifecycle.IsFinal(target.Status))
        {
            var body = Clip(WithoutQuote(text), 20000) is { Length: > 0 } b ? b : "(no text 无正文)";
            var failed = await replies.AddCustomerMessageAsync(target, new CaseActor(null, EmailActor), body, files, async (m, t) =>
            {
                record.Outcome = InboundMailOutcome.MessageAdded;
                record.CaseId = target.Id;
                record.CaseMessageId = m.Id;
                db.Add(record);
                await db.SaveChangesAsync(t);
            }, ct);
            if (failed is not null)
            {
                throw new InvalidOperationException($"The message could not be added to case {target.Reference}: {failed.Detail}");
            }

            return InboundMailOutcome.MessageAdded;
        }

        return await CreateCaseAsync(mailbox, record, message, from, sender, text, files, ct);
    }

    private async Task<InboundMailOutcome> CreateCaseAsync(Mailbox mailbox, InboundMail record, MimeMessage message, MailboxAddress from, string sender, string text,
        IReadOnlyList<(string? FileName, AttachmentUpload Upload)> files, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().Where(c => c.EmailIndex == record.SenderIndex)
            .OrderBy(c => c.HomeBranchId == mailbox.BranchId ? 0 : 1).ThenBy(c => c.Id).FirstOrDefaultAsync(ct);
        var name = Clip(string.IsNullOrWhiteSpace(from.Name) ? sender[..sender.IndexOf('@', StringComparison.Ordinal)] : from.Name.Trim(), 100)!;
        var subject = Clip(Clean(message.Subject), 200) is { Length: > 0 } s ? s : "(no subject 无主题)";
        var description = Clip(text, 20000) is { Length: > 0 } d ? d : "(no text 无正文)";
        var actor = new CaseActor(null, EmailActor);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var deferred = db.DeferAudit();
        try
        {
            // The record first: of two nodes, the second waits here for the first's commit and is refused by the unique index.
            record.Outcome = InboundMailOutcome.Rejected;
            db.Add(record);
            await db.SaveChangesAsync(ct);
            var created = await creation.CreateCoreAsync(
                new CaseCreateRequest(CaseKind.Consultation, CaseChannel.Email, subject, description, mailbox.BranchId, Contact: new CaseContactInput(name, null, sender)),
                actor, scope: null, ct, customer);
            if (!created.Succeeded)
            {
                record.Reason = Clip($"{created.Error.Detail} {string.Join(" ", (created.Error as Platform.Problems.InvalidError)?.Fields?.SelectMany(e => e.Value) ?? [])}", 2000);
            }
            else
            {
                var c = created.Value;
                foreach (var (fileName, upload) in files)
                {
                    await conversation.AddUploadAsync(c, actor, fileName, upload, time.GetUtcNow(), ct);
                }

                record.Outcome = InboundMailOutcome.CaseCreated;
                record.CaseId = c.Id;
                await db.SaveChangesAsync(ct);
                await outbox.AcknowledgeAsync(c, ct);
            }

            await db.SaveChangesAsync(ct);
            if (deferred)
            {
                await db.FlushAuditAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return record.Outcome;
        }
        finally
        {
            if (deferred)
            {
                db.EndDeferredAudit();
            }
        }
    }

    private async Task<InboundMailOutcome> RecordAsync(InboundMail record, InboundMailOutcome outcome, string? reason, CancellationToken ct)
    {
        record.Outcome = outcome;
        record.Reason = reason is null ? record.Reason : Clip(reason, 2000);
        db.Add(record);
        await db.SaveChangesAsync(ct);
        return outcome;
    }

    /// <summary>
    /// The case this mail answers: one whose mail (a customer's, or one Steward sent) In-Reply-To or References names — a
    /// Message-ID nobody can guess — else the case whose reference is in the subject, when the sender is that case's contact or
    /// customer (a reference alone is printed on letters and guessable: it does not let a stranger write on someone's case).
    /// </summary>
    private async Task<Case?> AnsweredCaseAsync(MimeMessage message, string senderIndex, CancellationToken ct)
    {
        var ids = message.References.Append(message.InReplyTo).Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct().ToList();
        long? caseId = null;
        if (ids.Count > 0)
        {
            caseId = await db.Set<OutboxMessage>().Where(m => m.MessageId != null && ids.Contains(m.MessageId) && m.CaseId != null).OrderByDescending(m => m.Id)
                .Select(m => m.CaseId).FirstOrDefaultAsync(ct)
                ?? await db.Set<InboundMail>().Where(m => m.MessageId != null && ids.Contains(m.MessageId) && m.CaseId != null).OrderByDescending(m => m.Id)
                    .Select(m => m.CaseId).FirstOrDefaultAsync(ct);
        }

        if (caseId is { } byHeader)
        {
            return await db.Set<Case>().SingleOrDefaultAsync(c => c.Id == byHeader, ct);
        }

        if (MailOutbox.SubjectReference().Match(message.Subject ?? "") is { Success: true } match)
        {
            var reference = match.Groups[1].Value;
            var c = await db.Set<Case>().SingleOrDefaultAsync(x => x.Reference == reference, ct);
            if (c is not null && (c.ContactEmailIndex == senderIndex
                || (c.CustomerId is { } customerId && await db.Set<Customer>().AnyAsync(x => x.Id == customerId && x.EmailIndex == senderIndex, ct))))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Each attachment through the case attachment rules (size, kind read from the bytes); the refused ones with why.</summary>
    private async Task<(List<(string? FileName, AttachmentUpload Upload)> Files, List<string> Refused)> AttachmentsAsync(MimeMessage message, CancellationToken ct)
    {
        var files = new List<(string?, AttachmentUpload)>();
        var refused = new List<string>();
        foreach (var part in message.Attachments.OfType<MimePart>().Where(p => p.Content is not null))
        {
            var name = AttachmentRules.SanitizeFileName(part.FileName);
            using var content = new MemoryStream();
            await part.Content!.DecodeToAsync(content, ct);
            content.Position = 0;
            var read = await conversation.ReadUploadAsync(content, content.Length, ct);
            if (read.Succeeded)
            {
                files.Add((part.FileName, read.Value));
            }
            else
            {
                var en = OneLanguage.Pick(read.Error.Detail, CultureInfo.GetCultureInfo("en"));
                var zh = OneLanguage.Pick(read.Error.Detail, CultureInfo.GetCultureInfo("zh-CN"));
                refused.Add($"Attachment {name} ({content.Length} bytes) refused: {en} 附件 {name}（{content.Length} 字节）未接收：{zh}");
            }
        }

        return (files, refused);
    }

    /// <summary>The addresses a delivery status report names as failed (null when the message is no bounce).</summary>
    private static List<string>? BounceOf(MimeMessage message, string sender)
    {
        var local = sender[..sender.IndexOf('@', StringComparison.Ordinal)];
        var report = message.Body as MultipartReport ?? message.BodyParts.OfType<MultipartReport>().FirstOrDefault();
        var isReport = report is not null && string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase);
        if (!isReport && !string.Equals(local, "mailer-daemon", StringComparison.OrdinalIgnoreCase) && !string.Equals(local, "postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var addresses = new List<string>();
        foreach (var status in message.BodyParts.OfType<MessageDeliveryStatus>())
        {
            foreach (var group in status.StatusGroups.Skip(1))
            {
                var recipient = group["Final-Recipient"] ?? group["Original-Recipient"];
                var semicolon = recipient?.IndexOf(';', StringComparison.Ordinal) ?? -1;
                var address = semicolon >= 0 ? recipient![(semicolon + 1)..].Trim() : recipient?.Trim();
                if (!string.IsNullOrEmpty(address) && address.Contains('@', StringComparison.Ordinal))
                {
                    addresses.Add(address);
                }
            }
        }

        return addresses;
    }

    /// <summary>Why a message is an automatic one (RFC 3834 Auto-Submitted, the common X-Autoreply/X-Autorespond, Precedence), or null.</summary>
    private static string? AutoReasonOf(MimeMessage message)
    {
        var submitted = message.Headers["Auto-Submitted"]?.Trim();
        if (!string.IsNullOrEmpty(submitted) && !submitted.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Automatic mail (Auto-Submitted: {Clip(submitted, 100)}). 自动发送的邮件。";
        }

        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond"))
        {
            return "Automatic reply (X-Autoreply). 自动回复邮件。";
        }

        var precedence = message.Headers["Precedence"]?.Trim();
        return precedence is not null && (precedence.Equals("bulk", StringComparison.OrdinalIgnoreCase) || precedence.Equals("auto_reply", StringComparison.OrdinalIgnoreCase)
            || precedence.Equals("junk", StringComparison.OrdinalIgnoreCase))
            ? $"Bulk or automatic mail (Precedence: {Clip(precedence, 100)}). 群发或自动发送的邮件。"
            : null;
    }

    private async Task FlagAsync(IReadOnlyList<string> addresses, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var address in addresses.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var index = protector.BlindIndex(address)!;
            var row = await db.Set<BouncedAddress>().SingleOrDefaultAsync(b => b.AddressIndex == index, ct)
                ?? db.Add(new BouncedAddress { AddressIndex = index, AddressCipher = protector.Encrypt(address)!, FirstBouncedAt = now }).Entity;
            row.Bounces++;
            row.LastBouncedAt = now;
            row.LastReason = "Delivery status report 退信";
        }
    }

    /// <summary>The text of sanitised HTML (the tags gone, block ends as line breaks).</summary>
    private static string TextOf(string html)
    {
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        foreach (var br in document.QuerySelectorAll("br, p, div, li, tr"))
        {
            br.After(document.CreateTextNode("\n"));
        }

        return document.Body?.TextContent ?? "";
    }

    /// <summary>Line breaks as \n, tabs kept, every other control character dropped (the database refuses them), trimmed.</summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))
        {
            if (ch is '\n' or '\t' || !char.IsControl(ch))
            {
                sb.Append(ch);
            }
        }

        return sb.ToString().Trim();
    }

    /// <summary>An answer without the quoted mail under it (lines starting with "&gt;", and the "On … wrote:" line before them).</summary>
    private static string WithoutQuote(string text)
    {
        var lines = text.Split('\n').Where(l => !l.StartsWith('>')).ToList();
        while (lines.Count > 0 && (lines[^1].Trim().Length == 0 || lines[^1].TrimEnd().EndsWith("wrote:", StringComparison.OrdinalIgnoreCase) || lines[^1].TrimEnd().EndsWith("写道：", StringComparison.Ordinal)))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return string.Join('\n', lines).Trim();
    }

    private static string? Clip(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];
}
