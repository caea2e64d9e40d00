using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>The complaints of the reader's case scope by regulatory deadline, and the complaint cases waiting for intake.</summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintsIndexModel(ComplaintService complaints) : PageModel
{
    private IReadOnlyDictionary<(ComplaintCodeSet, string), ComplaintCodeDto> codes = new Dictionary<(ComplaintCodeSet, string), ComplaintCodeDto>();

    public ComplaintList List { get; private set; } = new([], []);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var list = await complaints.ListAsync(200, ct);
        List = list.Succeeded ? list.Value : new([], []);
        codes = (await complaints.TaxonomyAsync(ct)).Codes.ToDictionary(c => (c.CodeSet, c.Code));
    }

    /// <summary>A code of the taxonomy in force by its name in the reader's language (the code itself if it is no longer in force).</summary>
    public string NameOf(ComplaintCodeSet set, string? code) =>
        code is null ? "" : codes.TryGetValue((set, code), out var c) ? ComplaintDisplay.Name(c) : code;
}
