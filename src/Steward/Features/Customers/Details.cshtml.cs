using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

/// <summary>
/// The customer 360 page: profile, KYC (verify and reject for KycVerify), vulnerability, risk level, tier and the customer's
/// cases; personal data masked until revealed (PersonalDataReveal, with a stated purpose, recorded in the audit log).
/// A customer of another branch is not found.
/// </summary>
[RequirePermission(Permission.CustomersRead)]
public sealed class CustomerDetailsModel(CustomerFileService customers, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public CustomerDto? Customer { get; private set; }

    /// <summary>The home branch's time zone: times on the file are its local times, as on the case pages.</summary>
    public string? Zone { get; private set; }

    public IReadOnlyList<CustomerCaseRow> Cases { get; private set; } = [];

    public CustomerRevealed? Revealed { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>Which form the error belongs to (reveal, verify, reject), so that its messages show at its fields.</summary>
    public string? ErrorForm { get; private set; }

    public bool CanManage => user.Can(Permission.CustomersManage);

    public bool CanVerify => user.Can(Permission.KycVerify);

    public bool CanReveal => user.Can(Permission.PersonalDataReveal);

    public bool CanSeeCases => user.Can(Permission.CasesWork);

    public IReadOnlyList<string> FieldErrors(string form, params string[] keys) => ErrorForm == form ? Shared.FieldErrors.For(Error, keys) : [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRevealAsync(string? purpose, CancellationToken ct)
    {
        var revealed = await customers.RevealAsync(Id, purpose, "page", ct);
        if (revealed.Succeeded)
        {
            Revealed = revealed.Value;
            Response.Headers.CacheControl = "no-store";
            return await LoadAsync(ct) ? Page() : NotFound();
        }

        return await FailAsync("reveal", revealed.Error, ct);
    }

    public async Task<IActionResult> OnPostVerifyAsync(int? version, CancellationToken ct) =>
        await DoneAsync("verify", await customers.VerifyKycAsync(Id, new KycVerifyRequest(version), ct), ct);

    public async Task<IActionResult> OnPostRejectAsync(string? reason, int? version, CancellationToken ct) =>
        await DoneAsync("reject", await customers.RejectKycAsync(Id, new KycRejectRequest(reason, version), ct), ct);

    private async Task<IActionResult> DoneAsync(string form, Outcome<CustomerDto> outcome, CancellationToken ct) =>
        outcome.Succeeded ? Redirect("/Customers/Details?id=" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : await FailAsync(form, outcome.Error, ct);

    private async Task<IActionResult> FailAsync(string form, Error error, CancellationToken ct)
    {
        if (error is NotFoundError || !await LoadAsync(ct))
        {
            return NotFound();
        }

        Error = error;
        ErrorForm = form;
        // A form a person could not have used (no permission) is 403; a refused one says why at its field.
        Response.StatusCode = error.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await customers.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Customer = found.Value;
        Cases = await customers.CasesAsync(Id, ct);
        Zone = (await customers.BranchChoicesAsync(ct)).FirstOrDefault(b => b.Id == Customer.HomeBranchId)?.TimeZone;
        return true;
    }
}
