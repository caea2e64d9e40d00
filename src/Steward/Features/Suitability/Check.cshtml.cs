using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Api;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

/// <summary>Runs the suitability check for recommending or selling a product to the customer; the decision opens on its own page.</summary>
[RequirePermission(Permission.SuitabilityCheck)]
public sealed class CheckModel(SuitabilityChecks checks, CustomerDirectory customers, StewardDbContext db, FormIdempotency idempotency, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long CustomerId { get; set; }

    [BindProperty]
    public CheckInput Input { get; set; } = new();

    public CustomerHit? Customer { get; private set; }

    public bool LimitedCapacity { get; private set; }

    public IReadOnlyList<Product> Products { get; private set; } = [];

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(long? productId, CancellationToken ct)
    {
        Input.ProductId = productId;
        Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var r = new SuitabilityCheckRequest(CustomerId, Input.ProductId, Input.Action, Input.Amount, Input.CustomerInsists, Input.GuardianConsent, Input.RecordingReference);
        var outcome = await idempotency.RunAsync(Idempotency.CallerOf(user), "POST /Suitability/Check", Input.IdempotencyKey, r, c => checks.CheckAsync(r, c), ct);
        if (outcome.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Suitability/Decision?id={outcome.Value.Id}"));
        }

        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Error = outcome.Error;
        Response.StatusCode = outcome.Error.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Customer = await customers.GetAsync(CustomerId, ct);
        if (Customer is null)
        {
            return false;
        }

        LimitedCapacity = await db.Set<Customer>().Where(c => c.Id == CustomerId).Select(c => c.HasLimitedCapacity).SingleAsync(ct);
        Products = await db.Set<Product>().AsNoTracking().Where(p => p.Category != ProductCategory.Payment).OrderBy(p => p.RiskLevel).ThenBy(p => p.Code).ToListAsync(ct);
        return true;
    }
}

public sealed class CheckInput
{
    public long? ProductId { get; set; }

    public SuitabilityAction? Action { get; set; }

    public decimal? Amount { get; set; }

    public bool CustomerInsists { get; set; }

    public bool GuardianConsent { get; set; }

    public string? RecordingReference { get; set; }

    public string? IdempotencyKey { get; set; }
}
