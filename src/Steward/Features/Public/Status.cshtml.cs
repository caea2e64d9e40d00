using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Cases;

namespace Steward.Features.Public;

/// <summary>
/// A customer's view of their case at <c>/Public/Status</c> (no sign-in): the reference and the
/// phone number or e-mail given on the request unlock status, dates and public replies, never
/// internal notes or staff names. An unknown reference and a wrong contact get the same answer
/// (404, same words), so the page tells nothing about cases the caller cannot prove are theirs.
/// The form posts, so the contact never appears in a URL or a server log.
/// </summary>
public sealed class StatusModel(PublicCaseService intake) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    public PublicCaseStatus? Result { get; private set; }

    public bool NotFoundShown { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var found = await intake.StatusAsync(new PublicStatusRequest(Reference, Contact), ct);
        if (!found.Succeeded)
        {
            NotFoundShown = true;
            Response.StatusCode = found.Error!.Status;
            return Page();
        }

        Result = found.Value;
        return Page();
    }

    /// <summary>The instant as local time of the case's branch (the zone comes with the status).</summary>
    public string At(DateTimeOffset instant) => CaseDisplay.At(instant, Result?.TimeZone);
}
