using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Tiering;

public static class TieringEndpoints
{
    public static void MapTieringEndpoints(this IEndpointRouteBuilder api)
    {
        var rules = api.MapGroup("/customers/tier-rules").WithTags("Customers").RequireAuthorization(IdentitySetup.Policy(Permission.CustomerTiersManage));
        rules.MapGet("/", async (TierRules service, HttpResponse response, CancellationToken ct) =>
            {
                var dto = await service.GetAsync(ct);
                response.Headers.ETag = "\"" + dto.Version.ToString(CultureInfo.InvariantCulture) + "\"";
                return TypedResults.Ok(dto);
            })
            .WithSummary("The tier rules in force: per tier the minimum assets under management (CNY), products held and tenure in months (null = not required), the grace days before a downgrade, the version (also the ETag).");
        rules.MapPut("/", async Task<Results<Ok<TierRulesDto>, ProblemHttpResult>> (TierRulesRequest r, HttpRequest request, TierRules service, CancellationToken ct) =>
            {
                var ifMatch = request.Headers.IfMatch.ToString().Trim('"', ' ');
                var version = r.Version ?? (int.TryParse(ifMatch, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null);
                return (await service.SaveAsync(r with { Version = version }, ct)).ToOk();
            })
            .WithSummary("Replaces the tier rules: every tier's minimum assets, higher tiers never needing less (field errors name the field, e.g. gold.minAum); version (or If-Match) = the version read, stale → 409. Applies from the next recompute.");

        var customers = api.MapGroup("/customers").WithTags("Customers").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        customers.MapGet("/{id:long}/tier-history", async Task<Results<Ok<TierHistoryDto>, ProblemHttpResult>> (long id, TierHistory service, CancellationToken ct) =>
                (await service.ForAsync(id, ct)).ToOk())
            .WithSummary("The customer's tier changes, newest first, each with its reason and figures, and since when they are below their tier (the downgrade waits for the grace period). Another branch's customer is 404.");
    }
}
