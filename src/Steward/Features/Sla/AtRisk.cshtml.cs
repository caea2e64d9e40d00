using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Identity;

namespace Steward.Features.Sla;

/// <summary>
/// Running clocks of the cases in one's scope that are overdue or due within <see cref="Within"/> hours (working
/// hours on business clocks; default <see cref="DefaultWithin"/>, one working day), soonest deadline first (same as
/// GET /api/v1/sla/at-risk?within=N).
/// </summary>
[RequirePermission(Permission.CasesWork)]
public sealed class AtRiskModel(CaseSlaService service) : PageModel
{
    public const int DefaultWithin = 8;

    public IReadOnlyList<AtRiskItem> Items { get; private set; } = [];

    /// <summary>The threshold in hours, 0 to 1 000 (out-of-range values are brought into it).</summary>
    [BindProperty(SupportsGet = true)]
    public int? Within { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Within = Math.Clamp(Within ?? DefaultWithin, 0, 1000);
        Items = await service.AtRiskAsync(200, ct, Within);
    }
}
