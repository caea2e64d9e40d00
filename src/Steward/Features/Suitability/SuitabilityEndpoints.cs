using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Suitability;

public static class SuitabilityEndpoints
{
    public static void MapSuitabilityEndpoints(this IEndpointRouteBuilder api)
    {
        var customers = api.MapGroup("/customers/{id:long}").WithTags("Risk assessments").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        customers.MapGet("/risk-assessments", async Task<Results<Ok<IReadOnlyList<AssessmentDto>>, ProblemHttpResult>> (long id, RiskAssessments service, CancellationToken ct) =>
                (await service.HistoryAsync(id, ct)).ToOk())
            .WithSummary("The customer's risk assessments, newest first, with answers, score, level, channel and validity; isCurrent marks the one that governs today.");
        customers.MapPost("/risk-assessments", (long id, AssessmentSubmitRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, RiskAssessments service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.SubmitAtCounterAsync(id, r, c), a => $"/api/v1/risk-assessments/{a.Id}", ct))
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityCheck))
            .Produces<AssessmentDto>(StatusCodes.Status201Created).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("An assessment answered by the customer at the counter (customerPresent must be true: staff never answer for the customer). answers: question id → option id of the current questionnaire. At most 2 a day and 8 in 12 months (409). A changed level waits for the customer's confirmation.");
        customers.MapPost("/risk-assessment-links", async Task<Results<Ok<AssessmentLinkDto>, ProblemHttpResult>> (long id, HttpContext http, RiskAssessments service, CancellationToken ct) =>
                (await service.CreateLinkAsync(id, $"{http.Request.Scheme}://{http.Request.Host}", ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityCheck))
            .WithSummary("A one-time link (72 hours) for the customer to answer the questionnaire on the public site.");
        customers.MapGet("/suitability-decisions", async (long id, SuitabilityChecks service, CancellationToken ct) => TypedResults.Ok(await service.ForCustomerAsync(id, ct)))
            .WithTags("Suitability").WithSummary("The customer's suitability decisions, newest first.");

        var assessments = api.MapGroup("/risk-assessments").WithTags("Risk assessments").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        assessments.MapGet("/{id:long}", async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> (long id, RiskAssessments service, CancellationToken ct) =>
            (await service.GetAsync(id, ct)).ToOk());
        assessments.MapPost("/{id:long}/confirm", async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> (long id, AssessmentConfirmRequest r, RiskAssessments service, CancellationToken ct) =>
                (await service.ConfirmAtCounterAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityCheck))
            .WithSummary("The customer, present, confirms (accept = true) or refuses the changed level; version = the assessment's version.");

        var questionnaires = api.MapGroup("/risk-questionnaires").WithTags("Risk assessments");
        questionnaires.MapGet("/current", async (SuitabilityCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.CurrentQuestionnaireAsync(ct)))
            .WithSummary("The questionnaire in use: questions, options with scores, and the score bands C1–C5, in Chinese and English.");
        questionnaires.MapGet("/{number:int}", async Task<Results<Ok<QuestionnaireDto>, ProblemHttpResult>> (int number, SuitabilityCatalog catalog, CancellationToken ct) =>
            (await catalog.QuestionnaireAsync(number, ct)).ToOk());
        questionnaires.MapPost("/", async Task<Results<Ok<QuestionnaireDto>, ProblemHttpResult>> (QuestionnairePublishRequest r, SuitabilityCatalog catalog, CancellationToken ct) =>
                (await catalog.PublishQuestionnaireAsync(r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityRulesManage))
            .WithSummary("Publishes the next questionnaire version; basedOn = the current number (stale → 409). Field errors name questions[i].options[j].");

        var suitability = api.MapGroup("/suitability").WithTags("Suitability").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        suitability.MapPost("/checks", (SuitabilityCheckRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, SuitabilityChecks service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.CheckAsync(r, c), d => $"/api/v1/suitability/checks/{d.Id}", ct))
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityCheck))
            .Produces<DecisionDto>(StatusCodes.Status201Created).ProducesProblem(403).ProducesProblem(422)
            .WithSummary("Runs the suitability check for recommending or selling a product to a customer and records the decision: pass, block (every finding) or proceedAfterWarning (the customer insisted on a product above their level). Idempotency-Key supported.");
        suitability.MapGet("/checks/{id:long}", async Task<Results<Ok<DecisionDto>, ProblemHttpResult>> (long id, SuitabilityChecks service, CancellationToken ct) =>
            (await service.GetAsync(id, ct)).ToOk());
        suitability.MapGet("/checks/awaiting-review", async (SuitabilityChecks service, CancellationToken ct) => TypedResults.Ok(await service.AwaitingReviewAsync(ct)))
            .WithSummary("Decisions in the caller's branches waiting for a second reviewer.");
        suitability.MapPost("/checks/{id:long}/acknowledge", async Task<Results<Ok<DecisionDto>, ProblemHttpResult>> (long id, AcknowledgeRequest r, SuitabilityChecks service, CancellationToken ct) =>
                (await service.AcknowledgeAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityCheck))
            .WithSummary("Records that the customer acknowledged the risk disclosure (and the special warning); customerAcknowledged must be true.");
        suitability.MapPost("/checks/{id:long}/review", async Task<Results<Ok<DecisionDto>, ProblemHttpResult>> (long id, ReviewRequest r, SuitabilityChecks service, CancellationToken ct) =>
                (await service.ReviewAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityReview))
            .WithSummary("The second review (approve, or refuse with a note) by someone other than the seller.");
        suitability.MapPost("/checks/{id:long}/replay", async Task<Results<Ok<ReplayDto>, ProblemHttpResult>> (long id, ReplayRequest r, SuitabilityChecks service, CancellationToken ct) =>
                (await service.ReplayAsync(id, r, ct)).ToOk())
            .WithSummary("Evaluates the decision's stored inputs again under a rule set (ruleSetNumber, or the current one) and lists the findings added and removed.");

        var rules = api.MapGroup("/suitability/rule-sets").WithTags("Suitability");
        rules.MapGet("/", async (SuitabilityCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.RuleHistoryAsync(ct)))
            .WithSummary("The rule set versions, newest first.");
        rules.MapGet("/{number:int}", async Task<Results<Ok<RuleSetDto>, ProblemHttpResult>> (int number, SuitabilityCatalog catalog, CancellationToken ct) =>
                (await catalog.RulesAsync(number, ct)).ToOk());
        rules.MapPost("/", async Task<Results<Ok<RuleSetDto>, ProblemHttpResult>> (RuleSetPublishRequest r, SuitabilityCatalog catalog, CancellationToken ct) =>
                (await catalog.PublishRulesAsync(r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.SuitabilityRulesManage))
            .WithSummary("Publishes the next rule set version; basedOn = the current number (stale → 409).");

        var pub = api.MapGroup("/public/risk-assessment").WithTags("Public intake").AllowAnonymous().RequireRateLimiting(Steward.Platform.Security.RateLimits.Public);
        pub.MapPost("/", async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> (PublicAssessmentRequest r, RiskAssessments service, CancellationToken ct) =>
                (await service.SubmitOnlineAsync(r.Token, new AssessmentSubmitRequest(r.QuestionnaireNumber, r.Answers, false), ct)).ToOk())
            .WithSummary("The customer answers through their one-time link (token).");
        pub.MapPost("/confirm", async Task<Results<Ok<AssessmentDto>, ProblemHttpResult>> (PublicConfirmRequest r, RiskAssessments service, CancellationToken ct) =>
                (await service.ConfirmOnlineAsync(r.Token, new AssessmentConfirmRequest(r.Version, r.Accept), ct)).ToOk())
            .WithSummary("The customer confirms or refuses their changed level through the same link.");
    }
}

public sealed record PublicAssessmentRequest(string? Token, int? QuestionnaireNumber, Dictionary<string, string>? Answers);

public sealed record PublicConfirmRequest(string? Token, int? Version, bool Accept = true);
