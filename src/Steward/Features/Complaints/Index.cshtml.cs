using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>The complaints of the reader's case scope by regulatory deadline, and the complaint cases waiting for intake.</summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintsIndexModel(ComplaintService complaints) : PageModel
{
    public ComplaintList List { get; private set; } = new([], []);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var list = await complaints.ListAsync(200, ct);
        List = list.Succeeded ? list.Value : new([], []);
    }
}
