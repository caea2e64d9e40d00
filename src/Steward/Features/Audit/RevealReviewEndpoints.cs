using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Identity;

namespace Steward.Features.Audit;

public static class RevealReviewEndpoints
{
    public static void MapRevealReviewEndpoints(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(IdentitySetup.Policy(Permission.AuditRead));
        audit.MapGet("/reveals", async Task<Results<Ok<RevealReviewDto>, ProblemHttpResult>> (
            DateTimeOffset? from, DateTimeOffset? to, bool? flagged, RevealReview review, TimeProvider time, CancellationToken ct) =>
        {
            var period = RevealReview.Period(from, to, time.GetUtcNow());
            return period.Succeeded
                ? TypedResults.Ok(await review.ReviewAsync(period.Value.From, period.Value.To, flagged ?? false, ct))
                : Platform.Problems.Problems.From(period.Error);
        }).WithSummary("Who was shown which customer's or case's personal data in full, when and why, over [from, to) (default the last 30 days, " +
            "at most 92), with flags: ManySubjects (more than 20 different subjects in 24 hours), OutsideWorkingHours (the branch calendar), " +
            "OutsideOwnBranches; per person the counts; flagged=true lists only flagged showings.");
    }
}
