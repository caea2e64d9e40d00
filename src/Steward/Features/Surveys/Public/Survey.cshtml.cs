using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys.Public;

/// <summary>
/// The customer's survey, opened from the link in their invitation (no sign-in). Opening it records nothing; the customer
/// submits once. A forged, used or closed link, and any answer that is not valid, says so on the page and stores nothing.
/// </summary>
public sealed class PublicSurveyModel(SurveyResponses responses) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "t")]
    public string? Token { get; set; }

    public PublicSurveyDto? Survey { get; private set; }

    /// <summary>The answers as posted (to show them again next to the errors).</summary>
    public Dictionary<string, IReadOnlyList<string>> Posted { get; } = new(StringComparer.Ordinal);

    public Error? Error { get; private set; }

    /// <summary>The link's own problem (unknown, used, closed): shown instead of the form.</summary>
    public Error? LinkError { get; private set; }

    public bool Thanked { get; private set; }

    public bool OptedOut { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<string> FieldErrors(string questionId) => Shared.FieldErrors.For(Error, "answers." + questionId);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        foreach (var (key, values) in Request.Form)
        {
            if (key.StartsWith("a.", StringComparison.Ordinal) && key.Length > 2)
            {
                Posted[key[2..]] = [.. values.Select(v => v ?? "")];
            }
        }

        var done = await responses.SubmitAsync(Token, Posted, CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.Ordinal) ? Cultures.English : Cultures.Chinese, ct);
        await LoadAsync(ct);
        if (done.Succeeded)
        {
            Thanked = true;
            return Page();
        }

        Response.StatusCode = done.Error.Status;
        if (done.Error is SurveyAnswersInvalid)
        {
            Error = done.Error;
        }
        else
        {
            LinkError = done.Error;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostOptOutAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var done = await responses.OptOutAsync(Token, ct);
        await LoadAsync(ct);
        OptedOut = done.Succeeded;
        if (!done.Succeeded)
        {
            Response.StatusCode = done.Error.Status;
            LinkError = done.Error;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var found = await responses.ForLinkAsync(Token, ct);
        if (!found.Succeeded)
        {
            LinkError = found.Error;
            return;
        }

        Survey = found.Value;
        LinkError = Survey.Answered ? new SurveyAlreadyAnswered() : Survey.Expired ? new SurveyLinkExpired() : null;
    }
}
