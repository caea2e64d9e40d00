using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

using Steward.Features.Cases;

namespace Steward.Features.Routing;

/// <summary>
/// Queue settings at <c>/Cases/Settings</c> for team leads and administrators: how each team of
/// their branches assigns cases (manual, round-robin, least-loaded) and which kinds it receives;
/// and the priority rules in force (read-only here; StandardsManage replaces them through the API).
/// </summary>
public sealed class SettingsModel(TeamQueues queues, CasePriorityRules rules, OrganisationService organisation, CurrentUser user) : PageModel
{
    public sealed record TeamRow(TeamDto Team, CaseTeamSettingsDto Settings);

    [BindProperty(SupportsGet = true)]
    public long? TeamId { get; set; }

    [BindProperty]
    public AssignmentMode Mode { get; set; }

    [BindProperty]
    public List<CaseKind> Kinds { get; set; } = [];

    [BindProperty]
    public int Version { get; set; }

    public IReadOnlyList<TeamRow> Teams { get; private set; } = [];

    public IReadOnlyList<PriorityRuleDto> Rules { get; private set; } = [];

    public Error? Error { get; private set; }

    public bool Saved { get; private set; }

    public TeamRow? Selected => Teams.FirstOrDefault(t => t.Team.Id == TeamId);

    private bool Allowed => user.Can(Permission.CasesAssign) || user.Can(Permission.OrganisationManage);

    public async Task<IActionResult> OnGetAsync(bool saved, CancellationToken ct)
    {
        if (!Allowed)
        {
            return Forbid();
        }

        Saved = saved;
        await LoadAsync(ct);
        if (Selected is { } row)
        {
            Mode = row.Settings.Mode;
            Kinds = row.Settings.Kinds.ToList();
            Version = row.Settings.Version;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Allowed || TeamId is not { } teamId)
        {
            return Forbid();
        }

        var result = await queues.SaveTeamSettingsAsync(teamId, new CaseTeamSettingsRequest(Mode, Kinds, Version), ct);
        if (result.Succeeded)
        {
            return Redirect($"/Cases/Settings?teamId={teamId}&saved=true");
        }

        Error = result.Error;
        Response.StatusCode = result.Error.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = new List<TeamRow>();
        foreach (var team in await organisation.TeamsAsync(user, null, ct))
        {
            var settings = await queues.TeamSettingsAsync(team.Id, ct);
            if (settings.Succeeded)
            {
                rows.Add(new TeamRow(team, settings.Value));
            }
        }

        Teams = rows;
        Rules = await rules.PriorityRulesAsync(ct);
    }
}
