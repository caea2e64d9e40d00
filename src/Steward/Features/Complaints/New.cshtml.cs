using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Cases;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Intake: record a case as a complaint, or record that it is not one (with the reason). Refusals are shown at their fields.</summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintNewModel(ComplaintService complaints, ComplaintFormOptions options) : PageModel
{
    public sealed class IntakeForm
    {
        public ComplainantKind? ComplainantKind { get; set; } = Complaints.ComplainantKind.Customer;
        public string? RepresentativeName { get; set; }
        public string? ProofNote { get; set; }
        public string? WhatHappened { get; set; }
        public string? WhatTheyWant { get; set; }
        public string? AmountInDispute { get; set; }
        public string? Currency { get; set; }
        public long? ProductId { get; set; }
        public CaseChannel? Channel { get; set; }
        public string? Nature { get; set; }
        public string? JrtChannel { get; set; }
        public string? JrtBusiness { get; set; }
        public string? JrtCause { get; set; }
        public string? FcaProductGroup { get; set; }
        public long? SubjectStaffId { get; set; }
        public long? SellerStaffId { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public long CaseId { get; set; }

    [BindProperty]
    public IntakeForm Input { get; set; } = new();

    [BindProperty]
    public string? DismissReason { get; set; }

    public Case? Case { get; private set; }

    public ComplaintChoices Choices { get; private set; } = new(new Dictionary<ComplaintCodeSet, IReadOnlyList<ComplaintChoice>>(), [], []);

    public IReadOnlyList<ComplaintDismissalDto> Dismissals { get; private set; } = [];

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await complaints.IdOfCaseAsync(CaseId, ct) is { } existing)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/Details?id={existing}"));
        }

        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        decimal? amount = null;
        if (!string.IsNullOrWhiteSpace(f.AmountInDispute))
        {
            if (!decimal.TryParse(f.AmountInDispute.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
            {
                Error = new ComplaintInvalid(new Dictionary<string, string[]> { ["amountInDispute"] = ["An amount of at least 0 with at most 2 decimals. 金额须不小于 0，最多两位小数。"] });
                return await ShowAsync(ct, StatusCodes.Status400BadRequest);
            }

            amount = parsed;
        }

        var outcome = await complaints.IntakeAsync(new ComplaintIntakeRequest(CaseId, f.ComplainantKind, f.RepresentativeName, f.ProofNote, f.WhatHappened, f.WhatTheyWant,
            amount, f.Currency, f.ProductId, f.Channel, null, f.Nature, f.JrtChannel, f.JrtBusiness, f.JrtCause, f.FcaProductGroup, f.SubjectStaffId, f.SellerStaffId), ct);
        if (outcome.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/Details?id={outcome.Value.Id}"));
        }

        if (outcome.Error is ComplaintAlreadyRecorded recorded)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/Details?id={recorded.ComplaintId}"));
        }

        Error = outcome.Error;
        return await ShowAsync(ct, outcome.Error.Status);
    }

    public async Task<IActionResult> OnPostDismissAsync(CancellationToken ct)
    {
        var outcome = await complaints.DismissAsync(new ComplaintDismissalRequest(CaseId, DismissReason), ct);
        if (outcome.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/New?caseId={CaseId}"));
        }

        Error = outcome.Error is InvalidError { Fields: { } fields } && fields.ContainsKey("reason")
            ? new ComplaintInvalid(new Dictionary<string, string[]> { ["dismissReason"] = fields["reason"] }) : outcome.Error;
        return await ShowAsync(ct, outcome.Error.Status);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        Case = await complaints.VisibleCaseAsync(CaseId, ct);
        if (Case is null)
        {
            return NotFound();
        }

        Input.Channel ??= Case.Channel;
        Input.ProductId ??= Case.ProductId;
        Choices = await options.ForBranchAsync(Case.BranchId, ct);
        Dismissals = await complaints.DismissalsAsync(CaseId, ct);
        Response.StatusCode = status;
        return Page();
    }
}
