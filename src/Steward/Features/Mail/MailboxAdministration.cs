using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Mail;

/// <summary>
/// A mailbox to create or change. The passwords are write-only: on a change, an empty one keeps the stored one.
/// <see cref="Version"/> is required to change one.
/// </summary>
public sealed record MailboxRequest(
    string? Address, string? DisplayName, long? BranchId, long? TeamId,
    string? ImapHost, int? ImapPort, MailSecurity? ImapSecurity, string? ImapUser, string? ImapPassword, string? Folder,
    string? SmtpHost, int? SmtpPort, MailSecurity? SmtpSecurity, string? SmtpUser, string? SmtpPassword,
    bool? Enabled, int? Version = null);

/// <summary>A mailbox as read back: never its passwords, only whether one is set.</summary>
public sealed record MailboxDto(
    long Id, string Address, string DisplayName, long BranchId, string BranchName, string BranchNameEn, long? TeamId,
    string ImapHost, int ImapPort, MailSecurity ImapSecurity, string ImapUser, bool ImapPasswordSet, string Folder,
    string SmtpHost, int SmtpPort, MailSecurity SmtpSecurity, string SmtpUser, bool SmtpPasswordSet,
    bool Enabled, DateTimeOffset? LastPollAt, MailPollStatus? LastPollStatus, string? LastPollError, DateTimeOffset CreatedAt, int Version);

/// <summary>What a connection test found: the IMAP login (and how many messages the folder holds) and the SMTP greeting.</summary>
public sealed record MailboxTestResult(bool ImapOk, int? ImapMessages, string? ImapError, bool SmtpOk, string? SmtpError);

/// <summary>
/// Creating, changing and testing mailboxes (each change audited by the unit of work, the passwords redacted there and encrypted
/// here). Only administrators get here (<see cref="Steward.Platform.Identity.Permission.MailboxesManage"/>).
/// </summary>
public sealed class MailboxAdministration(StewardDbContext db, PersonalDataProtector protector, MailConnections connections, TimeProvider time)
{
    public async Task<IReadOnlyList<MailboxDto>> ListAsync(CancellationToken ct = default) =>
        [.. (await Rows(db.Set<Mailbox>()).ToListAsync(ct)).OrderBy(x => x.Mailbox.Address, StringComparer.Ordinal).Select(Dto)];

    public async Task<Outcome<MailboxDto>> GetAsync(long id, CancellationToken ct = default) =>
        await Rows(db.Set<Mailbox>().Where(m => m.Id == id)).SingleOrDefaultAsync(ct) is { } row ? Dto(row) : new MailboxNotFound();

    public async Task<Outcome<MailboxDto>> CreateAsync(MailboxRequest r, CancellationToken ct = default)
    {
        var mailbox = new Mailbox { CreatedAt = time.GetUtcNow() };
        var errors = await ApplyAsync(mailbox, r, creating: true, ct);
        if (errors.Count > 0)
        {
            return new MailboxInvalid(errors);
        }

        db.Add(mailbox);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(mailbox.Id, ct)).Value!;
    }

    public async Task<Outcome<MailboxDto>> UpdateAsync(long id, MailboxRequest r, CancellationToken ct = default)
    {
        var mailbox = await db.Set<Mailbox>().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return new MailboxNotFound();
        }

        if (r.Version is null)
        {
            return new MailboxInvalid(new Dictionary<string, string[]> { ["version"] = ["Send the version you read. 请提供读取时的版本号。"] });
        }

        if (r.Version != mailbox.Version)
        {
            return Problems.StaleVersion();
        }

        var errors = await ApplyAsync(mailbox, r, creating: false, ct);
        if (errors.Count > 0)
        {
            return new MailboxInvalid(errors);
        }

        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    /// <summary>Logs in to the IMAP server and opens the folder, and greets the SMTP server (EHLO, and its login when one is set). Nothing is read or sent.</summary>
    public async Task<Outcome<MailboxTestResult>> TestAsync(long id, CancellationToken ct = default)
    {
        var mailbox = await db.Set<Mailbox>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (mailbox is null)
        {
            return new MailboxNotFound();
        }

        bool imapOk = false, smtpOk = false;
        int? messages = null;
        string? imapError = null, smtpError = null;
        try
        {
            using var imap = await connections.OpenImapAsync(mailbox, ct);
            var folder = await imap.GetFolderAsync(mailbox.Folder, ct);
            await folder.OpenAsync(MailKit.FolderAccess.ReadOnly, ct);
            messages = folder.Count;
            await imap.DisconnectAsync(true, ct);
            imapOk = true;
        }
        catch (Exception e) when (MailConnections.IsConnectionFailure(e))
        {
            imapError = MailConnections.Describe(e);
        }

        try
        {
            using var smtp = await connections.OpenSmtpAsync(mailbox, ct);
            await smtp.DisconnectAsync(true, ct);
            smtpOk = true;
        }
        catch (Exception e) when (MailConnections.IsConnectionFailure(e))
        {
            smtpError = MailConnections.Describe(e);
        }

        return new MailboxTestResult(imapOk, messages, imapError, smtpOk, smtpError);
    }

    private sealed record Row(Mailbox Mailbox, string BranchName, string BranchNameEn);

    private IQueryable<Row> Rows(IQueryable<Mailbox> mailboxes) =>
        from m in mailboxes.AsNoTracking()
        join b in db.Set<Branch>() on m.BranchId equals b.Id
        select new Row(m, b.Name, b.NameEn);

    private static MailboxDto Dto(Row row)
    {
        var m = row.Mailbox;
        return new MailboxDto(m.Id, m.Address, m.DisplayName, m.BranchId, row.BranchName, row.BranchNameEn, m.TeamId,
            m.ImapHost, m.ImapPort, m.ImapSecurity, m.ImapUser, m.ImapPasswordCipher.Length > 0, m.Folder,
            m.SmtpHost, m.SmtpPort, m.SmtpSecurity, m.SmtpUser, !string.IsNullOrEmpty(m.SmtpPasswordCipher),
            m.Enabled, m.LastPollAt, m.LastPollStatus, m.LastPollError, m.CreatedAt, m.Version);
    }

    /// <summary>
    /// Checks the request field by field and, when it is all valid, writes it on <paramref name="mailbox"/>: an address (unique), a
    /// branch that is active and a team of that branch, host names, ports 1–65535, a security mode (plain only to this machine,
    /// as the webhooks' http), a user and — on creation — the IMAP password; the SMTP login is optional (a relay without one).
    /// </summary>
    private async Task<Dictionary<string, string[]>> ApplyAsync(Mailbox mailbox, MailboxRequest r, bool creating, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var address = r.Address?.Trim() ?? "";
        if (address.Length is 0 or > 200 || !MimeKit.MailboxAddress.TryParse(address, out var parsed) || parsed.Address != address || !address.Contains('@', StringComparison.Ordinal))
        {
            errors["address"] = ["Enter the mailbox's e-mail address, like service@bank.example (at most 200 characters). 请填写邮箱地址，例如 service@bank.example（不超过 200 个字符）。"];
        }
        else if (await db.Set<Mailbox>().AnyAsync(m => m.Address == address && m.Id != mailbox.Id, ct))
        {
            errors["address"] = ["Another mailbox has this address. 已有邮箱使用此地址。"];
        }

        var displayName = r.DisplayName?.Trim() ?? "";
        if (displayName.Length > 100)
        {
            errors["displayName"] = ["At most 100 characters. 不超过 100 个字符。"];
        }

        var branch = r.BranchId is { } bid ? await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == bid, ct) : null;
        if (branch is null || !branch.IsActive)
        {
            errors["branchId"] = ["Choose an active branch. 请选择有效的机构。"];
        }
        else if (r.TeamId is { } teamId && !await db.Set<Team>().AnyAsync(t => t.Id == teamId && t.BranchId == branch.Id && t.IsActive, ct))
        {
            errors["teamId"] = ["Choose an active team of the branch, or none. 请选择该机构的有效团队，或不选。"];
        }

        var imapHost = Host(errors, "imapHost", r.ImapHost);
        var imapPort = Port(errors, "imapPort", r.ImapPort);
        var imapSecurity = Security(errors, "imapSecurity", r.ImapSecurity, imapHost);
        var imapUser = r.ImapUser?.Trim() ?? "";
        if (imapUser.Length is 0 or > 200)
        {
            errors["imapUser"] = ["Enter the IMAP user name (at most 200 characters). 请填写 IMAP 用户名（不超过 200 个字符）。"];
        }

        var imapPassword = r.ImapPassword ?? "";
        if (imapPassword.Length > 200)
        {
            errors["imapPassword"] = ["At most 200 characters. 不超过 200 个字符。"];
        }
        else if (creating && imapPassword.Length == 0)
        {
            errors["imapPassword"] = ["Enter the IMAP password. 请填写 IMAP 密码。"];
        }

        var folder = string.IsNullOrWhiteSpace(r.Folder) ? "INBOX" : r.Folder.Trim();
        if (folder.Length > 200)
        {
            errors["folder"] = ["At most 200 characters. 不超过 200 个字符。"];
        }

        var smtpHost = Host(errors, "smtpHost", r.SmtpHost);
        var smtpPort = Port(errors, "smtpPort", r.SmtpPort);
        var smtpSecurity = Security(errors, "smtpSecurity", r.SmtpSecurity, smtpHost);
        var smtpUser = r.SmtpUser?.Trim() ?? "";
        if (smtpUser.Length > 200)
        {
            errors["smtpUser"] = ["At most 200 characters. 不超过 200 个字符。"];
        }

        var smtpPassword = r.SmtpPassword ?? "";
        if (smtpPassword.Length > 200)
        {
            errors["smtpPassword"] = ["At most 200 characters. 不超过 200 个字符。"];
        }
        else if (smtpUser.Length > 0 && smtpPassword.Length == 0 && string.IsNullOrEmpty(mailbox.SmtpPasswordCipher))
        {
            errors["smtpPassword"] = ["Enter the SMTP password for this user, or leave the user empty. 请填写该 SMTP 用户的密码，或不填用户名。"];
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        mailbox.Address = address;
        mailbox.DisplayName = displayName;
        mailbox.BranchId = branch!.Id;
        mailbox.TeamId = r.TeamId;
        mailbox.ImapHost = imapHost!;
        mailbox.ImapPort = imapPort!.Value;
        mailbox.ImapSecurity = imapSecurity!.Value;
        mailbox.ImapUser = imapUser;
        if (imapPassword.Length > 0)
        {
            mailbox.ImapPasswordCipher = protector.Encrypt(imapPassword)!;
        }

        mailbox.Folder = folder;
        mailbox.SmtpHost = smtpHost!;
        mailbox.SmtpPort = smtpPort!.Value;
        mailbox.SmtpSecurity = smtpSecurity!.Value;
        mailbox.SmtpUser = smtpUser;
        if (smtpUser.Length == 0)
        {
            mailbox.SmtpPasswordCipher = null;
        }
        else if (smtpPassword.Length > 0)
        {
            mailbox.SmtpPasswordCipher = protector.Encrypt(smtpPassword);
        }

        mailbox.Enabled = r.Enabled ?? false;
        return errors;
    }

    private static string? Host(Dictionary<string, string[]> errors, string field, string? value)
    {
        var host = value?.Trim() ?? "";
        if (host.Length is 0 or > 200 || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            errors[field] = ["Enter the server's host name or IP address. 请填写服务器的主机名或 IP 地址。"];
            return null;
        }

        return host;
    }

    private static int? Port(Dictionary<string, string[]> errors, string field, int? value)
    {
        if (value is not (>= 1 and <= 65535))
        {
            errors[field] = ["Enter a port from 1 to 65535. 请填写 1 至 65535 之间的端口。"];
            return null;
        }

        return value;
    }

    private static MailSecurity? Security(Dictionary<string, string[]> errors, string field, MailSecurity? value, string? host)
    {
        if (value is null)
        {
            errors[field] = ["Choose how the connection is secured. 请选择连接的加密方式。"];
            return null;
        }

        if (value == MailSecurity.None && host is not null && !MailConnections.IsLoopback(host))
        {
            errors[field] = ["Use TLS: an unencrypted connection is allowed only to this machine (localhost or 127.0.0.1). 请使用 TLS；仅本机（localhost 或 127.0.0.1）可不加密。"];
            return null;
        }

        return value;
    }
}
