using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The complaint classification in force, set by set, and its versions; compliance publishes the next version from here — one
/// code added, one renamed, one retired, any of them (the same publish as the API: <see cref="ComplaintTaxonomyVersions"/>).
/// </summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintTaxonomyModel(ComplaintService complaints, ComplaintTaxonomyVersions versions, CurrentUser user) : PageModel
{
    public sealed class PublishForm
    {
        public int? BasedOn { get; set; }
        public string? Citation { get; set; }
        public ComplaintCodeSet? AddSet { get; set; }
        public string? AddCode { get; set; }
        public string? AddName { get; set; }
        public string? AddNameEn { get; set; }

        /// <summary>The code to rename as <c>Set:Code</c> (e.g. <c>JrtBusiness:B99</c>), as the select offers it.</summary>
        public string? RenameCode { get; set; }
        public string? RenameName { get; set; }
        public string? RenameNameEn { get; set; }

        /// <summary>The code to retire as <c>Set:Code</c>.</summary>
        public string? RetireCode { get; set; }
    }

    [BindProperty]
    public PublishForm Input { get; set; } = new();

    public ComplaintTaxonomyDto? Current { get; private set; }

    public IReadOnlyList<ComplaintTaxonomyDto> Versions { get; private set; } = [];

    public bool CanPublish => user.Can(Permission.ComplaintsOversee);

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var f = Input;
        // A part of the form counts when its code is given; the service checks the rest and answers at add[0].*, rename[0].*, retire[0].*.
        List<ComplaintCodeChange> add = f.AddSet is not null || !string.IsNullOrWhiteSpace(f.AddCode) || !string.IsNullOrWhiteSpace(f.AddName) || !string.IsNullOrWhiteSpace(f.AddNameEn)
            ? [new ComplaintCodeChange(f.AddSet, f.AddCode, f.AddName, f.AddNameEn)] : [];
        List<ComplaintCodeChange> rename = Split(f.RenameCode) is { } r ? [new ComplaintCodeChange(r.Set, r.Code, f.RenameName, f.RenameNameEn)] : [];
        List<ComplaintCodeRef> retire = Split(f.RetireCode) is { } x ? [new ComplaintCodeRef(x.Set, x.Code)] : [];
        var published = await versions.PublishAsync(new ComplaintTaxonomyPublishRequest(f.BasedOn, f.Citation, add, rename, retire), ct);
        if (published.Succeeded)
        {
            return Redirect("/Complaints/Taxonomy?published=" + published.Value.Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (published.Error is ForbiddenError)
        {
            return Forbid();
        }

        Error = published.Error;
        return await ShowAsync(ct, published.Error.Status);
    }

    private static (ComplaintCodeSet Set, string Code)? Split(string? value) =>
        value?.Split(':', 2) is [var set, var code] && Enum.TryParse<ComplaintCodeSet>(set, out var s) && Enum.IsDefined(s) && code.Length > 0 ? (s, code) : null;

    private async Task<IActionResult> ShowAsync(CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        Current = await complaints.TaxonomyAsync(ct);
        Versions = await versions.HistoryAsync(ct);
        Input.BasedOn ??= Current.Number;
        Response.StatusCode = status;
        return Page();
    }
}
