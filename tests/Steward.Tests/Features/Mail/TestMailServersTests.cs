using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Mail;

/// <summary>The throwaway mail servers themselves: a message sent by SMTP arrives in the recipient's IMAP inbox.</summary>
public sealed class TestMailServersTests
{
    [Fact]
    public async Task MessageSentBySmtp_ArrivesInTheRecipientsImapInbox()
    {
        var servers = await TestMailServers.GetAsync();
        var user = servers.CreateUser("fixture");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("sender@example.org"));
        message.To.Add(MailboxAddress.Parse(TestMailServers.Address(user)));
        message.Subject = "你好 fixture";
        message.Body = new TextPart("plain") { Text = "body" };
        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync("127.0.0.1", servers.SmtpPort, SecureSocketOptions.None);
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }

        using var imap = new ImapClient();
        await imap.ConnectAsync("127.0.0.1", servers.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(user, TestMailServers.Password);
        await imap.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly);
        Assert.Equal(1, imap.Inbox.Count);
        var received = await imap.Inbox.GetMessageAsync(0);
        Assert.Equal("你好 fixture", received.Subject);
    }
}
