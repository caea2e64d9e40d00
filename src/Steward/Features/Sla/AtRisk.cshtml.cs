using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Identity;

namespace Steward.Features.Sla;

/// <summary>Running clocks of the cases in one's scope, soonest deadline first (same as GET /api/v1/sla/at-risk).</summary>
[Authorize(Policy = "perm:" + nameof(Permission.CasesWork))]
public sealed class AtRiskModel(CaseSlaService service) : PageModel
{
    public IReadOnlyList<AtRiskItem> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await service.AtRiskAsync(200, ct);
}
