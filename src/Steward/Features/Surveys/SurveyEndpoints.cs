using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

public static class SurveyEndpoints
{
    public static void MapSurveyEndpoints(this IEndpointRouteBuilder api)
    {
        var surveys = api.MapGroup("/surveys").WithTags("Surveys").RequireAuthorization(IdentitySetup.Policy(Permission.ReportsRead));
        surveys.MapGet("/definitions", async (SurveyDefinitions service, CancellationToken ct) => TypedResults.Ok(await service.CurrentAsync(ct)))
            .WithSummary("The version in force of every survey: questions (CSAT 1–5, NPS 0–10, effort 1–7, choices, free text) in Chinese and English with their poor-score thresholds, the trigger (case resolved or closed) with kinds and channels (empty: all), delay and expiry.");
        surveys.MapGet("/definitions/{code}", async Task<Results<Ok<IReadOnlyList<SurveyDefinitionDto>>, ProblemHttpResult>> (string code, SurveyDefinitions service, CancellationToken ct) =>
                (await service.HistoryAsync(code, ct)).ToOk())
            .WithSummary("Every version of one survey, newest first.");
        surveys.MapPost("/definitions", async Task<Results<Ok<SurveyDefinitionDto>, ProblemHttpResult>> (SurveyPublishRequest r, SurveyDefinitions service, CancellationToken ct) =>
                (await service.PublishAsync(r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.StandardsManage))
            .WithSummary("Publishes the next version of a survey (the first for a new code); basedOn = the version the change started from (stale → 409). isActive = false stops it. Field errors name content.questions[i].");
        surveys.MapGet("/invitations", async ([AsParameters] SurveyListQuery q, SurveyQueries service, CancellationToken ct) => TypedResults.Ok(await service.InvitationsAsync(q, ct)))
            .WithSummary("Invitations in the caller's branches, newest first: sent (with channel, sending instant and expiry) or suppressed by the contact policy (with the reason); attribution to the staff member who served.");
        surveys.MapGet("/responses", async ([AsParameters] SurveyListQuery q, SurveyQueries service, CancellationToken ct) => TypedResults.Ok(await service.ResponsesAsync(q, ct)))
            .WithSummary("Responses in the caller's branches, newest first, with the answers, the scores, the attribution and the follow-up case a poor score opened.");

        surveys.MapGet("/analysis", async Task<Results<Ok<SurveyAnalysisResult>, ProblemHttpResult>> ([AsParameters] SurveyAnalysisQuery q, SurveyAnalysis service, CancellationToken ct) =>
                (await service.AnalyseAsync(q, Cultures.IsChinese(CultureInfo.CurrentUICulture), ct)).ToOk())
            .WithSummary("CSAT % (4–5 of 5), NPS (% 9–10 − % 0–6) and mean effort (1–7) by branch, team, staff, month, channel or kind over a period (from/to, UTC days; default the last 90 days), each with n, a 95 % confidence interval and smallSample when n < 30; responses and invitations sent give the response rate.");

        surveys.MapGet("/analysis/keywords", async Task<Results<Ok<SurveyKeywordsResult>, ProblemHttpResult>> ([AsParameters] SurveyAnalysisQuery q, SurveyAnalysis service, CancellationToken ct) =>
                (await service.KeywordsAsync(q, Cultures.IsChinese(CultureInfo.CurrentUICulture), ct)).ToOk())
            .WithSummary("The comments of the period by segment with their top words and two-word phrases (Chinese cut by jieba.NET, English by words less stop words; weight = how many comments use it). With term (and segment): the comments that use it, for the drill-down.");
        surveys.MapGet("/follow-ups/{caseId:long}", async Task<Results<Ok<SurveyFollowUpDto>, ProblemHttpResult>> (long caseId, SurveyFollowUps service, CancellationToken ct) =>
                await service.ForCaseAsync(caseId, ct) is { } f ? TypedResults.Ok(f) : Problems.From(new SurveyFollowUpNotFound(caseId)))
            .RequireAuthorization(IdentitySetup.Policy(Permission.CasesWork))
            .WithSummary("The survey follow-up behind a case: scores, comments, the 24-hour contact and 72-hour plan targets, whether a comment met the complaint definition, and the closing record.");
        surveys.MapPut("/follow-ups/{caseId:long}", async Task<Results<Ok<SurveyFollowUpDto>, ProblemHttpResult>> (long caseId, SurveyFollowUpRequest r, SurveyFollowUps service, CancellationToken ct) =>
                (await service.RecordAsync(caseId, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.CasesWork))
            .WithSummary("Records the root cause and whether the customer's issue was resolved; the follow-up case can be resolved or closed only once both are recorded.");
        surveys.MapGet("/improvements", async (SurveyImprovements service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct)))
            .WithSummary("Improvement proposals (the outer loop) in the caller's branches and the institution-wide ones: the standard revised, owner, due date, status; a done one with CSAT and NPS for 90 days before and since its done day.");
        surveys.MapPost("/improvements", async Task<Results<Ok<SurveyImprovementDto>, ProblemHttpResult>> (SurveyImprovementRequest r, SurveyImprovements service, CancellationToken ct) =>
                (await service.CreateAsync(r, ct)).ToOk())
            .WithSummary("Records an improvement proposal against a service standard (SlaRule, BlueprintStep or Script) with an owner and a due date (team leads, branch managers, administrators).");
        surveys.MapPost("/improvements/{id:long}/done", async Task<Results<Ok<SurveyImprovementDto>, ProblemHttpResult>> (long id, SurveyImprovementDoneRequest r, SurveyImprovements service, CancellationToken ct) =>
                (await service.CompleteAsync(id, r, ct)).ToOk())
            .WithSummary("Marks a proposal done with what was changed (its owner, or those who record proposals); version as read.");

        var pub = api.MapGroup("/public/surveys").WithTags("Public intake").AllowAnonymous().RequireRateLimiting(Steward.Platform.Security.RateLimits.Public);
        pub.MapGet("/{token}", async Task<Results<Ok<PublicSurveyDto>, ProblemHttpResult>> (string token, SurveyResponses service, CancellationToken ct) =>
                (await service.ForLinkAsync(token, ct)).ToOk())
            .WithSummary("The survey behind a link: its questions, and whether it was answered or has closed. Reading it records nothing.");
        pub.MapPost("/{token}/response", async Task<Results<Ok<PublicSurveyReceipt>, ProblemHttpResult>> (string token, PublicSurveySubmitRequest r, SurveyResponses service, CancellationToken ct) =>
                (await service.SubmitAsync(token, r, ct)).ToOk())
            .WithSummary("The customer's answers (question id → number, option id, list of option ids, or text); once per link. A second submission, a closed survey, an unknown question or a score out of range is refused and nothing is stored.");
        pub.MapPost("/{token}/opt-out", async Task<Results<Ok<bool>, ProblemHttpResult>> (string token, SurveyResponses service, CancellationToken ct) =>
                (await service.OptOutAsync(token, ct)).ToOk())
            .WithSummary("The customer asks for no more surveys (every survey, from now on).");
    }
}
