using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

// Compiled into the tests and, linked, into the bench (its mail scenario); each in its own namespace, since the tests reference the bench.
#if STEWARD_BENCH
namespace Steward.Bench.Environment;
#else
namespace Steward.Tests.Infrastructure;
#endif

/// <summary>
/// Real mail servers for the e-mail tests (issue 17), started once per test process on free 127.0.0.1 ports and stopped when it
/// ends, the way <c>test.sh</c> starts PostgreSQL: Debian's <b>dovecot</b> (IMAP, plain-text login allowed on loopback, users in a
/// passwd-file, Maildir under a temporary folder) and an SMTP server made of <c>python3-aiosmtpd</c>'s Controller that delivers
/// each message into the recipient's dovecot Maildir (<c>new/</c>), so that what Steward sends shows up in the recipient's IMAP
/// mailbox. Every test makes its own users (<see cref="CreateUser"/>): the passwd-file is re-read by dovecot when it changes, so
/// tests never see each other's mail. Nothing is faked in memory.
/// </summary>
public sealed class TestMailServers
{
    public const string Password = "Mail!2026";

    /// <summary>The domain of every test address: <c>user@mail.test</c> is delivered to the dovecot user <c>user</c>.</summary>
    public const string Domain = "mail.test";

    private static readonly Lazy<Task<TestMailServers>> Shared = new(StartAsync);

    private static readonly Lock UsersLock = new();

    /// <summary>rwxrwxrwx: dovecot's mail account and the SMTP script (another account) both write in the Maildir folders.</summary>
    private const UnixFileMode OpenToAll = (UnixFileMode)0x1FF;

    private readonly string root;

    private TestMailServers(string root, int imapPort, int smtpPort)
    {
        this.root = root;
        ImapPort = imapPort;
        SmtpPort = smtpPort;
    }

    public int ImapPort { get; }

    public int SmtpPort { get; }

    public static Task<TestMailServers> GetAsync() => Shared.Value;

    /// <summary>A new mail user with an empty inbox; its address is <c>{name}@mail.test</c>, its password <see cref="Password"/>.</summary>
    public string CreateUser(string prefix)
    {
        var name = prefix + "-" + Guid.NewGuid().ToString("N")[..10];
        foreach (var dir in new[] { Path.Combine(root, "mail", name), MaildirOf(name), Path.Combine(MaildirOf(name), "new"), Path.Combine(MaildirOf(name), "cur"), Path.Combine(MaildirOf(name), "tmp") })
        {
            Directory.CreateDirectory(dir);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(dir, OpenToAll);
            }
        }

        lock (UsersLock)
        {
            File.AppendAllText(Path.Combine(root, "users"), $"{name}:{{PLAIN}}{Password}::::::\n");
        }

        return name;
    }

    public static string Address(string user) => user + "@" + Domain;

    /// <summary>Drops a raw message straight into a user's Maildir (as a local delivery agent would): for a message too big to send quickly.</summary>
    public void Drop(string user, byte[] message)
    {
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Guid.NewGuid():N}.steward-test";
        var tmp = Path.Combine(MaildirOf(user), "tmp", name);
        File.WriteAllBytes(tmp, message);
        File.Move(tmp, Path.Combine(MaildirOf(user), "new", name));
    }

    private string MaildirOf(string user) => Path.Combine(root, "mail", user, "Maildir");

    private static async Task<TestMailServers> StartAsync()
    {
        var root = Directory.CreateTempSubdirectory("steward-mail-").FullName;
        foreach (var sub in new[] { "run", "state", "mail" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(root, OpenToAll);
            File.SetUnixFileMode(Path.Combine(root, "mail"), OpenToAll);
        }

        File.WriteAllText(Path.Combine(root, "users"), "");
        var imapPort = FreePort();
        var smtpPort = FreePort();
        // Dovecot will not run a mail process as root: as root (CI), the mail belongs to its own "dovecot" account and the folders
        // are open to all (the SMTP script, running as root, drops files in them).
        var user = Id("-un");
        var (uid, gid) = user == "root" ? (Id("-u", "dovecot"), Id("-g", "dovecot")) : (Id("-u"), Id("-g"));
        var config = $$"""
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            log_path = {{root}}/dovecot.log
            protocols = imap
            listen = 127.0.0.1
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            first_valid_uid = 0
            first_valid_gid = 0
            default_internal_user = {{(user == "root" ? "dovecot" : user)}}
            default_login_user = {{(user == "root" ? "dovenull" : user)}}
            mail_location = maildir:~/Maildir
            mail_fsync = never
            passdb {
              driver = passwd-file
              args = {{root}}/users
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{root}}/mail/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{imapPort}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """;
        var configPath = Path.Combine(root, "dovecot.conf");
        File.WriteAllText(configPath, config);
        var dovecot = Start("dovecot", ["-F", "-c", configPath]);

        var script = Path.Combine(root, "smtp.py");
        File.WriteAllText(script, SmtpScript);
        var smtp = Start("/usr/bin/python3", [script, smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(root, "mail"), Domain]);

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var p in new[] { dovecot, smtp })
            {
                try
                {
                    p.Kill(entireProcessTree: true);
                    p.WaitForExit(2000);
                }
#pragma warning disable CA1031 // the process is ending: a server that is already gone is fine
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        };

        await WaitForPortAsync(imapPort, dovecot, Path.Combine(root, "dovecot.log"));
        await WaitForPortAsync(smtpPort, smtp, null);
        return new TestMailServers(root, imapPort, smtpPort);
    }

    /// <summary>
    /// aiosmtpd's Controller on the given port; each message is written, as received, into the Maildir <c>new/</c> folder of each
    /// recipient at the test domain (tmp/ first, then renamed, as Maildir wants). No authentication: the tests' mailboxes send
    /// without a login, as to a relay on the same host.
    /// </summary>
    private const string SmtpScript = """
        import os, sys, time, uuid
        from aiosmtpd.controller import Controller

        port, root, domain = int(sys.argv[1]), sys.argv[2], sys.argv[3]

        class Deliver:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if not address.lower().endswith("@" + domain):
                    return "550 not a local recipient"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                for rcpt in envelope.rcpt_tos:
                    user = rcpt.split("@")[0]
                    box = os.path.join(root, user, "Maildir")
                    if not os.path.isdir(os.path.join(box, "new")):
                        return "550 no such mailbox"
                    name = "%d.%s.smtp" % (time.time(), uuid.uuid4().hex)
                    tmp = os.path.join(box, "tmp", name)
                    with open(tmp, "wb") as f:
                        f.write(envelope.original_content)
                    os.rename(tmp, os.path.join(box, "new", name))
                return "250 Message accepted for delivery"

        controller = Controller(Deliver(), hostname="127.0.0.1", port=port, decode_data=False)
        controller.start()
        print("ready", flush=True)
        # Until the test process closes our stdin (it ended, however it ended), or a signal.
        sys.stdin.read()
        controller.stop()
        """;

    private static Process Start(string file, string[] args)
    {
        // stdin redirected and left open: the SMTP script ends when it closes, that is when this process ends, even if killed.
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Outputs[process] = output;
        return process;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Process, StringBuilder> Outputs = new();

    private static async Task WaitForPortAsync(int port, Process process, string? log)
    {
        for (var i = 0; i < 200; i++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        var text = Outputs.TryGetValue(process, out var o) ? o.ToString() : "";
        if (log is not null && File.Exists(log))
        {
            text += File.ReadAllText(log);
        }

        throw new InvalidOperationException($"{process.StartInfo.FileName} did not listen on {port}: {text}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Id(string flag, string? who = null)
    {
        var info = new ProcessStartInfo("id") { RedirectStandardOutput = true };
        info.ArgumentList.Add(flag);
        if (who is not null)
        {
            info.ArgumentList.Add(who);
        }

        using var p = Process.Start(info)!;
        var value = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return value;
    }
}
