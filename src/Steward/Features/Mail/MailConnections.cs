using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>Connections to a mailbox's servers with MailKit: its security mode, its login (the password decrypted only here), a timeout.</summary>
public sealed class MailConnections(PersonalDataProtector protector, IOptions<MailOptions> options)
{
    public async Task<ImapClient> OpenImapAsync(Mailbox mailbox, CancellationToken ct)
    {
        var client = new ImapClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(mailbox.ImapHost, mailbox.ImapPort, Options(mailbox.ImapSecurity), ct);
            await client.AuthenticateAsync(mailbox.ImapUser, protector.Decrypt(mailbox.ImapPasswordCipher) ?? "", ct);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task<SmtpClient> OpenSmtpAsync(Mailbox mailbox, CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = options.Value.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(mailbox.SmtpHost, mailbox.SmtpPort, Options(mailbox.SmtpSecurity), ct);
            if (mailbox.SmtpUser.Length > 0)
            {
                await client.AuthenticateAsync(mailbox.SmtpUser, protector.Decrypt(mailbox.SmtpPasswordCipher) ?? "", ct);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static SecureSocketOptions Options(MailSecurity security) => security switch
    {
        MailSecurity.StartTls => SecureSocketOptions.StartTls,
        MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    /// <summary>What a mail server or the network can do to a connection: refused, timed out, TLS failed, login refused, a protocol error.</summary>
    public static bool IsConnectionFailure(Exception e) =>
        e is SocketException or IOException or TimeoutException or AuthenticationException or SslHandshakeException or ProtocolException or CommandException
            or ImapProtocolException or SmtpProtocolException or FolderNotFoundException or OperationCanceledException or InvalidOperationException;

    /// <summary>The failure in a line for the mailbox's status (the server's own words where it gave some).</summary>
    public static string Describe(Exception e)
    {
        var text = e switch
        {
            SocketException s => $"{s.SocketErrorCode}: {s.Message}",
            _ => e.Message,
        };
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 500 ? text[..500] : text;
    }

    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}
