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
        qa.MapGet("/plans", async (QualitySampling service, CancellationToken ct) => TypedResults.Ok(await service.ListPlansAsync(ct)))
            .RequireAuthorization(inspect)
            .WithSummary("Every sampling plan: cycle (Daily, Weekly, Monthly), random percentage, minimum per staff member, cases per flagged staff member, targeted rules, branches (none: all), pass threshold, zone.");
        qa.MapGet("/plans/{id:long}", async Task<Results<Ok<QaPlanDto>, ProblemHttpResult>> (long id, QualitySampling service, CancellationToken ct) =>
                (await service.GetPlanAsync(id, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("One sampling plan.");
        qa.MapPost("/plans", async Task<Results<Created<QaPlanDto>, ProblemHttpResult>> (QaPlanRequest r, QualitySampling service, CancellationToken ct) =>
                (await service.CreatePlanAsync(r, ct)).ToCreated(d => $"/api/v1/qa/plans/{d.Id}"))
            .RequireAuthorization(inspect)
            .WithSummary("Creates a sampling plan. Rules: customer-65, r4-r5-product, fast-resolution, new-staff, complaint-or-detractor. Refused (400, errors by field): a percentage or threshold outside 0–100, a negative minimum, an unknown rule, an unknown branch or zone.");
        qa.MapPut("/plans/{id:long}", async Task<Results<Ok<QaPlanDto>, ProblemHttpResult>> (long id, QaPlanRequest r, QualitySampling service, CancellationToken ct) =>
                (await service.UpdatePlanAsync(id, r, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("Changes a sampling plan (draws already made keep what they picked).");
        qa.MapGet("/plans/{id:long}/draws", async (long id, QualitySampling service, CancellationToken ct) => TypedResults.Ok(await service.DrawsAsync(id, ct)))
            .RequireAuthorization(inspect)
            .WithSummary("The plan's draws, latest period first (without their items).");
        qa.MapPost("/plans/{id:long}/draws", async Task<Results<Created<QaDrawDto>, ProblemHttpResult>> (long id, QaDrawRequest r, QualitySampling service, CancellationToken ct) =>
                (await service.DrawAsync(id, r, ct)).ToCreated(d => $"/api/v1/qa/draws/{d.Id}"))
            .RequireAuthorization(inspect)
            .WithSummary("Draws the plan's sample of a period now (default the last ended; a period is drawn once, else 409 qa-already-drawn), with the seed given or the default (plan id × 100 000 + the start's day number), recorded with the draw. Every targeted case, each staff member's minimum, then the random percentage of the rest; cases sampled or reviewed before are left out.");
        qa.MapPost("/plans/{id:long}/draws/preview", async Task<Results<Ok<QaDrawPreviewDto>, ProblemHttpResult>> (long id, QaDrawRequest r, QualitySampling service, CancellationToken ct) =>
                (await service.PreviewAsync(id, r, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("What a draw of the period with that seed would pick now, stored nowhere: the same seed over the same pool picks the same cases.");
        qa.MapGet("/draws/{id:long}", async Task<Results<Ok<QaDrawDto>, ProblemHttpResult>> (long id, QualitySampling service, CancellationToken ct) =>
                (await service.GetDrawAsync(id, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("One draw with its items and why each was picked (Targeted with its rule, StaffMinimum, Random).");
        qa.MapPost("/sample-items/{id:long}/remove", async Task<Results<Ok<QaSampleItemDto>, ProblemHttpResult>> (long id, QaRemoveItemRequest r, QualitySampling service, CancellationToken ct) =>
                (await service.RemoveItemAsync(id, r, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("Takes a pending case out of its sample, with a reason (kept; the case is never drawn again).");

        qa.MapGet("/rectifications", async (QaRectificationStatus? status, int? limit, QualityRectifications service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(status, limit, ct)))
            .RequireAuthorization()
            .WithSummary("Rectifications the caller may read, newest first: inspectors every one, a team lead their team's, others their own.");
        qa.MapGet("/rectifications/{id:long}", async Task<Results<Ok<QaRectificationDto>, ProblemHttpResult>> (long id, QualityRectifications service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("One rectification, if the caller may read it (else 404), with its latest re-check item.");
        qa.MapPost("/rectifications/{id:long}/evidence", async Task<Results<Ok<QaRectificationDto>, ProblemHttpResult>> (long id, QaEvidenceRequest r, QualityRectifications service, CancellationToken ct) =>
                (await service.SubmitEvidenceAsync(id, r, ct)).ToOk())
            .RequireAuthorization()
            .WithSummary("The staff member gives their evidence (required, at most 4 000 characters); a later case of theirs is drawn as the re-check.");
        qa.MapPost("/rectifications/{id:long}/verify", async Task<Results<Ok<QaRectificationDto>, ProblemHttpResult>> (long id, QaVerifyRequest r, QualityRectifications service, CancellationToken ct) =>
                (await service.VerifyAsync(id, r, ct)).ToOk())
            .RequireAuthorization(inspect)
            .WithSummary("An inspector other than the staff member verifies with a re-check review (default that of the re-check item): with evidence and a pass it closes; a fail reopens it for new evidence. Reviewing the re-check item does this by itself.");
        var calibrate = IdentitySetup.Policy(Permission.QualityCalibrate);
        qa.MapGet("/calibrations", async Task<Results<Ok<IReadOnlyList<QaCalibrationSummaryDto>>, ProblemHttpResult>> (QualityCalibrations service, CancellationToken ct) =>
                (await service.ListAsync(ct)).ToOk())
            .RequireAuthorization(calibrate)
            .WithSummary("Calibration batches, newest first (quality inspectors and compliance): scores in of expected, overall kappa and drift once closed.");
        qa.MapPost("/calibrations", async Task<Results<Created<QaCalibrationDto>, ProblemHttpResult>> (QaCalibrationCreateRequest r, QualityCalibrations service, CancellationToken ct) =>
                (await service.CreateAsync(r, ct)).ToCreated(d => $"/api/v1/qa/calibrations/{d.Id}"))
            .RequireAuthorization(calibrate)
            .WithSummary("Makes a calibration batch: a name, a case-handling scorecard (code; the version in force), cases by id or reference (1–50, each handled by someone), at least two active inspectors, none of whom worked on a case (400, errors at name, scorecard, cases, inspectorIds). Its scores never count toward staff results.");
        qa.MapGet("/calibrations/{id:long}", async Task<Results<Ok<QaCalibrationDto>, ProblemHttpResult>> (long id, QualityCalibrations service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .RequireAuthorization(calibrate)
            .WithSummary("One batch: cases × inspectors with who has scored, and the agreement (Cohen's kappa for two inspectors, Fleiss' for more; per item with N/A as a category, and overall over every case × item), with the Landis & Koch band. While open an invited inspector sees the others' scores of a case only after scoring it, and the agreement only after scoring every case.");
        qa.MapPost("/calibrations/{id:long}/reviews", async Task<Results<Ok<QaCalibrationDto>, ProblemHttpResult>> (long id, QaCalibrationScoreRequest r, QualityCalibrations service, CancellationToken ct) =>
                (await service.ScoreAsync(id, r, ct)).ToOk())
            .RequireAuthorization(calibrate)
            .WithSummary("An invited inspector scores one case of an open batch, with the review's checks and formula (400 at answers.{id}); once per case (409 qa-calibration-scored); never their own work (403 qa-own-work). No dispute, rectification or staff result follows.");
        qa.MapPost("/calibrations/{id:long}/close", async Task<Results<Ok<QaCalibrationDto>, ProblemHttpResult>> (long id, QualityCalibrations service, CancellationToken ct) =>
                (await service.CloseAsync(id, ct)).ToOk())
            .RequireAuthorization(calibrate)
            .WithSummary("Closes a batch once every score is in (else 409 qa-calibration-incomplete) and keeps its kappa; below Quality:CalibrationKappaThreshold (default 0.6), overall or on any item, the inspectors and compliance are notified.");
    }
}
