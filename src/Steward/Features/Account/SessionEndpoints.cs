using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Identity.Sso;

namespace Steward.Features.Account;

/// <summary>Sessions (mine and, for security staff, anyone's) and the single sign-on group mapping (docs/decisions/0045).</summary>
public static class SessionEndpoints
{
    public static void MapSessionEndpoints(this IEndpointRouteBuilder api)
    {
        var mine = api.MapGroup("/me/sessions").WithTags("Auth");
        mine.MapGet("/", async Task<Results<Ok<StaffSessionList>, ProblemHttpResult>> (StaffSessions sessions, CancellationToken ct) =>
            (await sessions.MineAsync(ct)).ToOk())
            .WithSummary("My active sessions (browsers and API tokens): device, address, started, last seen; `current` marks this one.");
        mine.MapDelete("/{id:long}", async Task<Results<Ok<StaffSessionDto>, ProblemHttpResult>> (long id, CurrentUser me, StaffSessions sessions, CancellationToken ct) =>
            (await sessions.RevokeAsync(me.StaffId!.Value, id, ct)).ToOk())
            .WithSummary("Revoke one of my sessions (audited): its cookie or token is refused from its next request.");

        var staff = api.MapGroup("/staff/{staffId:long}/sessions").WithTags("Organisation").RequireAuthorization(IdentitySetup.Policy(Permission.SessionsManage));
        staff.MapGet("/", async Task<Results<Ok<StaffSessionList>, ProblemHttpResult>> (long staffId, StaffSessions sessions, CancellationToken ct) =>
            (await sessions.ListAsync(staffId, ct)).ToOk())
            .WithSummary("A staff member's active sessions (within my branch scope).");
        staff.MapDelete("/{id:long}", async Task<Results<Ok<StaffSessionDto>, ProblemHttpResult>> (long staffId, long id, StaffSessions sessions, CancellationToken ct) =>
            (await sessions.RevokeAsync(staffId, id, ct)).ToOk())
            .WithSummary("Revoke a staff member's session (audited): its cookie or token is refused from its next request.");

        var groups = api.MapGroup("/sso/group-mappings").WithTags("Auth").RequireAuthorization(IdentitySetup.Policy(Permission.SessionsManage));
        groups.MapGet("/", async (SsoGroupMappings mappings, CancellationToken ct) => TypedResults.Ok(await mappings.ListAsync(ct)))
            .WithSummary("How the identity provider's groups map to Steward roles and branches at single sign-on.");
        groups.MapPost("/", async Task<Results<Created<SsoGroupMappingDto>, ProblemHttpResult>> (SsoGroupMappingRequest r, SsoGroupMappings mappings, CancellationToken ct) =>
            (await mappings.AddAsync(r, ct)).ToCreated(m => $"/api/v1/sso/group-mappings/{m.Id}"))
            .WithSummary("Map a group to a role, a branch or both (audited); applied at each member's next single sign-on.");
        groups.MapDelete("/{id:long}", async Task<Results<Ok<SsoGroupMappingDto>, ProblemHttpResult>> (long id, SsoGroupMappings mappings, CancellationToken ct) =>
            (await mappings.RemoveAsync(id, ct)).ToOk())
            .WithSummary("Remove a group mapping (audited); members lose what it gave at their next single sign-on.");
    }
}
