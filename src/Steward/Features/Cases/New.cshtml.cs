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
/// Staff record a case at <c>/Cases/New</c>: for an existing customer (looked up by reference or
/// name among the customers of their branches) or for an anonymous contact. A key made when the
/// form is shown makes a double submit create one case.
/// </summary>
[Authorize(Policy = "perm:" + nameof(Permission.CasesWork))]
public sealed class NewCaseModel(CaseService cases, OrganisationService organisation, FormIdempotency idempotency, StewardDbContext db, CurrentUser user) : PageModel
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
    }

    public sealed record CustomerHit(long Id, string Reference, string Name, CustomerTier Tier);

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

    /// <summary>Looks customers up by reference or part of the name and shows the form again with the matches.</summary>
    public async Task<IActionResult> OnPostFindCustomerAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Customers = await FindCustomersAsync(CustomerQuery, ct);
        ModelState.Clear();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        var request = new CaseCreateRequest(f.Kind, f.Channel, f.Subject, f.Description, f.BranchId, f.CustomerId,
            f.CustomerId is null ? new CaseContactInput(f.ContactName, f.ContactPhone, f.ContactEmail) : null,
            f.ProductId, f.TeamId);
        var created = await idempotency.RunAsync<CaseCreateRequest, Receipt>(Idempotency.CallerOf(user), "POST /Cases/New", f.IdempotencyKey, request, async c =>
        {
            var outcome = await cases.CreateAsync(request, c);
            return outcome.Succeeded ? new Receipt(outcome.Value!.Id, outcome.Value.Reference) : outcome.Error!;
        }, ct);
        if (created.Succeeded)
        {
            return Redirect("/Cases/" + created.Value!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Error = created.Error;
        Response.StatusCode = created.Error!.Status;
        await LoadAsync(ct);
        if (f.CustomerId is { } chosen)
        {
            Customers = await db.Set<Customer>().AsNoTracking().Where(x => x.Id == chosen).Select(x => new CustomerHit(x.Id, x.Reference, x.Name, x.Tier)).ToListAsync(ct);
        }

        return Page();
    }

    public string CustomerName(string name) => CaseDisplay.Name(name, user.Can(Permission.PersonalDataReveal));

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = (await organisation.BranchesAsync(user, ct)).Where(b => b.IsActive).ToList();
        Teams = (await organisation.TeamsAsync(user, null, ct)).Where(t => t.IsActive).ToList();
        Products = await db.Set<Product>().AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Code).ToListAsync(ct);
    }

    /// <summary>At most 20 customers of the person's branches whose reference is the query or whose name contains it.</summary>
    private async Task<IReadOnlyList<CustomerHit>> FindCustomersAsync(string? query, CancellationToken ct)
    {
        var q = query?.Trim();
        if (!CanLookUp || string.IsNullOrEmpty(q))
        {
            return [];
        }

        var customers = db.Set<Customer>().AsNoTracking();
        if (!user.HasInstitutionScope)
        {
            var mine = user.BranchIds;
            customers = customers.Where(c => mine.Contains(c.HomeBranchId));
        }

        var reference = q.ToUpperInvariant();
        return await customers.Where(c => c.Reference == reference || c.Name.Contains(q))
            .OrderBy(c => c.Reference).Take(20)
            .Select(c => new CustomerHit(c.Id, c.Reference, c.Name, c.Tier)).ToListAsync(ct);
    }
}
