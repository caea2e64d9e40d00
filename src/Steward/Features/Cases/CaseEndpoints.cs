using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Features.Cases.Public;

namespace Steward.Features.Cases;

/// <summary>The case API under <c>/api/v1/cases</c> and the anonymous intake under <c>/api/v1/public</c>.</summary>
public static class CaseEndpoints
{
    public static void MapCaseEndpoints(this IEndpointRouteBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases").RequireAuthorization(IdentitySetup.Policy(Permission.CasesWork));

        cases.MapPost("/", (CaseCreateRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, CaseCreation service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.CreateAsync(r, c), d => $"/api/v1/cases/{d.Id}", ct))
            .Produces<CaseDetail>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(422)
            .WithSummary("Create a case. Send an Idempotency-Key header to make retries safe.");

        cases.MapGet("/", async Task<Results<Ok<CasePage>, ProblemHttpResult>> ([AsParameters] CaseListQuery q, CaseQueries service, CancellationToken ct) =>
                (await service.ListAsync(q, ct)).ToOk())
            .WithSummary("Cases in the caller's scope: filters, full-text q, sort=due|newest (default due; newest when q is given), cursor pagination (limit ≤ 100).");

        cases.MapGet("/count", async Task<Results<Ok<CaseCount>, ProblemHttpResult>> ([AsParameters] CaseListQuery q, CaseQueries service, CancellationToken ct) =>
                (await service.CountAsync(q, ct)).ToOk())
            .WithSummary("How many cases in the caller's scope match the filters, up to 10 000 (Cases:CountCap): when more match, count is the cap and capped is true (show 10,000+).");

        cases.MapGet("/{id:long}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseQueries service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .WithSummary("One case with timeline, messages, attachments, links, allowed actions and version.");

        cases.MapGet("/{id:long}/contact", async Task<Results<Ok<CaseContactDetails>, ProblemHttpResult>> (long id, CaseQueries service, CancellationToken ct) =>
                (await service.ContactAsync(id, "case-contact (API)", ct)).ToOk())
            .WithSummary("The customer's or contact's full name, phone and e-mail (PersonalDataReveal); every call is recorded in the audit log.");

        cases.MapGet("/by-reference/{reference}", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (string reference, CaseQueries service, CancellationToken ct) =>
                (await service.GetByReferenceAsync(reference, ct)).ToOk())
            .WithSummary("One case by its reference, e.g. SV-20261123-000001.");

        cases.MapPost("/{id:long}/transitions", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseTransitionRequest r, CaseLifecycleCommands service, CancellationToken ct) =>
                (await service.TransitionAsync(id, r, ct)).ToOk())
            .WithSummary("Move the case: Review, Start, WaitOnCustomer, WaitOnThirdParty, Resume, Resolve, FollowUp, Close, Reopen, Cancel.");

        cases.MapPost("/{id:long}/replies", async Task<Results<Ok<CaseMessageDto>, ProblemHttpResult>> (long id, CaseMessageRequest r, CaseConversation service, CancellationToken ct) =>
                (await service.AddMessageAsync(id, MessageVisibility.Public, r, ct)).ToOk())
            .WithSummary("Reply to the customer (shown on the public status page).");

        cases.MapPost("/{id:long}/notes", async Task<Results<Ok<CaseMessageDto>, ProblemHttpResult>> (long id, CaseMessageRequest r, CaseConversation service, CancellationToken ct) =>
                (await service.AddMessageAsync(id, MessageVisibility.Internal, r, ct)).ToOk())
            .WithSummary("Add an internal note (never shown to the customer).");

        cases.MapPost("/{id:long}/attachments", async Task<Results<Ok<CaseAttachmentDto>, ProblemHttpResult>> (long id, IFormFile file, CaseConversation service, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                return (await service.AddAttachmentAsync(id, file.FileName, stream, file.Length, ct)).ToOk();
            })
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Upload a file (multipart field 'file'): PDF, PNG, JPEG, TXT, DOCX, XLSX, detected from the content.");

        cases.MapGet("/{id:long}/attachments/{attachmentId:long}", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long attachmentId, HttpContext http, CaseConversation service, CancellationToken ct) =>
            {
                var found = await service.GetAttachmentAsync(id, attachmentId, ct);
                if (!found.Succeeded)
                {
                    return Problems.From(found.Error);
                }

                http.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.File(found.Value.Data, found.Value.ContentType, found.Value.FileName);
            })
            .WithSummary("Download an attachment (Content-Disposition: attachment, nosniff).");

        cases.MapPost("/{id:long}/pick", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseAssignment service, CancellationToken ct) =>
                (await service.PickAsync(id, ct)).ToOk())
            .WithSummary("Take an unassigned case from the queue; 409 when someone else was quicker.");

        cases.MapPost("/{id:long}/pick-and-start", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseService service, CancellationToken ct) =>
                (await service.PickAndStartAsync(id, ct)).ToOk())
            .WithSummary("Take an unassigned open case and move it to in progress (Review, Start where they apply), each step on the timeline; 409 when someone else was quicker.");

        cases.MapPost("/{id:long}/assign", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseAssignRequest r, CaseAssignment service, CancellationToken ct) =>
                (await service.AssignAsync(id, r, ct)).ToOk())
            .WithSummary("Assign or reassign to a team and/or person (CasesAssign; reason required to reassign).");

        cases.MapPost("/{id:long}/release", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseReleaseRequest r, CaseAssignment service, CancellationToken ct) =>
                (await service.ReleaseAsync(id, r, ct)).ToOk())
            .WithSummary("Give one's own case back to the team queue.");

        cases.MapPost("/{id:long}/priority", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CasePriorityRequest r, CaseLifecycleCommands service, CancellationToken ct) =>
                (await service.OverridePriorityAsync(id, r, ct)).ToOk())
            .WithSummary("Override the priority with a reason (CasesAssign).");

        cases.MapPost("/{id:long}/classification", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseReclassifyRequest r, CaseLifecycleCommands service, CancellationToken ct) =>
                (await service.ReclassifyAsync(id, r, ct)).ToOk())
            .WithSummary("Change the kind with a reason; the priority follows the rules unless overridden.");

        cases.MapPost("/{id:long}/links", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseLinkRequest r, CaseLinks service, CancellationToken ct) =>
                (await service.LinkAsync(id, r, ct)).ToOk())
            .WithSummary("Link a related case.");

        cases.MapPost("/{id:long}/merge", async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> (long id, CaseMergeRequest r, CaseLinks service, CancellationToken ct) =>
                (await service.MergeAsync(id, r, ct)).ToOk())
            .WithSummary("Merge this case (a duplicate) into another; it is cancelled as Duplicate.");

        var settings = api.MapGroup("/cases").WithTags("Cases");
        settings.MapGet("/priority-rules", async (CasePriorityRules service, CancellationToken ct) => TypedResults.Ok(await service.PriorityRulesAsync(ct)))
            .WithSummary("The priority rules.");
        settings.MapPut("/priority-rules", async Task<Results<Ok<IReadOnlyList<PriorityRuleDto>>, ProblemHttpResult>> (IReadOnlyList<PriorityRuleDto> rules, CasePriorityRules service, CancellationToken ct) =>
                (await service.ReplacePriorityRulesAsync(rules, ct)).ToOk())
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
                (await service.StatusAsync(r, ct)).ToOk())
            .WithSummary("A case's public status: reference plus the phone number or e-mail given.");
        pub.MapPost("/cases/replies", async Task<Results<Ok<PublicCaseStatus>, ProblemHttpResult>> (PublicReplyRequest r, PublicCaseReplies service, CancellationToken ct) =>
                (await service.ReplyAsync(r, file: null, ct)).ToOk())
            .WithSummary("The customer writes on their case (reference plus the phone number or e-mail given); a case waiting on the customer resumes. Answers the status as it is now.");
        pub.MapPost("/cases/attachments", async Task<Results<Ok<PublicCaseStatus>, ProblemHttpResult>> ([FromForm] string? reference, [FromForm] string? contact, [FromForm] string? body, IFormFile file, PublicCaseReplies service, CancellationToken ct) =>
            {
                await using var stream = file.OpenReadStream();
                return (await service.ReplyAsync(new PublicReplyRequest(reference, contact, body), new PublicFile(file.FileName, stream, file.Length), ct)).ToOk();
            })
            .DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("The same with a file (multipart/form-data: reference, contact, body, file): PDF, PNG, JPEG, text, .docx or .xlsx, read from the content.");
    }
}
