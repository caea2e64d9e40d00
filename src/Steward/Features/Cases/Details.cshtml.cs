using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// One case at <c>/Cases/{id}</c>: header, timeline, reply box, attachments, related cases, and a
/// form for each action the service allows this person now. Every form posts the version the page
/// showed; a stale one answers 409 with a "reload" message. Success redirects back here (PRG).
/// </summary>
[RequirePermission(Permission.CasesWork)]
public sealed class DetailsModel(CaseService cases, StewardDbContext db, CurrentUser user, TimeProvider time, IOptions<CaseOptions> options,
    ICaseAssignmentPolicy assignees) : PageModel
{

    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public CaseDetail? Case { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>Which form the error belongs to, so that it is shown next to it.</summary>
    public string? ErrorFor { get; private set; }

    public bool Stale => Error is ConflictError { Code: "stale-version" };

    public Branch? Branch { get; private set; }

    public IReadOnlyList<Team> Teams { get; private set; } = [];

    /// <summary>The case's team in the reader's language (its English name on English pages).</summary>
    public string? TeamName { get; private set; }

    public IReadOnlyList<AssigneeCandidate> People { get; private set; } = [];

    public long MaxAttachmentBytes => options.Value.MaxAttachmentBytes;

    public DateTimeOffset Now { get; private set; }

    public bool Reveal => user.Can(Permission.PersonalDataReveal);

    /// <summary>The full contact details after the reveal button was pressed (recorded); never kept past this response.</summary>
    public CaseContactDetails? Revealed { get; private set; }

    [TempData]
    public string? Done { get; set; }

    public string? Zone => Branch?.TimeZone;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await cases.GetAsync(Id, ct);
        return found.Succeeded ? await ShowAsync(found.Value, ct) : NotFound();
    }

    public async Task<IActionResult> OnGetFileAsync(long file, CancellationToken ct)
    {
        var found = await cases.GetAttachmentAsync(Id, file, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Response.Headers.XContentTypeOptions = "nosniff";
        return File(found.Value.Data, found.Value.ContentType, found.Value.FileName);
    }

    /// <summary>Shows the full name, phone and e-mail (PersonalDataReveal); the showing is recorded in the audit log.</summary>
    public async Task<IActionResult> OnPostRevealAsync(CancellationToken ct)
    {
        var revealed = await cases.ContactAsync(Id, "case-contact (page)", ct);
        if (!revealed.Succeeded)
        {
            return revealed.Error is NotFoundError ? NotFound() : await FailAsync("reveal", revealed.Error, ct);
        }

        var current = await cases.GetAsync(Id, ct);
        if (!current.Succeeded)
        {
            return NotFound();
        }

        Revealed = revealed.Value;
        Response.Headers.CacheControl = "no-store";
        return await ShowAsync(current.Value, ct);
    }

    public Task<IActionResult> OnPostPickAsync(CancellationToken ct) =>
        AfterAsync("pick", CaseAction.Pick, cases.PickAsync(Id, ct), ct);

    public Task<IActionResult> OnPostPickAndStartAsync(CancellationToken ct) =>
        AfterAsync("pick", CaseAction.Start, cases.PickAndStartAsync(Id, ct), ct);

    public Task<IActionResult> OnPostTransitionAsync(CaseAction? action, CaseCancelReason? cancelReason, CancellationToken ct) =>
        AfterAsync("transition-" + action, action ?? CaseAction.Review, cases.TransitionAsync(Id, new CaseTransitionRequest(action, Reason, Version, cancelReason), ct), ct);

    public async Task<IActionResult> OnPostMessageAsync(MessageVisibility visibility, string? body, CancellationToken ct)
    {
        var action = visibility == MessageVisibility.Public ? CaseAction.Reply : CaseAction.Note;
        var added = await cases.AddMessageAsync(Id, visibility, new CaseMessageRequest(body), ct);
        return await AfterAsync("message", action, Task.FromResult(added), ct);
    }

    public async Task<IActionResult> OnPostAttachAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null)
        {
            return await FailAsync("attach", new InvalidError("invalid-request", "The request has errors 请求有误", "Choose a file. 请选择文件。",
                new Dictionary<string, string[]> { ["file"] = ["Choose a file. 请选择文件。"] }), ct);
        }

        await using var stream = file.OpenReadStream();
        var added = await cases.AddAttachmentAsync(Id, file.FileName, stream, file.Length, ct);
        return await AfterAsync("attach", CaseAction.Attach, Task.FromResult(added), ct);
    }

    public Task<IActionResult> OnPostAssignAsync(long? teamId, long? staffId, CancellationToken ct) =>
        AfterAsync("assign", CaseAction.Assign, cases.AssignAsync(Id, new CaseAssignRequest(teamId, staffId, Reason, Version), ct), ct);

    public Task<IActionResult> OnPostReleaseAsync(CancellationToken ct) =>
        AfterAsync("release", CaseAction.Release, cases.ReleaseAsync(Id, new CaseReleaseRequest(Reason, Version), ct), ct);

    public Task<IActionResult> OnPostPriorityAsync(CasePriority? priority, CancellationToken ct) =>
        AfterAsync("priority", CaseAction.OverridePriority, cases.OverridePriorityAsync(Id, new CasePriorityRequest(priority, Reason, Version), ct), ct);

    public Task<IActionResult> OnPostReclassifyAsync(CaseKind? kind, CancellationToken ct) =>
        AfterAsync("reclassify", CaseAction.Reclassify, cases.ReclassifyAsync(Id, new CaseReclassifyRequest(kind, Reason, Version), ct), ct);

    public async Task<IActionResult> OnPostLinkAsync(string? reference, CancellationToken ct)
    {
        var other = await cases.GetByReferenceAsync(reference ?? "", ct);
        if (!other.Succeeded)
        {
            return await FailAsync("link", UnknownReference(), ct);
        }

        return await AfterAsync("link", CaseAction.Link, cases.LinkAsync(Id, new CaseLinkRequest(other.Value.Id), ct), ct);
    }

    public async Task<IActionResult> OnPostMergeAsync(string? reference, CancellationToken ct)
    {
        var into = await cases.GetByReferenceAsync(reference ?? "", ct);
        if (!into.Succeeded)
        {
            return await FailAsync("merge", UnknownReference(), ct);
        }

        return await AfterAsync("merge", CaseAction.Merge, cases.MergeAsync(Id, new CaseMergeRequest(into.Value.Id, Reason, Version), ct), ct);
    }

    public string At(DateTimeOffset instant) => CaseDisplay.At(instant, Zone);

    private async Task<IActionResult> AfterAsync<T>(string form, CaseAction action, Task<Outcome<T>> work, CancellationToken ct)
    {
        var outcome = await work;
        if (!outcome.Succeeded)
        {
            return await FailAsync(form, outcome.Error, ct);
        }

        Done = action.ToString();
        return Redirect("/Cases/" + Id.ToString(CultureInfo.InvariantCulture));
    }

    private async Task<IActionResult> FailAsync(string form, Error error, CancellationToken ct)
    {
        var current = await cases.GetAsync(Id, ct);
        if (!current.Succeeded)
        {
            return NotFound();
        }

        Error = error;
        ErrorFor = form;
        Response.StatusCode = error.Status;
        return await ShowAsync(current.Value, ct);
    }

    private async Task<IActionResult> ShowAsync(CaseDetail detail, CancellationToken ct)
    {
        Case = detail;
        Now = time.GetUtcNow();
        Branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == detail.BranchId, ct);
        if (detail.TeamId is { } teamId && !Steward.Platform.Localization.Cultures.IsChinese(CultureInfo.CurrentUICulture))
        {
            var caseTeam = teamId;
            TeamName = await db.Set<Team>().Where(t => t.Id == caseTeam).Select(t => t.NameEn).SingleOrDefaultAsync(ct) is { Length: > 0 } english ? english : detail.TeamName;
        }
        else
        {
            TeamName = detail.TeamName;
        }
        if (detail.AllowedActions.Contains(CaseAction.Assign))
        {
            Teams = await db.Set<Team>().AsNoTracking().Where(t => t.BranchId == detail.BranchId && t.IsActive).OrderBy(t => t.Name).ToListAsync(ct);
            People = await assignees.CandidatesAsync(detail.BranchId, ct);
        }

        return Page();
    }

    private static InvalidError UnknownReference() => new("invalid-request", "The request has errors 请求有误",
        "No case you can see has this reference. 未找到您可见的该编号案件。",
        new Dictionary<string, string[]> { ["reference"] = ["No case you can see has this reference. 未找到您可见的该编号案件。"] });
}
