using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation;

public sealed record StaffCreateRequest(
    string Username,
    string DisplayName,
    string? Email,
    long HomeBranchId,
    long? TeamId,
    IReadOnlyList<StaffRole> Roles,
    IReadOnlyList<long>? ExtraBranchIds,
    string Password,
    bool IsActive = true);

public sealed record StaffUpdateRequest(
    string DisplayName,
    string? Email,
    long HomeBranchId,
    long? TeamId,
    IReadOnlyList<StaffRole> Roles,
    IReadOnlyList<long>? ExtraBranchIds,
    bool IsActive,
    int Version);

/// <summary>A whole branch (PUT): <see cref="RegulatoryStandardId"/> omitted or null = the institution's regulatory regime.</summary>
public sealed record BranchUpdateRequest(string Code, string Name, string NameEn, string TimeZone, string? Address, bool IsActive, int Version, long? RegulatoryStandardId = null);

public sealed record TeamUpdateRequest(long BranchId, string Name, string NameEn, bool IsActive, int Version);

public sealed record PasswordResetRequest(string Password);

public sealed record MeResponse(long Id, string Username, string DisplayName, IReadOnlyList<StaffRole> Roles, IReadOnlyList<Permission> Permissions, bool InstitutionScope, IReadOnlyList<long> BranchIds);

public static class OrganisationEndpoints
{
    public static void MapOrganisationEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me", (CurrentUser user) => TypedResults.Ok(new MeResponse(
                user.StaffId ?? 0, user.Username, user.DisplayName, user.Roles,
                Enum.GetValues<Permission>().Where(user.Can).ToList(), user.HasInstitutionScope, user.BranchIds)))
            .WithTags("Organisation").WithSummary("Who am I: roles, permissions and branch scope.");

        var branches = api.MapGroup("/branches").WithTags("Organisation");
        branches.MapGet("/", async (CurrentUser user, OrganisationService org, CancellationToken ct) => TypedResults.Ok(await org.BranchesAsync(user, ct)))
            .WithSummary("Branches the caller may see.");
        branches.MapPost("/", async Task<Results<Created<BranchDto>, ProblemHttpResult>> (BranchInput input, OrganisationService org, CancellationToken ct) =>
                (await org.SaveBranchAsync(null, input, null, ct)).ToCreated(b => $"/api/v1/branches/{b.Id}"))
            .RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage));
        branches.MapPut("/{id:long}", async Task<Results<Ok<BranchDto>, ProblemHttpResult>> (long id, BranchUpdateRequest r, OrganisationService org, CancellationToken ct) =>
                (await org.SaveBranchAsync(id, new BranchInput(r.Code, r.Name, r.NameEn, r.TimeZone, r.Address, r.IsActive, r.RegulatoryStandardId), r.Version, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage))
            .WithSummary("Replaces a branch; regulatoryStandardId is its own regulatory preset for complaints (null: the institution's).");

        var teams = api.MapGroup("/teams").WithTags("Organisation");
        teams.MapGet("/", async (long? branchId, CurrentUser user, OrganisationService org, CancellationToken ct) => TypedResults.Ok(await org.TeamsAsync(user, branchId, ct)));
        teams.MapPost("/", async Task<Results<Created<TeamDto>, ProblemHttpResult>> (TeamInput input, OrganisationService org, CancellationToken ct) =>
                (await org.SaveTeamAsync(null, input, null, ct)).ToCreated(t => $"/api/v1/teams/{t.Id}"))
            .RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage));
        teams.MapPut("/{id:long}", async Task<Results<Ok<TeamDto>, ProblemHttpResult>> (long id, TeamUpdateRequest r, OrganisationService org, CancellationToken ct) =>
                (await org.SaveTeamAsync(id, new TeamInput(r.BranchId, r.Name, r.NameEn, r.IsActive), r.Version, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage));

        var staff = api.MapGroup("/staff").WithTags("Organisation").RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage));
        staff.MapGet("/", async (long? branchId, OrganisationService org, CancellationToken ct) => TypedResults.Ok(await org.StaffAsync(branchId, ct)));
        staff.MapGet("/{id:long}", async Task<Results<Ok<StaffDto>, ProblemHttpResult>> (long id, OrganisationService org, CancellationToken ct) =>
            await org.StaffMemberAsync(id, ct) is { } s ? TypedResults.Ok(s) : Problems.From(new NotFoundError("not-found", "No such staff member 员工不存在", $"Staff {id} does not exist.")));
        staff.MapPost("/", async Task<Results<Created<StaffDto>, ProblemHttpResult>> (StaffCreateRequest r, OrganisationService org, CancellationToken ct) =>
            (await org.CreateStaffAsync(new StaffInput(r.Username, r.DisplayName, r.Email, r.HomeBranchId, r.TeamId, r.Roles ?? [], r.ExtraBranchIds, r.IsActive), r.Password, ct)).ToCreated(s => $"/api/v1/staff/{s.Id}"));
        staff.MapPut("/{id:long}", async Task<Results<Ok<StaffDto>, ProblemHttpResult>> (long id, StaffUpdateRequest r, OrganisationService org, CancellationToken ct) =>
            (await org.UpdateStaffAsync(id, new StaffInput("", r.DisplayName, r.Email, r.HomeBranchId, r.TeamId, r.Roles ?? [], r.ExtraBranchIds, r.IsActive), r.Version, ct)).ToOk());
        staff.MapPost("/{id:long}/password", async Task<Results<Ok<StaffDto>, ProblemHttpResult>> (long id, PasswordResetRequest r, OrganisationService org, CancellationToken ct) =>
            (await org.ResetPasswordAsync(id, r.Password, ct)).ToOk());
        staff.MapPost("/{id:long}/unlock", async Task<Results<Ok<StaffDto>, ProblemHttpResult>> (long id, OrganisationService org, CancellationToken ct) =>
            (await org.UnlockAsync(id, ct)).ToOk());
    }
}
