using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

public static class SlaClockEndpoints
{
    public static void MapSlaClockEndpoints(this IEndpointRouteBuilder api)
    {
        var work = IdentitySetup.Policy(Permission.CasesWork);
        var cases = api.MapGroup("/cases/{id:long}/sla").WithTags("SLA clocks").RequireAuthorization(work);
        cases.MapGet("/", async Task<Results<Ok<CaseSlaDto>, ProblemHttpResult>> (long id, CaseSlaService service, CancellationToken ct) =>
                (await service.GetAsync(id, CultureInfo.CurrentUICulture.Name, ct)).ToOk())
            .WithSummary("The case's SLA: standard and version, each clock with its due instant, usage, pauses, extensions and the explanation steps.");
        cases.MapPost("/extensions", async Task<Results<Ok<SlaExtensionDto>, ProblemHttpResult>> (long id, SlaExtensionRequest r, CaseSlaService service, CancellationToken ct) =>
                (await service.RequestExtensionAsync(id, r, ct)).ToOk())
            .WithSummary("Requests an extension of a target (newAmount total or addAmount); pending until approved unless the rule needs no approval. Above the rule's maximum → 422.");
        cases.MapPost("/extensions/{extensionId:long}/approve", async Task<Results<Ok<SlaExtensionDto>, ProblemHttpResult>> (long id, long extensionId, SlaDecisionRequest? r, CaseSlaService service, CancellationToken ct) =>
                (await service.DecideAsync(id, extensionId, approve: true, r ?? new SlaDecisionRequest(null, null), ct)).ToOk())
            .WithSummary("Approves a pending extension (team lead, branch manager or compliance; not the requester). Posts the customer notice when the rule requires it.");
        cases.MapPost("/extensions/{extensionId:long}/reject", async Task<Results<Ok<SlaExtensionDto>, ProblemHttpResult>> (long id, long extensionId, SlaDecisionRequest? r, CaseSlaService service, CancellationToken ct) =>
                (await service.DecideAsync(id, extensionId, approve: false, r ?? new SlaDecisionRequest(null, null), ct)).ToOk())
            .WithSummary("Rejects a pending extension.");
        cases.MapPost("/restart", async Task<Results<Ok<CaseSlaDto>, ProblemHttpResult>> (long id, SlaRestartRequest r, CaseSlaService service, CancellationToken ct) =>
                (await service.RestartAsync(id, r, CultureInfo.CurrentUICulture.Name, ct)).ToOk())
            .WithSummary("PRC: new facts and reasons restart the handling period (default: the regulatory resolution clock); reason required.");

        var sla = api.MapGroup("/sla").WithTags("SLA clocks");
        sla.MapGet("/at-risk", async (int? limit, int? within, CaseSlaService service, CancellationToken ct) =>
                TypedResults.Ok(await service.AtRiskAsync(limit ?? 100, ct, within is { } w ? Math.Clamp(w, 0, 10_000) : null)))
            .RequireAuthorization(work)
            .WithSummary("Running clocks of the cases in one's scope, soonest deadline first (negative minutesLeft = breached); limit ≤ 500.");
        sla.MapPost("/sweep", async (SlaSweeper sweeper, CancellationToken ct) => TypedResults.Ok(await sweeper.RunAsync(ct)))
            .RequireAuthorization(IdentitySetup.Policy(Permission.StandardsManage))
            .WithSummary("Runs one SLA sweep pass now and returns its counts and duration (benchmark hook).");
    }
}
