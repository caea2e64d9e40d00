using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Background;
using Steward.Platform.Identity;

namespace Steward.Features.Retention;

/// <summary>Data classification, retention rules, holds and disposition (issue 18, docs/decisions/0052).</summary>
public static class RetentionSetup
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DataClassification>();
        services.AddScoped<RetentionRules>();
        services.AddScoped<RetentionHolds>();
        services.AddScoped<Disposition>();
        services.AddScopedPeriodicJob<Disposition, RetentionOptions>(Disposition.JobName, o => TimeSpan.FromMinutes(o.IntervalMinutes), (d, ct) => d.RunAsync(ct));
        return services;
    }

    public static void MapRetentionEndpoints(this IEndpointRouteBuilder api)
    {
        // The classification is for compliance and administrators (who read the audit log); the rest is compliance's.
        api.MapGet("/retention/classification", (DataClassification classes) => TypedResults.Ok(classes.Tables()))
            .WithTags("Retention").RequireAuthorization(IdentitySetup.Policy(Permission.AuditRead))
            .WithSummary("Every table and column of the data model with its class under the NFRA data security measures (2024): Core, Important, " +
                "GeneralSensitive, General, and its disposal rule: Erase, Mask, Retain.");

        var group = api.MapGroup("/retention").WithTags("Retention").RequireAuthorization(IdentitySetup.Policy(Permission.RetentionManage));
        group.MapGet("/rules", async (RetentionRules rules, CancellationToken ct) => TypedResults.Ok(await rules.ListAsync(ct)))
            .WithSummary("The retention rule of each record class: period in months, the event that starts it, the legal minimum and the legal basis.");
        group.MapPut("/rules/{id:long}", async Task<Results<Ok<RetentionRuleDto>, ProblemHttpResult>> (long id, RetentionRuleChange change, RetentionRules rules, CancellationToken ct) =>
            (await rules.ChangePeriodAsync(id, change, ct)).ToOk())
            .WithSummary("Change a rule's period (audited); send the version you read. Below the legal minimum: 400 retention-below-legal-minimum, nothing changes.");
        group.MapGet("/holds", async (bool? released, RetentionHolds holds, CancellationToken ct) => TypedResults.Ok(await holds.ListAsync(released ?? false, ct)))
            .WithSummary("Open holds (released=true: with the released ones).");
        group.MapPost("/holds", async Task<Results<Created<RetentionHoldDto>, ProblemHttpResult>> (RetentionHoldRequest request, RetentionHolds holds, CancellationToken ct) =>
            (await holds.PlaceAsync(request, ct)).ToCreated(h => $"/api/v1/retention/holds/{h.Id}"))
            .WithSummary("Place a hold on a customer or a case (Complaint, Litigation, RegulatorInquiry) with a reason (audited): nothing of it is disposed of until released.");
        group.MapPost("/holds/{id:long}/release", async Task<Results<Ok<RetentionHoldDto>, ProblemHttpResult>> (long id, RetentionHoldRelease release, RetentionHolds holds, CancellationToken ct) =>
            (await holds.ReleaseAsync(id, release, ct)).ToOk())
            .WithSummary("Release a hold with a reason (audited).");
        group.MapGet("/dispositions", async (DispositionStatus? status, Disposition disposition, CancellationToken ct) => TypedResults.Ok(await disposition.ListAsync(status, ct)))
            .WithSummary("Records past retention listed for the disposition review (by the daily job), and those past retention but held (a hold or an open complaint).");
        group.MapPost("/dispositions/{id:long}/approve", async Task<Results<Ok<DispositionReviewDto>, ProblemHttpResult>> (long id, DispositionDecision decision, Disposition disposition, CancellationToken ct) =>
            (await disposition.ApproveAsync(id, decision, ct)).ToOk())
            .WithSummary("Approve: the record is anonymised (customer file: personal columns erased or masked, the row kept) and a tombstone " +
                "SHA-256(class|id|salted content digest) enters the audit chain. 409 disposition-held when a hold or open complaint covers it now.");
        group.MapPost("/dispositions/{id:long}/defer", async Task<Results<Ok<DispositionReviewDto>, ProblemHttpResult>> (long id, DispositionDeferral deferral, Disposition disposition, CancellationToken ct) =>
            (await disposition.DeferAsync(id, deferral, ct)).ToOk())
            .WithSummary("Defer with a reason until a day (audited); the job lists it again on that day.");
    }
}
