using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;

namespace Steward.Features.Routing;

/// <summary>The team queues' API, beside the cases it routes: <c>/api/v1/cases/duty</c> and <c>/api/v1/cases/teams/{teamId}/settings</c>.</summary>
public static class RoutingEndpoints
{
    public static void MapRoutingEndpoints(this IEndpointRouteBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases").RequireAuthorization(IdentitySetup.Policy(Permission.CasesWork));
        cases.MapGet("/duty", async (TeamQueues service, CancellationToken ct) => TypedResults.Ok(await service.DutyAsync(ct)))
            .WithSummary("Whether I am on duty (receive automatically assigned cases).");
        cases.MapPut("/duty", async (DutyRequest r, TeamQueues service, CancellationToken ct) => TypedResults.Ok(await service.SetDutyAsync(r.OnDuty, ct)))
            .WithSummary("Go on or off duty.");

        var settings = api.MapGroup("/cases").WithTags("Cases");
        settings.MapGet("/teams/{teamId:long}/settings", async Task<Results<Ok<CaseTeamSettingsDto>, ProblemHttpResult>> (long teamId, TeamQueues service, CancellationToken ct) =>
                (await service.TeamSettingsAsync(teamId, ct)).ToOk())
            .WithSummary("The kinds a team receives and how it assigns (Manual, RoundRobin, LeastLoaded).");
        settings.MapPut("/teams/{teamId:long}/settings", async Task<Results<Ok<CaseTeamSettingsDto>, ProblemHttpResult>> (long teamId, CaseTeamSettingsRequest r, TeamQueues service, CancellationToken ct) =>
                (await service.SaveTeamSettingsAsync(teamId, r, ct)).ToOk())
            .WithSummary("Change a team's case settings (CasesAssign or OrganisationManage); send the version read (0 for none yet).");
    }
}
