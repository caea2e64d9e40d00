using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>Records the closing of a survey follow-up: the root cause and whether the customer's issue was resolved (for those who work the case).</summary>
public sealed class SurveyFollowUpModel(SurveyFollowUps followUps) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long CaseId { get; set; }

    [BindProperty]
    public string? RootCause { get; set; }

    [BindProperty]
    public bool? IssueResolved { get; set; }

    public SurveyFollowUpDto FollowUp { get; private set; } = null!;

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await followUps.ForCaseAsync(CaseId, ct) is not { } f)
        {
            return NotFound();
        }

        (FollowUp, RootCause, IssueResolved) = (f, f.RootCause, f.IssueResolved);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var done = await followUps.RecordAsync(CaseId, new SurveyFollowUpRequest(RootCause, IssueResolved), ct);
        if (done.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Cases/{CaseId}"));
        }

        if (await followUps.ForCaseAsync(CaseId, ct) is not { } f)
        {
            return NotFound();
        }

        (FollowUp, Error) = (f, done.Error);
        Response.StatusCode = done.Error.Status;
        return Page();
    }
}
