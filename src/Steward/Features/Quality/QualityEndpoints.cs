using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;

namespace Steward.Features.Quality;

public static class QualityEndpoints
{
    public static void MapQualityEndpoints(this IEndpointRouteBuilder api)
    {
        var qa = api.MapGroup("/qa").WithTags("Quality");
        var inspect = IdentitySetup.Policy(Permission.QualityInspect);
        qa.MapGet("/scorecards", async (QualityScorecards service, CancellationToken ct) => TypedResults.Ok(await service.CurrentAsync(null, ct)))
            .RequireAuthorization(inspect)
            .WithSummary("The version in force of every scorecard: sections and items with weight (0–100), scale (yes/no, 3-, 4-, 5-point), N/A allowed, critical and bonus, in Chinese and English.");
        qa.MapGet("/scorecards/{code}", async Task<Results<Ok<IReadOnlyList<QaScorecardDto>>, ProblemHttpResult>> (string code, QualityScorecards service, CancellationToken ct) =>
                (await service.HistoryAsync(code, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("Every version of one scorecard, newest first.");
        qa.MapPost("/scorecards", async Task<Results<Ok<QaScorecardDto>, ProblemHttpResult>> (QaScorecardPublishRequest r, QualityScorecards service, CancellationToken ct) =>
                (await service.PublishAsync(r, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("Publishes the next version of a scorecard (the first for a new code); basedOn = the version the change started from (stale → 409). Reviews already made keep the version they were made with.");

        qa.MapPost("/reviews", async Task<Results<Created<QaReviewDto>, ProblemHttpResult>> (QaReviewCreateRequest r, QualityReviews service, CancellationToken ct) =>
                (await service.CreateAsync(r, ct)).ToCreated(d => $"/api/v1/qa/reviews/{d.Id}"))
            .RequireAuthorization(inspect)
            .WithSummary("Reviews a case against the version in force of a scorecard: answers item id → {value} or {na: true}, each with an optional comment. Score: item (selected − min) / (max − min) × 100; review the weighted mean of the non-N/A, non-bonus items, plus bonus points (capped at 100); a critical item below 50 % sets it to 0. Refused: a missing item, a value off the scale, N/A where forbidden (400, errors at answers.{id}); one's own case (403).");
        qa.MapGet("/reviews", async ([AsParameters] QaReviewListQuery q, QualityReviews service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(q, ct)))
            .RequireAuthorization()
            .WithSummary("Reviews the caller may read, newest first: inspectors every one, a team lead their team's, others their own.");
        qa.MapGet("/reviews/{id:long}", async Task<Results<Ok<QaReviewDto>, ProblemHttpResult>> (long id, QualityReviews service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("One review, if the caller may read it (else 404).");
        qa.MapPost("/reviews/{id:long}/accept", async Task<Results<Ok<QaReviewDto>, ProblemHttpResult>> (long id, QualityReviews service, CancellationToken ct) =>
                (await service.AcceptAsync(id, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("The reviewed staff member accepts the review.");
        qa.MapPost("/reviews/{id:long}/dispute", async Task<Results<Ok<QaReviewDto>, ProblemHttpResult>> (long id, QaDisputeRequest r, QualityReviews service, CancellationToken ct) =>
                (await service.DisputeAsync(id, r, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("The reviewed staff member disputes the review within the window (Quality:DisputeWindowDays, default 7): a suggested score 0–100 and a comment.");
        qa.MapPost("/reviews/{id:long}/resolve", async Task<Results<Ok<QaReviewDto>, ProblemHttpResult>> (long id, QaResolveRequest r, QualityReviews service, CancellationToken ct) =>
                (await service.ResolveAsync(id, r, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("The staff member's team lead, or an inspector other than the reviewer, resolves a dispute: uphold, or change the score; a comment either way.");
    }
}
