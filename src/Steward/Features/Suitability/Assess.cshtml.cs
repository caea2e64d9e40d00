using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Customers;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

/// <summary>
/// The risk-tolerance questionnaire at the counter: the staff member hands the tablet to the customer, who answers; the staff
/// member attests that the customer is present. A changed level is shown to the customer to confirm or refuse on the same screen.
/// </summary>
[RequirePermission(Permission.SuitabilityCheck)]
public sealed class AssessModel(RiskAssessments assessments, SuitabilityCatalog catalog, CustomerDirectory customers) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long CustomerId { get; set; }

    /// <summary>The assessment just taken, shown with its result.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Done { get; set; }

    [BindProperty]
    public Dictionary<string, string> Answers { get; set; } = [];

    [BindProperty]
    public bool CustomerPresent { get; set; }

    public CustomerHit? Customer { get; private set; }

    public QuestionnaireDto? Questionnaire { get; private set; }

    public AssessmentDto? Result { get; private set; }

    public string? Zone { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int? questionnaireNumber, CancellationToken ct)
    {
        var taken = await assessments.SubmitAtCounterAsync(CustomerId, new AssessmentSubmitRequest(questionnaireNumber, Answers, CustomerPresent), ct);
        if (taken.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Suitability/Assess?customerId={CustomerId}&done={taken.Value.Id}"));
        }

        return await FailAsync(taken.Error, ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(long assessmentId, int? version, bool accept, CancellationToken ct)
    {
        var done = await assessments.ConfirmAtCounterAsync(assessmentId, new AssessmentConfirmRequest(version, accept), ct);
        if (done.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Customers/Details?id={CustomerId}"));
        }

        Done = assessmentId;
        return await FailAsync(done.Error, ct);
    }

    /// <summary>A one-time link for the customer to answer online; shown once on the customer page.</summary>
    public async Task<IActionResult> OnPostLinkAsync(CancellationToken ct)
    {
        var link = await assessments.CreateLinkAsync(CustomerId, $"{Request.Scheme}://{Request.Host}", ct);
        if (!link.Succeeded)
        {
            return link.Error is NotFoundError ? NotFound() : StatusCode(link.Error.Status);
        }

        TempData["AssessmentLink"] = link.Value.Url;
        // TempData turns an ISO date string back into a DateTime and keeps no long, so the expiry travels as Unix milliseconds in a string.
        TempData["AssessmentLinkExpires"] = link.Value.ExpiresAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return Redirect(FormattableString.Invariant($"/Customers/Details?id={CustomerId}"));
    }

    private async Task<IActionResult> FailAsync(Error error, CancellationToken ct)
    {
        if (error is NotFoundError || !await LoadAsync(ct))
        {
            return NotFound();
        }

        Error = error;
        Response.StatusCode = error.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Customer = await customers.GetAsync(CustomerId, ct);
        if (Customer is null)
        {
            return false;
        }

        Questionnaire = await catalog.CurrentQuestionnaireAsync(ct);
        Zone = await assessments.ZoneOfAsync(CustomerId, ct);
        if (Done is { } id)
        {
            var result = await assessments.GetAsync(id, ct);
            Result = result.Succeeded && result.Value.CustomerId == CustomerId ? result.Value : null;
        }

        return true;
    }
}
