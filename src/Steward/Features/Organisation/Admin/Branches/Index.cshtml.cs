using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Features.Sla;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation.Admin.Branches;

public sealed class BranchesModel(OrganisationService organisation, StandardService standards, CurrentUser user) : PageModel
{
    public sealed class BranchForm
    {
        public string Code { get; set; } = "";

        public string Name { get; set; } = "";

        public string NameEn { get; set; } = "";

        public string TimeZone { get; set; } = "Asia/Shanghai";

        public string? Address { get; set; }

        public bool IsActive { get; set; } = true;

        /// <summary>The branch's own regulatory preset; null = the institution's.</summary>
        public long? RegulatoryStandardId { get; set; }
    }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public BranchForm Input { get; set; } = new();

    public Error? Error { get; private set; }

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    /// <summary>The regulatory presets a branch can answer to.</summary>
    public IReadOnlyList<PresetDto> Presets { get; private set; } = [];

    /// <summary>The institution's preset, which a branch without its own follows (null: none).</summary>
    public PresetDto? InstitutionPreset => Presets.FirstOrDefault(p => p.Selected);

    public IEnumerable<string> Zones => NodaTime.DateTimeZoneProviders.Tzdb.Ids.Where(z => z.Contains('/', StringComparison.Ordinal));

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Id is { } id && Branches.FirstOrDefault(b => b.Id == id) is { } b)
        {
            Input = new BranchForm
            {
                Code = b.Code, Name = b.Name, NameEn = b.NameEn, TimeZone = b.TimeZone, Address = b.Address, IsActive = b.IsActive,
                RegulatoryStandardId = b.RegulatoryStandardId,
            };
            Version = b.Version;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await organisation.SaveBranchAsync(
            Id, new BranchInput(Input.Code, Input.Name, Input.NameEn, Input.TimeZone, Input.Address, Input.IsActive, Input.RegulatoryStandardId), Id is null ? null : Version, ct);
        if (result.Succeeded)
        {
            return Redirect("/Admin/Branches");
        }

        Error = result.Error;
        await LoadAsync(ct);
        Response.StatusCode = result.Error!.Status;
        return Page();
    }

    /// <summary>The preset's short display: its code (the full name is in the form).</summary>
    public string RegimeCode(long? standardId) => Presets.FirstOrDefault(p => p.Id == standardId)?.Code ?? "";

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await organisation.BranchesAsync(user, ct);
        Presets = await standards.PresetsAsync(ct);
    }
}
