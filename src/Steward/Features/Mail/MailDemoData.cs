using Microsoft.EntityFrameworkCore;
using MimeKit;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>
/// The demo's mailboxes: one per branch on Shanghai time, at 127.0.0.1 where the demo runs no mail server. The first by code (BJ01) is enabled, so
/// its status shows what an unreachable server looks like after the first poll (a failure with the server's error, nothing
/// else stops); the others are disabled. A few e-mails go through the real poller's processor — a customer's question (matched
/// by the blind index), their answer to the acknowledgment on the same case, an HTML mail from a stranger, an out-of-office
/// reply that makes no case — so the e-mail cases and the mailbox page show real records on the first start.
/// </summary>
public static class MailDemoData
{
    /// <param name="withMail">false (the demo without case history): the mailboxes only, no e-mail cases.</param>
    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, bool withMail, CancellationToken ct)
    {
        var protector = services.GetRequiredService<PersonalDataProtector>();
        var branches = await db.Set<Branch>().AsNoTracking().Where(b => b.TimeZone == "Asia/Shanghai").OrderBy(b => b.Code).ToListAsync(ct);
        Mailbox? first = null;
        foreach (var branch in branches)
        {
            var code = branch.Code.ToLowerInvariant();
            var mailbox = new Mailbox
            {
                Address = $"service.{code}@bank.example", DisplayName = $"{branch.Name} 客户服务", BranchId = branch.Id,
                ImapHost = "127.0.0.1", ImapPort = 143, ImapSecurity = MailSecurity.None, ImapUser = $"service.{code}", ImapPasswordCipher = protector.Encrypt("demo-imap-" + code)!,
                Folder = "INBOX", SmtpHost = "127.0.0.1", SmtpPort = 25, SmtpSecurity = MailSecurity.None, SmtpUser = "", Enabled = first is null, CreatedAt = now.AddDays(-3),
            };
            db.Add(mailbox);
            first ??= mailbox;
        }

        await db.SaveChangesAsync(ct);
        if (first is null || !withMail)
        {
            return;
        }

        var customer = await db.Set<Customer>().AsNoTracking().Where(c => c.HomeBranchId == first.BranchId && c.EmailCipher != null).OrderBy(c => c.Id)
            .Select(c => new { c.Name, c.EmailCipher }).FirstOrDefaultAsync(ct);
        var customerAddress = protector.Decrypt(customer?.EmailCipher) ?? "li.lei@example.com";
        var processor = services.GetRequiredService<InboundMailProcessor>();
        long uid = 0;

        Task Take(MimeMessage message)
        {
            using var buffer = new MemoryStream();
            message.WriteTo(buffer);
            return processor.ProcessAsync(first, 1, ++uid, buffer.ToArray(), ct);
        }

        MimeMessage Mail(string fromName, string from, string subject, string id)
        {
            var m = new MimeMessage { Subject = subject, MessageId = id, Date = now.AddHours(-5) };
            m.From.Add(new MailboxAddress(fromName, from));
            m.To.Add(MailboxAddress.Parse(first.Address));
            return m;
        }

        var question = Mail(customer?.Name ?? "李雷", customerAddress, "信用卡账单分期咨询", "demo-question-1@example.com");
        question.Body = new TextPart("plain") { Text = "您好，我上月的信用卡账单 12,800 元，想申请分 6 期还款，请问手续费是多少？需要到网点办理吗？\n\n谢谢！" };
        await Take(question);

        var answer = Mail(customer?.Name ?? "李雷", customerAddress, "Re: 信用卡账单分期咨询", "demo-answer-2@example.com");
        answer.InReplyTo = question.MessageId;
        answer.References.Add(question.MessageId!);
        answer.Body = new TextPart("plain") { Text = "补充一下：卡号尾号 4821，最好本周内办好。\n\n> 您好，我上月的信用卡账单 12,800 元……" };
        await Take(answer);

        var html = Mail("Emma Clarke", "emma.clarke@example.co.uk", "Wire transfer to the UK — documents needed?", "demo-html-3@example.co.uk");
        html.Body = new TextPart("html")
        {
            Text = "<p>Hello,</p><p>I need to send <b>GBP 5,000</b> to my daughter in London. Which documents do I bring to the branch?</p><script>track()</script><p>Kind regards,<br>Emma</p>",
        };
        await Take(html);

        var away = Mail("Zhang Wei", "zhang.wei@example.com", "自动回复：不在办公室", "demo-auto-4@example.com");
        away.Headers.Add("Auto-Submitted", "auto-replied");
        away.Body = new TextPart("plain") { Text = "我 12 月 10 日前休假，期间不查看邮件。" };
        await Take(away);
    }
}
