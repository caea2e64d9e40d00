using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Steward.Features.Cases;
using Steward.Features.Mail;
using Steward.Features.Notifications;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Mail;

/// <summary>
/// E-mail in and out (issue 17, decision 0053) against real servers (<see cref="TestMailServers"/>: dovecot and an aiosmtpd SMTP
/// server delivering into dovecot's Maildirs). One app per database walks the whole story, so the app starts once: the mailbox
/// is set up by the API, mail sent by SMTP becomes a case once (polling again, and two nodes polling at once, make nothing more),
/// the agent's reply arrives in the customer's IMAP inbox with the reference and In-Reply-To, the customer's answer lands on the
/// same case and resumes it, automatic answers and bounces make no case, HTML loses its script, a 50 MB attachment is refused
/// with a reason while its mail still becomes a case, broken mail is rejected and the poller goes on. The poller's and the
/// outbox's timers are set to an hour: the test drives each pass.
/// </summary>
public sealed class MailTests
{
    private static Dictionary<string, string?> Settings() => new() { ["Mail:PollSeconds"] = "3600", ["Outbox:IntervalSeconds"] = "3600" };

    private static async Task<MailPollResult> PollAsync(StewardApp app, long mailboxId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailPoller>().PollAsync(mailboxId, default);
    }

    private static async Task SendAsync(TestMailServers servers, MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync("127.0.0.1", servers.SmtpPort, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private static MimeMessage Mail(string from, string to, string subject, string text, string? messageId = null)
    {
        var message = new MimeMessage { Subject = subject, MessageId = messageId ?? MimeKit.Utils.MimeUtils.GenerateMessageId("mail.test") };
        message.From.Add(new MailboxAddress("王小明", from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private static async Task<List<MimeMessage>> InboxAsync(TestMailServers servers, string user)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", servers.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(user, TestMailServers.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < imap.Inbox.Count; i++)
        {
            messages.Add(await imap.Inbox.GetMessageAsync(i));
        }

        return messages;
    }

    [Theory, BothDatabases]
    public async Task EmailInAndOut_OneCasePerMail_RepliesThreaded_AutomaticMailAndBouncesMakeNoCase(DatabaseProvider provider)
    {
        var servers = await TestMailServers.GetAsync();
        var bank = servers.CreateUser("bank");
        var customerUser = servers.CreateUser("cust");
        var bankAddress = TestMailServers.Address(bank);
        var customerAddress = TestMailServers.Address(customerUser);
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var customer = await app.CreateCustomerAsync(branch.Id, email: customerAddress);

        // The mailbox, by the API: administrators only; the password is never answered and not readable in the database.
        object Request(string imapHost = "127.0.0.1", string imapPassword = TestMailServers.Password, int? version = null) => new
        {
            address = bankAddress, displayName = "客户服务 Customer service", branchId = branch.Id,
            imapHost, imapPort = servers.ImapPort, imapSecurity = "None", imapUser = bank, imapPassword, folder = "INBOX",
            smtpHost = "127.0.0.1", smtpPort = servers.SmtpPort, smtpSecurity = "None", smtpUser = "", enabled = true, version,
        };
        var request = Request();
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/mailboxes", request)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/mailboxes")).StatusCode);
        var refused = await admin.PostAsJsonAsync("/api/v1/mailboxes", Request(imapHost: "mail.example.org"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("imapSecurity", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var created = await admin.PostAsJsonAsync("/api/v1/mailboxes", request);
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, createdText);
        var mailboxId = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetInt64();
        var read = await admin.GetStringAsync($"/api/v1/mailboxes/{mailboxId}");
        Assert.DoesNotContain(TestMailServers.Password, createdText + read + await admin.GetStringAsync("/api/v1/mailboxes"), StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(read).RootElement.GetProperty("imapPasswordSet").GetBoolean());
        var cipher = await app.WithDbAsync(db => db.Set<Mailbox>().Where(m => m.Id == mailboxId).Select(m => m.ImapPasswordCipher).SingleAsync());
        Assert.DoesNotContain(TestMailServers.Password, cipher, StringComparison.Ordinal);
        Assert.Equal(TestMailServers.Password, app.Services.GetRequiredService<PersonalDataProtector>().Decrypt(cipher));
        var audit = await app.AuditEntriesAsync("Mailbox", mailboxId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Single(audit);
        Assert.DoesNotContain(cipher, JsonSerializer.Serialize(audit), StringComparison.Ordinal);

        var test = JsonDocument.Parse(await (await admin.PostAsync($"/api/v1/mailboxes/{mailboxId}/test", null)).Content.ReadAsStringAsync()).RootElement;
        Assert.True(test.GetProperty("imapOk").GetBoolean(), test.ToString());
        Assert.True(test.GetProperty("smtpOk").GetBoolean(), test.ToString());
        Assert.Equal(0, test.GetProperty("imapMessages").GetInt32());

        // A mail by SMTP becomes one case, channel e-mail, of the customer matched by the blind index of the sender.
        await SendAsync(servers, Mail(customerAddress, bankAddress, "理财赎回问题", "请问赎回多久到账？\r\n谢谢。", "first-1@mail.test"));
        var first = await PollAsync(app, mailboxId);
        Assert.Equal(new MailPollResult(1, 1, 0, 0, 0, null), first);
        var c = await app.WithDbAsync(db => db.Set<Case>().AsNoTracking().SingleAsync());
        Assert.Equal(CaseChannel.Email, c.Channel);
        Assert.Equal("理财赎回问题", c.Subject);
        Assert.Equal("请问赎回多久到账？\n谢谢。", c.Description);
        Assert.Equal(customer.Id, c.CustomerId);
        Assert.Equal(new MailPollResult(0, 0, 0, 0, 0, null), await PollAsync(app, mailboxId));

        // Two nodes polling at once: the second mail is one case.
        await SendAsync(servers, Mail(customerAddress, bankAddress, "第二封", "又一个问题。", "second-2@mail.test"));
        await using (var node = app.StartSecondNode())
        {
            var both = await Task.WhenAll(PollAsync(app, mailboxId), PollAsync(node, mailboxId));
            Assert.Equal(1, both.Sum(r => r.Cases));
            Assert.Equal(0, both.Sum(r => r.NotCases));
            Assert.Equal(new MailPollResult(0, 0, 0, 0, 0, null), await PollAsync(node, mailboxId));
        }

        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<InboundMail>().CountAsync()));

        // The agent replies on the case page's path; the outbox sends by SMTP into the customer's inbox: the acknowledgment
        // (automatic) and the reply, each with the reference in its subject, the reply answering the customer's mail.
        var transitions = new[] { "Review", "Start" };
        var version = c.Version;
        foreach (var action in transitions)
        {
            var moved = await agent.PostAsJsonAsync($"/api/v1/cases/{c.Id}/transitions", new { action, version });
            var movedText = await moved.Content.ReadAsStringAsync();
            Assert.True(moved.IsSuccessStatusCode, movedText);
            version = JsonDocument.Parse(movedText).RootElement.GetProperty("version").GetInt32();
        }

        var reply = await agent.PostAsJsonAsync($"/api/v1/cases/{c.Id}/replies", new { body = "您好，赎回资金 T+1 到账。" });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        var wait = await agent.PostAsJsonAsync($"/api/v1/cases/{c.Id}/transitions", new { action = "WaitOnCustomer", version });
        Assert.True(wait.IsSuccessStatusCode, await wait.Content.ReadAsStringAsync());
        Assert.Null((await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(OutboxDeliveryJob.JobName)).Error);
        var outbox = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Channel == OutboxChannel.Email).OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(3, outbox.Count);
        Assert.All(outbox, m => Assert.NotNull(m.DeliveredAt));
        var inbox = await InboxAsync(servers, customerUser);
        Assert.Equal(3, inbox.Count);
        var acknowledgment = inbox.Single(m => m.Subject == $"[{c.Reference}] 我们已收到您的来信");
        Assert.Equal("auto-replied", acknowledgment.Headers["Auto-Submitted"]);
        var answer = inbox.Single(m => m.Subject == $"回复：[{c.Reference}] 理财赎回问题");
        Assert.Equal("first-1@mail.test", answer.InReplyTo);
        Assert.Contains("first-1@mail.test", answer.References);
        Assert.Equal(bankAddress, answer.From.Mailboxes.Single().Address);
        Assert.Equal("您好，赎回资金 T+1 到账。", answer.TextBody?.Trim());
        Assert.Null(answer.Headers["Auto-Submitted"]);

        // The customer answers that reply: a customer message on the same case, without the quote, and the case resumes.
        var back = Mail(customerAddress, bankAddress, "Re: " + answer.Subject, "谢谢，明白了。\r\n\r\n> 您好，赎回资金 T+1 到账。", "back-3@mail.test");
        back.InReplyTo = answer.MessageId;
        back.References.Add(answer.MessageId!);
        await SendAsync(servers, back);
        Assert.Equal(new MailPollResult(1, 0, 1, 0, 0, null), await PollAsync(app, mailboxId));
        var after = await app.WithDbAsync(db => db.Set<Case>().AsNoTracking().SingleAsync(x => x.Id == c.Id));
        Assert.Equal(CaseWaiting.None, after.Waiting);
        var customerMessage = await app.WithDbAsync(db => db.Set<CaseMessage>().AsNoTracking().SingleAsync(m => m.CaseId == c.Id && m.Visibility == MessageVisibility.Customer));
        Assert.Equal("谢谢，明白了。", customerMessage.Body);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        // An automatic answer and a bounce make no case and are never answered; the bounce flags the address it names.
        var auto = Mail("away@example.org", bankAddress, "Out of office", "I am away.");
        auto.Headers.Add("Auto-Submitted", "auto-replied");
        await SendAsync(servers, auto);
        var bounce = new MimeMessage { Subject = "Undelivered Mail Returned to Sender" };
        bounce.From.Add(new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@example.org"));
        bounce.To.Add(MailboxAddress.Parse(bankAddress));
        var report = new MultipartReport("delivery-status");
        report.Add(new TextPart("plain") { Text = "Your message could not be delivered." });
        var status = new MessageDeliveryStatus();
        status.StatusGroups.Add(new HeaderList { { "Reporting-MTA", "dns; mx.example.org" } });
        status.StatusGroups.Add(new HeaderList { { "Final-Recipient", "rfc822; gone@example.org" }, { "Action", "failed" }, { "Status", "5.1.1" } });
        report.Add(status);
        bounce.Body = report;
        await SendAsync(servers, bounce);
        Assert.Equal(new MailPollResult(2, 0, 0, 2, 0, null), await PollAsync(app, mailboxId));
        // (Two mails delivered in the same second: dovecot numbers them in either order.)
        var outcomes = await app.WithDbAsync(db => db.Set<InboundMail>().AsNoTracking().OrderBy(m => m.Id).Select(m => m.Outcome).ToListAsync());
        Assert.Equal([InboundMailOutcome.CaseCreated, InboundMailOutcome.CaseCreated, InboundMailOutcome.MessageAdded], outcomes[..3]);
        Assert.Equal([InboundMailOutcome.AutoReply, InboundMailOutcome.Bounce], outcomes[3..].Order());
        var goneIndex = app.Services.GetRequiredService<PersonalDataProtector>().BlindIndex("gone@example.org");
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<BouncedAddress>().Where(b => b.AddressIndex == goneIndex).Select(b => b.Bounces).SingleAsync()));
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Channel == OutboxChannel.Email)));

        // HTML is sanitised (no script); a 50 MB attachment is refused with the reason recorded, the mail still a case; a mail
        // without a sender and one that is no mail at all are rejected with a reason, and the poller goes on past them.
        var html = new MimeMessage { Subject = "HTML 邮件", MessageId = "html-4@mail.test" };
        html.From.Add(MailboxAddress.Parse("new.customer@example.org"));
        html.To.Add(MailboxAddress.Parse(bankAddress));
        html.Body = new TextPart("html") { Text = "<p>Hello <b>bank</b></p><script>alert('x')</script><img src=x onerror=alert(1)>" };
        await SendAsync(servers, html);
        var big = Mail("big@example.org", bankAddress, "大附件", "附件是对账单。", "big-5@mail.test");
        var pdf = new byte[50 * 1024 * 1024];
        "%PDF-1.4\n"u8.CopyTo(pdf);
        var builder = new BodyBuilder { TextBody = "附件是对账单。" };
        builder.Attachments.Add("statement.pdf", pdf, new ContentType("application", "pdf"));
        big.Body = builder.ToMessageBody();
        using (var buffer = new MemoryStream())
        {
            await big.WriteToAsync(buffer);
            servers.Drop(bank, buffer.ToArray());
        }

        servers.Drop(bank, Encoding.ASCII.GetBytes("Subject: nobody wrote this\r\nMessage-ID: <nosender-6@mail.test>\r\n\r\nNo From header.\r\n"));
        Assert.Equal(new MailPollResult(3, 2, 0, 1, 0, null), await PollAsync(app, mailboxId));
        var byId = (await app.WithDbAsync(db => db.Set<InboundMail>().AsNoTracking().Where(m => m.MessageId != null).ToListAsync())).ToDictionary(m => m.MessageId!);
        InboundMail[] records = [byId["html-4@mail.test"], byId["big-5@mail.test"], byId["nosender-6@mail.test"]];
        Assert.Equal([InboundMailOutcome.CaseCreated, InboundMailOutcome.CaseCreated, InboundMailOutcome.Rejected], records.Select(r => r.Outcome));
        Assert.DoesNotContain("script", records[0].HtmlBody!, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", records[0].HtmlBody!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<b>bank</b>", records[0].HtmlBody!, StringComparison.Ordinal);
        var htmlCase = await app.WithDbAsync(db => db.Set<Case>().AsNoTracking().SingleAsync(x => x.Id == records[0].CaseId));
        Assert.Equal("Hello bank", htmlCase.Description);
        Assert.Null(htmlCase.CustomerId);
        Assert.Contains("statement.pdf", records[1].Reason!, StringComparison.Ordinal);
        Assert.Contains("10 MB", records[1].Reason!, StringComparison.Ordinal);
        Assert.Equal("附件是对账单。", await app.WithDbAsync(db => db.Set<Case>().Where(x => x.Id == records[1].CaseId).Select(x => x.Description).SingleAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<CaseAttachment>().CountAsync(a => a.CaseId == records[1].CaseId)));
        Assert.Null(records[2].CaseId);
        Assert.Contains("No sender", records[2].Reason!, StringComparison.Ordinal);
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        // The mailbox shows how its last pass went; a mailbox whose server refuses the login gets the failure, not an exception.
        var polled = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/mailboxes/{mailboxId}")).RootElement;
        Assert.Equal("Ok", polled.GetProperty("lastPollStatus").GetString());
        var wrong = await admin.PutAsJsonAsync($"/api/v1/mailboxes/{mailboxId}", Request(imapPassword: "wrong", version: polled.GetProperty("version").GetInt32()));
        Assert.True(wrong.IsSuccessStatusCode, await wrong.Content.ReadAsStringAsync());
        var failed = await PollAsync(app, mailboxId);
        Assert.NotNull(failed.Error);
        Assert.Equal("Failed", JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/mailboxes/{mailboxId}")).RootElement.GetProperty("lastPollStatus").GetString());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
