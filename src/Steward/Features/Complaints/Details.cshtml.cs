using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Cases;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The complaint page: what was complained of, the regulatory deadlines, the codes (recode), who must recuse themselves
/// (assign), root cause and outcome, remedies (propose, approve) and letters. Each form posts here; a refusal is shown at its field.
/// </summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintDetailsModel(
    ComplaintService complaints, ComplaintRecusal recusal, ComplaintRedress redress, ComplaintLetters letters, ComplaintProcess process, ComplaintFormOptions options,
    ICaseAssignmentPolicy policy, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public ComplaintDto? Complaint { get; private set; }

    public IReadOnlyList<ComplaintLetterDto> Letters { get; private set; } = [];

    public ComplaintChoices Choices { get; private set; } = new(new Dictionary<ComplaintCodeSet, IReadOnlyList<ComplaintChoice>>(), [], []);

    public IReadOnlyList<AssigneeCandidate> Candidates { get; private set; } = [];

    /// <summary>Who may own a task of this complaint (the branch's staff and compliance, without those who must recuse themselves).</summary>
    public IReadOnlyList<ComplaintOwner> TaskOwners { get; private set; } = [];

    /// <summary>Whether the reader may finish <paramref name="task"/>: its owner, or a lead, manager or compliance officer.</summary>
    public bool CanComplete(ComplaintTaskDto task) => task.OwnerId == user.StaffId || user.Can(Permission.CasesAssign) || user.Can(Permission.ComplaintsOversee);

    public string TimeZone { get; private set; } = "UTC";

    /// <summary>The language the letter form offers first: the complainant's.</summary>
    public string LetterLanguage { get; private set; } = Platform.Localization.Cultures.Chinese;

    /// <summary>Which form the <see cref="Error"/> belongs to (its messages are shown at that form's fields).</summary>
    public string? Form { get; private set; }

    public Error? Error { get; private set; }

    public bool CanAssign => user.Can(Permission.CasesAssign);

    public bool CanOversee => user.Can(Permission.ComplaintsOversee);

    /// <summary>Whether the approve button is offered: only to someone whose limit covers the remedy and who did not propose it.</summary>
    public bool CanApprove(ComplaintRemedyDto remedy) => ComplaintRedress.MayApprove(user, remedy.ApproverLevel, remedy.ProposedById);

    public IReadOnlyList<string> FieldErrors(string form, string key) => Form == form ? Shared.FieldErrors.For(Error, key) : [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ShowAsync(ct);

    public async Task<IActionResult> OnPostClassifyAsync(string? nature, string? jrtChannel, string? jrtBusiness, string? jrtCause, string? fcaProductGroup, string? reason, int? version,
        CancellationToken ct) =>
        await DoneAsync("classify", await complaints.ClassifyAsync(Id, new ComplaintClassificationRequest(nature, jrtChannel, jrtBusiness, jrtCause, fcaProductGroup, reason, version), ct), ct);

    public async Task<IActionResult> OnPostOutcomeAsync(ComplaintOutcome? outcome, string? rootCause, int? version, CancellationToken ct) =>
        await DoneAsync("outcome", await redress.DecideAsync(Id, new ComplaintOutcomeRequest(outcome, rootCause, version), ct), ct);

    public async Task<IActionResult> OnPostRemedyAsync(RemedyKind? kind, string? amount, string? note, CancellationToken ct)
    {
        decimal? value = null;
        if (!string.IsNullOrWhiteSpace(amount))
        {
            if (!decimal.TryParse(amount.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                return await DoneAsync("remedy", new ComplaintInvalid(new Dictionary<string, string[]> { ["amount"] = ["An amount above 0 with at most 2 decimals. 金额须大于 0，最多两位小数。"] }), ct);
            }

            value = parsed;
        }

        return await DoneAsync("remedy", await redress.ProposeAsync(Id, new ComplaintRemedyRequest(kind, value, note), ct), ct);
    }

    public async Task<IActionResult> OnPostApproveAsync(long remedyId, CancellationToken ct) =>
        await DoneAsync("approve", await redress.ApproveAsync(Id, remedyId, ct), ct);

    public async Task<IActionResult> OnPostAssignAsync(long? staffId, string? reason, int? caseVersion, CancellationToken ct) =>
        await DoneAsync("assign", await recusal.AssignAsync(Id, new ComplaintAssignRequest(staffId, reason, caseVersion), ct), ct);

    public async Task<IActionResult> OnPostOverrideAsync(long? staffId, string? reason, CancellationToken ct) =>
        await DoneAsync("override", await recusal.OverrideAsync(Id, new ComplaintRecusalOverrideRequest(staffId, reason), ct), ct);

    public async Task<IActionResult> OnPostActionAsync([FromServices] ComplaintActions actions, CancellationToken ct) =>
        await DoneAsync("action", await ComplaintActionForm.SubmitAsync(actions, Id, Request.Form, ct), ct);

    public async Task<IActionResult> OnPostAssessAsync(bool? inScope, bool? regulatoryImpact, bool? legalImpact, string? note, long? legalOwnerId, DateOnly? legalDueOn, int? version,
        CancellationToken ct) =>
        await DoneAsync("assess", await process.AssessAsync(Id, new ComplaintAssessmentRequest(inScope, regulatoryImpact, legalImpact, note, legalOwnerId, legalDueOn, version), ct), ct);

    public async Task<IActionResult> OnPostTaskAsync(ComplaintTaskKind? kind, string? title, long? ownerId, DateOnly? dueOn, CancellationToken ct) =>
        await DoneAsync("task", await process.AddTaskAsync(Id, new ComplaintTaskRequest(kind, title, ownerId, dueOn), ct), ct);

    public async Task<IActionResult> OnPostCompleteTaskAsync(long taskId, string? result, int? version, CancellationToken ct) =>
        await DoneAsync("complete-" + taskId.ToString(CultureInfo.InvariantCulture), await process.CompleteTaskAsync(Id, taskId, new ComplaintTaskCompletion(result, version), ct), ct);

    public async Task<IActionResult> OnPostRespondAsync(CustomerResponse? response, string? note, int? version, CancellationToken ct) =>
        await DoneAsync("respond", await process.RespondAsync(Id, new ComplaintResponseRequest(response, note, version), ct), ct);

    public async Task<IActionResult> OnPostArchiveAsync(int? version, CancellationToken ct) =>
        await DoneAsync("archive", await process.ArchiveAsync(Id, new ComplaintArchiveRequest(version), ct), ct);

    public async Task<IActionResult> OnPostLetterAsync(ComplaintLetterKind? kind, string? language, CancellationToken ct)
    {
        var letter = await letters.CreateAsync(Id, new ComplaintLetterRequest(kind, language), ct);
        return letter.Succeeded
            ? Redirect(FormattableString.Invariant($"/Complaints/Letter?id={Id}&letterId={letter.Value.Id}"))
            : await DoneAsync("letter", letter.Error, ct);
    }

    private Task<IActionResult> DoneAsync<T>(string form, Outcome<T> outcome, CancellationToken ct) => DoneAsync(form, outcome.Error, ct);

    private async Task<IActionResult> DoneAsync(string form, Error? error, CancellationToken ct)
    {
        if (error is null)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/Details?id={Id}"));
        }

        (Form, Error) = (form, error);
        return await ShowAsync(ct, error.Status);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        var complaint = await complaints.GetAsync(Id, ct);
        if (!complaint.Succeeded)
        {
            return NotFound();
        }

        Complaint = complaint.Value;
        Letters = (await letters.ListAsync(Id, ct)).Value ?? [];
        Choices = await options.ForBranchAsync(Complaint.BranchId, ct);
        Candidates = CanAssign ? await policy.CandidatesAsync(Complaint.BranchId, ct) : [];
        TaskOwners = Complaint.Process.ArchivedAt is null ? await process.OwnerChoicesAsync(Complaint, ct) : [];
        TimeZone = await complaints.TimeZoneOfBranchAsync(Complaint.BranchId, ct);
        LetterLanguage = await letters.LanguageOfCustomerAsync(Complaint, ct);
        Response.StatusCode = status;
        return Page();
    }
}
