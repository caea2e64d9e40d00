using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers.Household;

public static class HouseholdEndpoints
{
    public static void MapHouseholdEndpoints(this IEndpointRouteBuilder api)
    {
        var household = api.MapGroup("/customers/{id:long}/household").WithTags("Customers").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        household.MapGet("/", async Task<Results<Ok<IReadOnlyList<HouseholdMemberDto>>, ProblemHttpResult>> (long id, HouseholdService service, CancellationToken ct) =>
                (await service.MembersAsync(id, ct)).ToOk())
            .WithSummary("The customer's household (spouse, children, parents, dependants, guardians), each as what they are to this customer; relatives outside the caller's branches are not listed. For service only: suitability never reads it.");
        household.MapPost("/", async Task<Results<Ok<IReadOnlyList<HouseholdMemberDto>>, ProblemHttpResult>> (long id, HouseholdLinkRequest r, HouseholdService service, CancellationToken ct) =>
                (await service.LinkAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.CustomersManage))
            .WithSummary("Links another customer (by customer number) with the relation they have to this customer.");
        household.MapDelete("/{linkId:long}", async Task<Results<Ok<IReadOnlyList<HouseholdMemberDto>>, ProblemHttpResult>> (long id, long linkId, HouseholdService service, CancellationToken ct) =>
                (await service.UnlinkAsync(id, linkId, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.CustomersManage))
            .WithSummary("Removes a household link.");
    }
}
