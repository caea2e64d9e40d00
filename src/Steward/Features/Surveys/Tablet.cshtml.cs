using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>The counter tablet: the survey of the visit this counter just finished, answered by the customer at the counter.</summary>
public sealed class SurveyTabletModel(SurveyTablet tablet) : PageModel
{
    [BindProperty]
    public long InvitationId { get; set; }

    public SurveyTabletDto Current { get; private set; } = null!;

    public Dictionary<string, IReadOnlyList<string>> Posted { get; } = new(StringComparer.Ordinal);

    public Error? Error { get; private set; }

    public bool Thanked { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        Current = await tablet.CurrentAsync(ct);
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

        var done = await tablet.SubmitAsync(InvitationId, Posted, Chinese ? Cultures.Chinese : Cultures.English, ct);
        Current = await tablet.CurrentAsync(ct);
        if (done.Succeeded)
        {
            Thanked = true;
            return Page();
        }

        Response.StatusCode = done.Error.Status;
        Error = done.Error;
        return Page();
    }
}
