using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;

namespace Steward.Features;

public sealed class HomeModel(OrganisationService organisation, CurrentUser user) : PageModel
{
    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Branches = await organisation.BranchesAsync(user, cancellationToken);
}
