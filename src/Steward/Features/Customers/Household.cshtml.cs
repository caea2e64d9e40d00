using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Customers.Household;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

/// <summary>The household forms of the customer page post here; success goes back to the page, a refusal is shown at its field.</summary>
[RequirePermission(Permission.CustomersManage)]
public sealed class CustomerHouseholdModel(HouseholdService household, CustomerDirectory customers) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long CustomerId { get; set; }

    [BindProperty]
    public string? RelatedReference { get; set; }

    [BindProperty]
    public HouseholdRelation? Relation { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public CustomerHit? Customer { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    public IActionResult OnGet() => Redirect(FormattableString.Invariant($"/Customers/Details?id={CustomerId}"));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct) =>
        await DoneAsync(await household.LinkAsync(CustomerId, new HouseholdLinkRequest(RelatedReference, Relation, Note), ct), ct);

    public async Task<IActionResult> OnPostRemoveAsync(long linkId, CancellationToken ct) => await DoneAsync(await household.UnlinkAsync(CustomerId, linkId, ct), ct);

    private async Task<IActionResult> DoneAsync(Outcome<IReadOnlyList<HouseholdMemberDto>> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Customers/Details?id={CustomerId}"));
        }

        Customer = await customers.GetAsync(CustomerId, ct);
        if (outcome.Error is NotFoundError || Customer is null)
        {
            return NotFound();
        }

        Error = outcome.Error;
        Response.StatusCode = outcome.Error.Status;
        return Page();
    }
}
