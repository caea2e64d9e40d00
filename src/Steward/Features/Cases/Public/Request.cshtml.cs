using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Features.Cases;
using Steward.Platform.Api;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Cases.Public;

/// <summary>
/// The public intake form at <c>/Public/Request</c> (no sign-in): a customer submits a
/// consultation, complaint, suggestion or praise to a branch and gets the case's reference. The
/// form carries a key made when it was shown, so a double submit or a refresh of the receipt
/// creates one case and shows the same reference again. The form collects personal data, so it says what is done with
/// it (PIPL Art. 17: who handles it, for what, how long, how to exercise one's rights) and is sent only once the
/// customer has ticked that they read that notice.
/// </summary>
public sealed class RequestModel(PublicCaseService intake, FormIdempotency idempotency, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class RequestForm
    {
        public long? BranchId { get; set; }

        public CaseKind? Kind { get; set; }

        public string? Name { get; set; }

        public string? Phone { get; set; }

        public string? Email { get; set; }

        public string? Subject { get; set; }

        public string? Description { get; set; }

        public string? IdempotencyKey { get; set; }

        /// <summary>The customer ticked that they read the privacy notice.</summary>
        public bool PrivacyAccepted { get; set; }
    }

    [BindProperty]
    public RequestForm Input { get; set; } = new();

    public IReadOnlyList<PublicBranch> Branches { get; private set; } = [];

    public PublicCaseReceipt? Receipt { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>The institution's name in the viewer's language (the page's header and its privacy notice).</summary>
    public string Institution { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await intake.BranchesAsync(ct);
        var name = await intake.InstitutionNameAsync(Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture), ct);
        ViewData["Brand"] = name;
        Institution = name ?? l["public.privacy.we"];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        if (!f.PrivacyAccepted)
        {
            return await RefusedAsync(new InvalidError("privacy-not-accepted", l["public.request.notSent"], l["public.privacy.required"],
                new Dictionary<string, string[]> { ["privacyAccepted"] = [l["public.privacy.required"]] }), ct);
        }

        var request = new PublicCaseRequest(f.BranchId ?? 0, f.Kind, f.Subject, f.Description, f.Name, f.Phone, f.Email);
        var created = await idempotency.RunAsync("public", "POST /Public/Request", f.IdempotencyKey, request, c => intake.CreateAsync(request, c), ct);
        if (created.Succeeded)
        {
            Receipt = created.Value;
            await LoadAsync(ct);
            return Page();
        }

        return await RefusedAsync(created.Error, ct);
    }

    private async Task<IActionResult> RefusedAsync(Error error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = error.Status;
        await LoadAsync(ct);
        return Page();
    }
}
