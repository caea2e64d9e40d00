using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla;

[RequirePermission(Permission.StandardsManage)]
public sealed class PresetsModel(StandardService standards) : PageModel
{
    public IReadOnlyList<PresetDto> Presets { get; private set; } = [];

    public PresetSelectionDto? Selection { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(long? standardId, int? version, CancellationToken ct)
    {
        var outcome = await standards.SelectPresetAsync(standardId, version, ct);
        if (outcome.Succeeded)
        {
            return Redirect("/Sla/Presets");
        }

        Error = outcome.Error;
        Response.StatusCode = Error!.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Presets = await standards.PresetsAsync(ct);
        Selection = await standards.SelectionAsync(ct);
    }
}
