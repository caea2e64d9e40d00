using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Api;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// Staff record a case at <c>/Cases/New</c>: for an existing customer (looked up among the customers of their branches by
/// number, name, phone or identity number, see <see cref="CustomerDirectory.FindAsync"/>) or for an anonymous contact.
/// The look-up posts the whole form to <c>?handler=FindCustomer</c> (a button's <c>formaction</c>), so what was typed and
/// the customer chosen survive it; the form itself always posts to the create handler, and its default button (Enter
/// in a field) creates. A key made when the form is shown makes a double submit create one case.
/// </summary>
[RequirePermission(Permission.CasesWork)]
public sealed class NewCaseModel(
    CaseCreation cases, OrganisationService organisation, FormIdempotency idempotency, CustomerDirectory customers, StewardDbContext db, CurrentUser user) : PageModel
{
    public sealed class CaseForm
    {
        public CaseKind? Kind { get; set; }

        public CaseChannel? Channel { get; set; } = CaseChannel.Counter;

        public string? Subject { get; set; }

        public string? Description { get; set; }

        public long? BranchId { get; set; }

        public long? CustomerId { get; set; }

        public string? ContactName { get; set; }

        public string? ContactPhone { get; set; }

        public string? ContactEmail { get; set; }

        public long? ProductId { get; set; }

        public long? TeamId { get; set; }

        public string? IdempotencyKey { get; set; }

        /// <summary>"Create and handle it myself": assigned to the creator and in progress at once.</summary>
        public bool HandleNow { get; set; }
    }

    /// <summary>What the form's key stores: enough to find the case again.</summary>
    public sealed record Receipt(long Id, string Reference);

    [BindProperty]
    public CaseForm Input { get; set; } = new();

    [BindProperty]
    public string? CustomerQuery { get; set; }

    public IReadOnlyList<CustomerHit> Customers { get; private set; } = [];

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    public IReadOnlyList<TeamDto> Teams { get; private set; } = [];

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public Error? Error { get; private set; }

    public bool CanLookUp => user.Can(Permission.CustomersRead);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        await LoadAsync(ct);
        Input.BranchId ??= Branches.FirstOrDefault()?.Id;
    }

    /// <summary>Looks customers up and shows the form again as it was posted, with the matches and the customer already chosen.</summary>
    public async Task<IActionResult> OnPostFindCustomerAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await LoadCustomersAsync(ct);
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        var request = new CaseCreateRequest(f.Kind, f.Channel, f.Subject, f.Description, f.BranchId, f.CustomerId,
            f.CustomerId is null ? new CaseContactInput(f.ContactName, f.ContactPhone, f.ContactEmail) : null,
            f.ProductId, f.TeamId, HandleNow: f.HandleNow ? true : null);
        var created = await idempotency.RunAsync<CaseCreateRequest, Receipt>(Idempotency.CallerOf(user), "POST /Cases/New", f.IdempotencyKey, request, async c =>
        {
            var outcome = await cases.CreateAsync(request, c);
            return outcome.Succeeded ? new Receipt(outcome.Value.Id, outcome.Value.Reference) : outcome.Error;
        }, ct);
        if (created.Succeeded)
        {
            return Redirect("/Cases/" + created.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Error = created.Error;
        Response.StatusCode = created.Error.Status;
        await LoadAsync(ct);
        await LoadCustomersAsync(ct);
        return Page();
    }

    public string CustomerName(string name) => CaseDisplay.Name(name, user.Can(Permission.PersonalDataReveal));

    /// <summary>The messages for one field of the refused create (<c>kind</c>, <c>subject</c>, <c>contact.phone</c>, …), none when it had no error.</summary>
    public IReadOnlyList<string> FieldErrors(params string[] fields) =>
        Error is InvalidError { Fields: { } all } ? fields.SelectMany(f => all.TryGetValue(f, out var m) ? m : []).ToList() : [];

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = (await organisation.BranchesAsync(user, ct)).Where(b => b.IsActive).ToList();
        Teams = (await organisation.TeamsAsync(user, null, ct)).Where(t => t.IsActive).ToList();
        Products = await db.Set<Product>().AsNoTracking().Where(p => p.Status != ProductStatus.Withdrawn).OrderBy(p => p.Code).ToListAsync(ct);
    }

    /// <summary>
    /// The customers to choose from: the chosen one first (if the person may see it: an id of another branch's customer
    /// shows nothing), then the matches of the look-up field as posted.
    /// </summary>
    private async Task LoadCustomersAsync(CancellationToken ct)
    {
        if (!CanLookUp)
        {
            return;
        }

        var hits = (await customers.FindAsync(CustomerQuery, ct)).ToList();
        if (Input.CustomerId is { } chosen && hits.All(h => h.Id != chosen))
        {
            if (await customers.GetAsync(chosen, ct) is { } kept)
            {
                hits.Insert(0, kept);
            }
            else
            {
                Input.CustomerId = null;
            }
        }

        Customers = hits;
    }
}
