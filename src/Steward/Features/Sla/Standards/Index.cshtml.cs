using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Standards;

[Authorize(Policy = "perm:" + nameof(Permission.StandardsManage))]
public sealed class StandardsIndexModel(StandardService standards, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Priority { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tier { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Channel { get; set; }

    public IReadOnlyList<StandardDto> Standards { get; private set; } = [];

    public SlaResolution? Resolution { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Standards = await standards.ListAsync(ct);
        if (Kind is not null)
        {
            var outcome = await standards.ResolveTargetsAsync(Kind, Priority ?? "", Tier ?? "", Channel ?? "", Instant.FromDateTimeOffset(time.GetUtcNow()), ct);
            Resolution = outcome.Value;
            Error = outcome.Error;
        }
    }
}
