using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The complaints of the reader's case scope by regulatory deadline, and the complaint cases waiting for intake. With filters in the
/// query string (the dashboard's drill-downs, <see cref="ComplaintListFilter"/>): exactly the complaints a dashboard figure counts.
/// </summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintsIndexModel(ComplaintService complaints) : PageModel
{
    private IReadOnlyDictionary<(ComplaintCodeSet, string), ComplaintCodeDto> codes = new Dictionary<(ComplaintCodeSet, string), ComplaintCodeDto>();

    public ComplaintList List { get; private set; } = new([], []);

    [BindProperty(SupportsGet = true)]
    public ComplaintListFilter Filter { get; set; } = new();

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var list = await complaints.ListAsync(500, Filter, ct);
        if (list.Error is { } refused)
        {
            Error = refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        List = list.Succeeded ? list.Value : new([], []);
        codes = (await complaints.TaxonomyAsync(ct)).Codes.ToDictionary(c => (c.CodeSet, c.Code));
    }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    /// <summary>A code of the taxonomy in force by its name in the reader's language (the code itself if it is no longer in force).</summary>
    public string NameOf(ComplaintCodeSet set, string? code) =>
        code is null ? "" : codes.TryGetValue((set, code), out var c) ? ComplaintDisplay.Name(c) : code;
}
