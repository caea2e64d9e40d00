using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Mail;

/// <summary>The mailbox form's fields, as the pages post them (the passwords are never filled in again).</summary>
public sealed class MailboxForm
{
    public string? Address { get; set; }

    public string? DisplayName { get; set; }

    public long? BranchId { get; set; }

    public long? TeamId { get; set; }

    public string? ImapHost { get; set; }

    public int? ImapPort { get; set; } = 993;

    public MailSecurity? ImapSecurity { get; set; } = MailSecurity.SslOnConnect;

    public string? ImapUser { get; set; }

    public string? ImapPassword { get; set; }

    public string? Folder { get; set; } = "INBOX";

    public string? SmtpHost { get; set; }

    public int? SmtpPort { get; set; } = 465;

    public MailSecurity? SmtpSecurity { get; set; } = MailSecurity.SslOnConnect;

    public string? SmtpUser { get; set; }

    public string? SmtpPassword { get; set; }

    public bool Enabled { get; set; }

    public int? Version { get; set; }

    public MailboxRequest ToRequest() => new(Address, DisplayName, BranchId, TeamId, ImapHost, ImapPort, ImapSecurity, ImapUser, ImapPassword, Folder,
        SmtpHost, SmtpPort, SmtpSecurity, SmtpUser, SmtpPassword, Enabled, Version);

    public static MailboxForm From(MailboxDto m) => new()
    {
        Address = m.Address, DisplayName = m.DisplayName, BranchId = m.BranchId, TeamId = m.TeamId, ImapHost = m.ImapHost, ImapPort = m.ImapPort,
        ImapSecurity = m.ImapSecurity, ImapUser = m.ImapUser, Folder = m.Folder, SmtpHost = m.SmtpHost, SmtpPort = m.SmtpPort, SmtpSecurity = m.SmtpSecurity,
        SmtpUser = m.SmtpUser, Enabled = m.Enabled, Version = m.Version,
    };
}

/// <summary>A branch or team to choose on the form, in the reader's language.</summary>
public sealed record MailboxChoice(long Id, string Name);

/// <summary>What the form partial needs: the fields, the error, the branches and teams, and whether a password is already stored.</summary>
public sealed record MailboxFormView(MailboxForm Form, Error? Error, IReadOnlyList<MailboxChoice> Branches, IReadOnlyList<MailboxChoice> Teams, bool Editing);

/// <summary>The mailboxes (decision 0053) with their last poll, and the form to add one.</summary>
[RequirePermission(Permission.MailboxesManage)]
public sealed class MailboxesIndexModel(MailboxAdministration mailboxes, StewardDbContext db) : PageModel
{
    public IReadOnlyList<MailboxDto> Mailboxes { get; private set; } = [];

    [BindProperty]
    public MailboxForm Form { get; set; } = new();

    public Error? Error { get; private set; }

    public MailboxFormView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var created = await mailboxes.CreateAsync(Form.ToRequest(), ct);
        if (created.Succeeded)
        {
            return Redirect($"/Admin/Mailboxes/{created.Value.Id}?done=created");
        }

        Error = created.Error;
        Response.StatusCode = created.Error.Status;
        Form.ImapPassword = null;
        Form.SmtpPassword = null;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Mailboxes = await mailboxes.ListAsync(ct);
        View = await MailboxChoices.ViewAsync(db, Form, Error, editing: false, ct);
    }
}

/// <summary>One mailbox: its settings to change, the connection test, and the last mail it read with what each became.</summary>
[RequirePermission(Permission.MailboxesManage)]
public sealed class MailboxDetailsModel(MailboxAdministration mailboxes, StewardDbContext db) : PageModel
{
    public MailboxDto? Mailbox { get; private set; }

    public IReadOnlyList<InboundMailRow> Recent { get; private set; } = [];

    [BindProperty]
    public MailboxForm Form { get; set; } = new();

    public Error? Error { get; private set; }

    public MailboxTestResult? Test { get; private set; }

    public string? Done { get; private set; }

    public MailboxFormView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken ct)
    {
        Done = done is "created" or "saved" ? done : null;
        return await LoadAsync(id, fillForm: true, ct);
    }

    public async Task<IActionResult> OnPostSaveAsync(long id, CancellationToken ct)
    {
        var saved = await mailboxes.UpdateAsync(id, Form.ToRequest(), ct);
        if (saved.Succeeded)
        {
            return Redirect($"/Admin/Mailboxes/{id}?done=saved");
        }

        Error = saved.Error;
        Response.StatusCode = saved.Error.Status;
        return await LoadAsync(id, fillForm: false, ct);
    }

    public async Task<IActionResult> OnPostTestAsync(long id, CancellationToken ct)
    {
        var tested = await mailboxes.TestAsync(id, ct);
        Test = tested.Value;
        Error = tested.Error;
        return await LoadAsync(id, fillForm: true, ct);
    }

    private async Task<IActionResult> LoadAsync(long id, bool fillForm, CancellationToken ct)
    {
        var found = await mailboxes.GetAsync(id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Mailbox = found.Value;
        if (fillForm)
        {
            Form = MailboxForm.From(Mailbox);
        }

        Form.ImapPassword = null;
        Form.SmtpPassword = null;
        Recent = await db.Set<InboundMail>().AsNoTracking().Where(m => m.MailboxId == id).OrderByDescending(m => m.Id).Take(20)
            .Select(m => new InboundMailRow(m.Id, m.ReceivedAt, m.Outcome, m.CaseId, db.Set<Cases.Case>().Where(c => c.Id == m.CaseId).Select(c => c.Reference).FirstOrDefault(), m.Reason, m.Size))
            .ToListAsync(ct);
        View = await MailboxChoices.ViewAsync(db, Form, Error, editing: true, ct);
        return Page();
    }
}

/// <summary>One mail read, as the mailbox page lists it (no sender or subject: those are the customer's).</summary>
public sealed record InboundMailRow(long Id, DateTimeOffset ReceivedAt, InboundMailOutcome Outcome, long? CaseId, string? CaseReference, string? Reason, long Size);

internal static class MailboxChoices
{
    public static async Task<MailboxFormView> ViewAsync(StewardDbContext db, MailboxForm form, Error? error, bool editing, CancellationToken ct)
    {
        var chinese = Cultures.IsChinese(CultureInfo.CurrentUICulture);
        var branches = await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Code)
            .Select(b => new { b.Id, b.Code, b.Name, b.NameEn }).ToListAsync(ct);
        var teams = await db.Set<Team>().AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.BranchId).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.BranchId, t.Name, t.NameEn }).ToListAsync(ct);
        var codes = branches.ToDictionary(b => b.Id, b => b.Code);
        return new MailboxFormView(form, error,
            [.. branches.Select(b => new MailboxChoice(b.Id, $"{b.Code} {Pick(chinese, b.Name, b.NameEn)}"))],
            [.. teams.Where(t => codes.ContainsKey(t.BranchId)).Select(t => new MailboxChoice(t.Id, $"{codes[t.BranchId]} · {Pick(chinese, t.Name, t.NameEn)}"))],
            editing);
    }

    private static string Pick(bool chinese, string zh, string en) => chinese ? (zh.Length > 0 ? zh : en) : (en.Length > 0 ? en : zh);

    /// <summary>An instant as the mailbox pages show it: UTC to the second (what a mail server's log shows).</summary>
    public static string At(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";
}
