using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability.Public;

/// <summary>
/// The customer's own risk-tolerance questionnaire, opened from a one-time link (no sign-in): answer once, then confirm or refuse
/// a changed level. An unknown, used or expired link says so and answers nothing else.
/// </summary>
public sealed class PublicAssessmentModel(RiskAssessments assessments, SuitabilityCatalog catalog) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "t")]
    public string? Token { get; set; }

    [BindProperty]
    public Dictionary<string, string> Answers { get; set; } = [];

    public string? CustomerName { get; private set; }

    public QuestionnaireDto? Questionnaire { get; private set; }

    public AssessmentDto? Result { get; private set; }

    public bool Invalid { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? questionnaireNumber, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var taken = await assessments.SubmitOnlineAsync(Token, new AssessmentSubmitRequest(questionnaireNumber, Answers, false), ct);
        await LoadAsync(ct);
        if (!taken.Succeeded)
        {
            Error = taken.Error;
            Response.StatusCode = taken.Error.Status;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(int? version, bool accept, CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var done = await assessments.ConfirmOnlineAsync(Token, new AssessmentConfirmRequest(version, accept), ct);
        await LoadAsync(ct);
        if (!done.Succeeded)
        {
            Error = done.Error;
            Response.StatusCode = done.Error.Status;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var link = await assessments.ForLinkAsync(Token, ct);
        if (!link.Succeeded)
        {
            Invalid = true;
            return;
        }

        (CustomerName, Result) = link.Value;
        Questionnaire = await catalog.CurrentQuestionnaireAsync(ct);
    }
}
