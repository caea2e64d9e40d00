using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation.Admin.Teams;

public sealed class TeamsModel(OrganisationService organisation, CurrentUser user) : PageModel
{
    public sealed class TeamForm
    {
        public long BranchId { get; set; }

        public string Name { get; set; } = "";

        public string NameEn { get; set; } = "";

        public bool IsActive { get; set; } = true;
    }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    [BindProperty]
    public TeamForm Input { get; set; } = new();

    public Error? Error { get; private set; }

    public IReadOnlyList<TeamDto> Teams { get; private set; } = [];

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Id is { } id && Teams.FirstOrDefault(t => t.Id == id) is { } t)
        {
            Input = new TeamForm { BranchId = t.BranchId, Name = t.Name, NameEn = t.NameEn, IsActive = t.IsActive };
            Version = t.Version;
        }
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await organisation.SaveTeamAsync(Id, new TeamInput(Input.BranchId, Input.Name, Input.NameEn, Input.IsActive), Id is null ? null : Version, ct);
        if (result.Succeeded)
        {
            return Redirect("/Admin/Teams");
        }

        Error = result.Error;
        await LoadAsync(ct);
        Response.StatusCode = result.Error!.Status;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Branches = await organisation.BranchesAsync(user, ct);
        Teams = await organisation.TeamsAsync(user, null, ct);
    }
}
