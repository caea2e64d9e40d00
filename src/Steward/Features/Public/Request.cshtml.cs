using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Cases;
using Steward.Platform.Api;
using Steward.Platform.Problems;

namespace Steward.Features.Public;

/// <summary>
/// The public intake form at <c>/Public/Request</c> (no sign-in): a customer submits a
/// consultation, complaint, suggestion or praise to a branch and gets the case's reference. The
/// form carries a key made when it was shown, so a double submit or a refresh of the receipt
/// creates one case and shows the same reference again.
/// </summary>
public sealed class RequestModel(PublicCaseService intake, FormIdempotency idempotency) : PageModel
{
    /// <summary>The kinds a customer may choose; business handling needs a branch visit or a signed-in channel.</summary>
    public static readonly IReadOnlyList<CaseKind> Kinds = [CaseKind.Consultation, CaseKind.Complaint, CaseKind.Suggestion, CaseKind.Praise];

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
    }

    [BindProperty]
    public RequestForm Input { get; set; } = new();

    public IReadOnlyList<PublicBranch> Branches { get; private set; } = [];

    public PublicCaseReceipt? Receipt { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Input.IdempotencyKey = Guid.NewGuid().ToString("N");
        Branches = await intake.BranchesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        var request = new PublicCaseRequest(f.BranchId ?? 0, f.Kind, f.Subject, f.Description, f.Name, f.Phone, f.Email);
        var created = f.Kind is { } kind && !Kinds.Contains(kind)
            ? new InvalidError("invalid-case", "The case has errors 案件信息有误", "Choose one of the kinds offered. 请选择所列类型之一。",
                new Dictionary<string, string[]> { ["kind"] = ["Choose one of the kinds offered. 请选择所列类型之一。"] })
            : await idempotency.RunAsync("public", "POST /Public/Request", f.IdempotencyKey, request, c => intake.CreateAsync(request, c), ct);
        if (created.Succeeded)
        {
            Receipt = created.Value;
            return Page();
        }

        Error = created.Error;
        Response.StatusCode = created.Error!.Status;
        Branches = await intake.BranchesAsync(ct);
        return Page();
    }
}
