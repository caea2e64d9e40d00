using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Platform.Database;

namespace Steward.Features.Public;

/// <summary>
/// A customer's view of their case at <c>/Public/Status</c> (no sign-in): the reference and the
/// phone number or e-mail given on the request unlock status, dates and public replies, never
/// internal notes or staff names. An unknown reference and a wrong contact get the same answer
/// (404, same words), so the page tells nothing about cases the caller cannot prove are theirs.
/// The form posts, so the contact never appears in a URL or a server log.
/// </summary>
public sealed class StatusModel(PublicCaseService intake, StewardDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    public PublicCaseStatus? Result { get; private set; }

    public bool NotFoundShown { get; private set; }

    /// <summary>The time zone of the case's branch, read only after the contact matched.</summary>
    public string? Zone { get; private set; }

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
        var reference = Result!.Reference;
        Zone = await db.Set<Case>().AsNoTracking().Where(c => c.Reference == reference)
            .Join(db.Set<Branch>(), c => c.BranchId, b => b.Id, (c, b) => b.TimeZone).SingleOrDefaultAsync(ct);
        return Page();
    }

    public string At(DateTimeOffset instant) => CaseDisplay.At(instant, Zone);
}
