using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>The case API under <c>/api/v1/cases</c> and the anonymous intake under <c>/api/v1/public</c>.</summary>
public static class CaseEndpoints
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases").RequireAuthorization(IdentitySetup.Policy(Permission.CasesWork));

        cases.MapPost("/", (CaseCreateRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, CaseService service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.CreateAsync(r, c), d => $"/api/v1/cases/{d.Id}", ct))
            .Produces<CaseDetail>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(422)
            .WithSummary("Create a case. Send an Idempotency-Key header to make retries safe.");

        cases.MapGet("/", async Task<Results<Ok<CasePage>, ProblemHttpResult>> ([AsParameters] CaseListQuery q, CaseService service, CancellationToken ct) =>
                Ok(await service.ListAsync(q, ct)))
            .WithSummary("Cases in the caller's scope: filters, full-text q, sort=due|newest (default due; newest when q is given), cursor pagination (limit ≤ 100).");

        cases.MapGet("/count", async Task<Results<Ok<CaseCount>, ProblemHttpResult>> ([AsParameters] CaseListQuery q, CaseService service, CancellationToken ct) =>
                Ok(await service.CountAsync(q, ct)))
            .WithSummary("How many cases in the caller's scope match the filters, up to 10 000 (Cases:CountCap): when more match, count is the cap and capped is true (show 10,000+).");

        cases.MapGet("/{id:long}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseService service, CancellationToken ct) =>
                Ok(await service.GetAsync(id, ct)))
            .WithSummary("One case with timeline, messages, attachments, links, allowed actions and version.");

        cases.MapGet("/{id:long}/contact", async Task<Results<Ok<CaseContactDetails>, ProblemHttpResult>> (long id, CaseService service, CancellationToken ct) =>
                Ok(await service.ContactAsync(id, "case-contact (API)", ct)))
            .WithSummary("The customer's or contact's full name, phone and e-mail (PersonalDataReveal); every call is recorded in the audit log.");

        cases.MapGet("/by-reference/{reference}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (string reference, CaseService service, CancellationToken ct) =>
                Ok(await service.GetByReferenceAsync(reference, ct)))
            .WithSummary("One case by its reference, e.g. SV-20261123-000001.");

        cases.MapPost("/{id:long}/transitions", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseTransitionRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.TransitionAsync(id, r, ct)))
            .WithSummary("Move the case: Review, Start, WaitOnCustomer, WaitOnThirdParty, Resume, Resolve, FollowUp, Close, Reopen, Cancel.");

        cases.MapPost("/{id:long}/replies", async Task<Results<Ok<CaseMessageDto>, ProblemHttpResult>> (long id, CaseMessageRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.AddMessageAsync(id, MessageVisibility.Public, r, ct)))
            .WithSummary("Reply to the customer (shown on the public status page).");

        cases.MapPost("/{id:long}/notes", async Task<Results<Ok<CaseMessageDto>, ProblemHttpResult>> (long id, CaseMessageRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.AddMessageAsync(id, MessageVisibility.Internal, r, ct)))
            .WithSummary("Add an internal note (never shown to the customer).");

        cases.MapPost("/{id:long}/attachments", async Task<Results<Ok<CaseAttachmentDto>, ProblemHttpResult>> (long id, IFormFile file, CaseService service, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                return Ok(await service.AddAttachmentAsync(id, file.FileName, stream, file.Length, ct));
            })
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Upload a file (multipart field 'file'): PDF, PNG, JPEG, TXT, DOCX, XLSX, detected from the content.");

        cases.MapGet("/{id:long}/attachments/{attachmentId:long}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long attachmentId, HttpContext http, CaseService service, CancellationToken ct) =>
            {
                var found = await service.GetAttachmentAsync(id, attachmentId, ct);
                if (!found.Succeeded)
                {
                    return Problem(found.Error!);
                }

                http.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.File(found.Value!.Data, found.Value.ContentType, found.Value.FileName);
            })
            .WithSummary("Download an attachment (Content-Disposition: attachment, nosniff).");

        cases.MapPost("/{id:long}/pick", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseService service, CancellationToken ct) =>
                Ok(await service.PickAsync(id, ct)))
            .WithSummary("Take an unassigned case from the queue; 409 when someone else was quicker.");

        cases.MapPost("/{id:long}/assign", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseAssignRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.AssignAsync(id, r, ct)))
            .WithSummary("Assign or reassign to a team and/or person (CasesAssign; reason required to reassign).");

        cases.MapPost("/{id:long}/release", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseReleaseRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.ReleaseAsync(id, r, ct)))
            .WithSummary("Give one's own case back to the team queue.");

        cases.MapPost("/{id:long}/priority", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CasePriorityRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.OverridePriorityAsync(id, r, ct)))
            .WithSummary("Override the priority with a reason (CasesAssign).");

        cases.MapPost("/{id:long}/classification", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseReclassifyRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.ReclassifyAsync(id, r, ct)))
            .WithSummary("Change the kind with a reason; the priority follows the rules unless overridden.");

        cases.MapPost("/{id:long}/links", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseLinkRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.LinkAsync(id, r, ct)))
            .WithSummary("Link a related case.");

        cases.MapPost("/{id:long}/merge", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseMergeRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.MergeAsync(id, r, ct)))
            .WithSummary("Merge this case (a duplicate) into another; it is cancelled as Duplicate.");

        cases.MapGet("/duty", async (CaseService service, CancellationToken ct) => TypedResults.Ok(await service.DutyAsync(ct)))
            .WithSummary("Whether I am on duty (receive automatically assigned cases).");
        cases.MapPut("/duty", async (DutyRequest r, CaseService service, CancellationToken ct) => TypedResults.Ok(await service.SetDutyAsync(r.OnDuty, ct)))
            .WithSummary("Go on or off duty.");

        var settings = api.MapGroup("/cases").WithTags("Cases");
        settings.MapGet("/teams/{teamId:long}/settings", async Task<Results<Ok<CaseTeamSettingsDto>, ProblemHttpResult>> (long teamId, CaseService service, CancellationToken ct) =>
                Ok(await service.TeamSettingsAsync(teamId, ct)))
            .WithSummary("The kinds a team receives and how it assigns (Manual, RoundRobin, LeastLoaded).");
        settings.MapPut("/teams/{teamId:long}/settings", async Task<Results<Ok<CaseTeamSettingsDto>, ProblemHttpResult>> (long teamId, CaseTeamSettingsRequest r, CaseService service, CancellationToken ct) =>
                Ok(await service.SaveTeamSettingsAsync(teamId, r, ct)))
            .WithSummary("Change a team's case settings (CasesAssign or OrganisationManage); send the version read (0 for none yet).");
        settings.MapGet("/priority-rules", async (CaseService service, CancellationToken ct) => TypedResults.Ok(await service.PriorityRulesAsync(ct)))
            .WithSummary("The priority rules.");
        settings.MapPut("/priority-rules", async Task<Results<Ok<IReadOnlyList<PriorityRuleDto>>, ProblemHttpResult>> (IReadOnlyList<PriorityRuleDto> rules, CaseService service, CancellationToken ct) =>
                Ok(await service.ReplacePriorityRulesAsync(rules, ct)))
            .RequireAuthorization(IdentitySetup.Policy(Permission.StandardsManage))
            .WithSummary("Replace the priority rules (StandardsManage).");

        var pub = api.MapGroup("/public").WithTags("Public intake").AllowAnonymous().RequireRateLimiting(Steward.Platform.Security.RateLimits.Public);
        pub.MapGet("/branches", async (PublicCaseService service, CancellationToken ct) => TypedResults.Ok(await service.BranchesAsync(ct)))
            .WithSummary("Active branches for the public form.");
        pub.MapPost("/cases", (PublicCaseRequest r, HttpContext http, Idempotency idempotency, PublicCaseService service, CancellationToken ct) =>
                idempotency.CreateAsync(http, "public", r, c => service.CreateAsync(r, c), _ => null, ct))
            .Produces<PublicCaseReceipt>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(422)
            .WithSummary("Submit a case from the public web form (Idempotency-Key supported).");
        pub.MapPost("/cases/status", async Task<Results<Ok<PublicCaseStatus>, ProblemHttpResult>> (PublicStatusRequest r, PublicCaseService service, CancellationToken ct) =>
                Ok(await service.StatusAsync(r, ct)))
            .WithSummary("A case's public status: reference plus the phone number or e-mail given.");
    }

    /// <summary>Problem details for an error; an illegal transition also names the current state and the allowed actions.</summary>
    public static ProblemHttpResult Problem(Error error) => error is IllegalTransitionError illegal
        ? Problems.Create(illegal.Status, illegal.Code, illegal.Title, illegal.Detail, new Dictionary<string, object?>
        {
            ["currentStatus"] = illegal.CurrentStatus.ToString(),
            ["waiting"] = illegal.Waiting.ToString(),
            ["attemptedAction"] = illegal.Attempted.ToString(),
            ["allowedActions"] = illegal.AllowedActions.Select(a => a.ToString()).ToArray(),
        })
        : Problems.From(error);

    private static Results<Ok<T>, ProblemHttpResult> Ok<T>(Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problem(outcome.Error!);
}
