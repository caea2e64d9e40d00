using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

/// <summary>
/// One suitability decision: what was found and on which facts, the special warning and the disclosure for the customer to
/// acknowledge, the second review, and the replay under another rule set (reviewers and compliance).
/// </summary>
[RequirePermission(Permission.CustomersRead)]
public sealed class DecisionModel(SuitabilityChecks checks, SuitabilityCatalog catalog, RiskAssessments assessments, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public DecisionDto? Decision { get; private set; }

    public ReplayDto? Replay { get; private set; }

    public IReadOnlyList<RuleSetDto> RuleSets { get; private set; } = [];

    public string? Zone { get; private set; }

    public Error? Error { get; private set; }

    public string? ErrorForm { get; private set; }

    public bool CanAcknowledge => user.Can(Permission.SuitabilityCheck) && Decision?.Status == DecisionStatus.AwaitingAcknowledgment;

    public bool CanReview => user.Can(Permission.SuitabilityReview) && Decision?.Status == DecisionStatus.AwaitingReview && Decision.StaffId != user.StaffId;

    public bool CanReplay => user.Can(Permission.SuitabilityReview) || user.Can(Permission.SuitabilityRulesManage);

    public IReadOnlyList<string> FieldErrors(string form, params string[] keys) => ErrorForm == form ? Shared.FieldErrors.For(Error, keys) : [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAcknowledgeAsync(int? version, bool customerAcknowledged, CancellationToken ct) =>
        await DoneAsync("acknowledge", await checks.AcknowledgeAsync(Id, new AcknowledgeRequest(version, customerAcknowledged), ct), ct);

    public async Task<IActionResult> OnPostReviewAsync(int? version, bool approve, string? note, CancellationToken ct) =>
        await DoneAsync("review", await checks.ReviewAsync(Id, new ReviewRequest(version, approve, note), ct), ct);

    public async Task<IActionResult> OnPostReplayAsync(int? ruleSetNumber, CancellationToken ct)
    {
        var replay = await checks.ReplayAsync(Id, new ReplayRequest(ruleSetNumber), ct);
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (replay.Succeeded)
        {
            Replay = replay.Value;
            return Page();
        }

        Error = replay.Error;
        ErrorForm = "replay";
        Response.StatusCode = replay.Error.Status;
        return Page();
    }

    private async Task<IActionResult> DoneAsync(string form, Outcome<DecisionDto> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Suitability/Decision?id={Id}"));
        }

        if (outcome.Error is NotFoundError || !await LoadAsync(ct))
        {
            return NotFound();
        }

        Error = outcome.Error;
        ErrorForm = form;
        Response.StatusCode = outcome.Error.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await checks.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Decision = found.Value;
        Zone = await assessments.ZoneOfAsync(Decision.CustomerId, ct);
        if (CanReplay)
        {
            RuleSets = await catalog.RuleHistoryAsync(ct);
        }

        return true;
    }
}
