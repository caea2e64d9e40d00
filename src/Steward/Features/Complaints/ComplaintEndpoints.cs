using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Features.Complaints.Returns;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>The complaint API under <c>/api/v1/complaints</c> (ComplaintsHandle; each complaint within the caller's case scope).</summary>
public static class ComplaintEndpoints
{
    public static void MapComplaintEndpoints(this IEndpointRouteBuilder api)
    {
        var complaints = api.MapGroup("/complaints").WithTags("Complaints").RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintsHandle));
        complaints.MapComplaintActions();
        complaints.MapComplaintReturns();

        complaints.MapPost("/", async Task<Results<Created<ComplaintDto>, ProblemHttpResult>> (ComplaintIntakeRequest r, ComplaintService service, CancellationToken ct) =>
                (await service.IntakeAsync(r, ct)).ToCreated(d => FormattableString.Invariant($"/api/v1/complaints/{d.Id}")))
            .WithSummary("Records an existing case as a complaint: complainant (the customer, or an authorised agent / heir with a proof note), what happened, what they want, "
                + "amount in dispute (≥ 0, ≤ 2 decimals), product, channel, codes of the taxonomy in force (an unknown code is refused at its field). The case becomes of kind Complaint.");

        complaints.MapGet("/", async Task<Results<Ok<ComplaintList>, ProblemHttpResult>> (int? limit, [AsParameters] ComplaintListFilter filter, ComplaintService service, CancellationToken ct) =>
                (await service.ListAsync(limit ?? 100, filter, ct)).ToOk())
            .WithSummary("Complaints on the cases the caller may see, by regulatory deadline; and the complaint cases still waiting for intake. Optional filters (the "
                + "dashboard's drill-downs; then the caller's own branches only): branchId, productId, regime (a preset code or none), open, due (within|soon|overdue|none), "
                + "receivedFrom/receivedTo and decidedFrom/decidedTo (local days yyyy-mm-dd), upheld, redress, repeat (true|false), extension=pending.");

        complaints.MapGet("/dashboard", async Task<Results<Ok<ComplaintDashboardDto>, ProblemHttpResult>> (string? from, string? to, string? branchId, ComplaintDashboard dashboard, CancellationToken ct) =>
                (await dashboard.ReadAsync(new ComplaintDashboardQuery(from, to, branchId), ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintReturnsRead))
            .WithSummary("The compliance dashboard: open complaints by regime and deadline band (within, due in 3 days, overdue), overdue, extensions awaiting approval; "
                + "for a period (from, to: local days, default the last 90): received, repeat complainants, per 10,000 customers by branch and by product, decided, upheld "
                + "(partly upheld counts), redress paid, average days to decision. Every figure has the link to the complaint list of exactly its complaints. "
                + "Compliance: every branch; a branch manager: their own.");

        complaints.MapGet("/taxonomy", async (ComplaintService service, CancellationToken ct) => TypedResults.Ok(await service.TaxonomyAsync(ct)))
            .WithSummary("The classification in force: nature, JR/T 0169-2018 A/B/C, FCA DISP product group, each code in both languages.");

        complaints.MapGet("/taxonomy/versions", async (ComplaintTaxonomyVersions service, CancellationToken ct) => TypedResults.Ok(await service.HistoryAsync(ct)))
            .WithSummary("Every classification version, newest first (without their codes).");

        complaints.MapGet("/taxonomy/{number:int}", async Task<Results<Ok<ComplaintTaxonomyDto>, ProblemHttpResult>> (int number, ComplaintTaxonomyVersions service, CancellationToken ct) =>
                (await service.GetAsync(number, ct)).ToOk())
            .WithSummary("One classification version with its codes (retired ones marked): the codes a complaint coded in that version was given.");

        complaints.MapPost("/taxonomy", async Task<Results<Created<ComplaintTaxonomyDto>, ProblemHttpResult>> (ComplaintTaxonomyPublishRequest r, ComplaintTaxonomyVersions service, CancellationToken ct) =>
                (await service.PublishAsync(r, ct)).ToCreated(d => FormattableString.Invariant($"/api/v1/complaints/taxonomy/{d.Number}")))
            .RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintsOversee))
            .WithSummary("Compliance publishes a new classification version from the one in force (basedOn: its number; a newer one makes it 409): add codes "
                + "(format per set: A01/A031, B05, C12, words for nature and FCA groups), rename a code in both languages, retire a code (kept for complaints "
                + "coded with it, refused for new coding and recoding). Complaints already coded keep their version.");

        complaints.MapGet("/letter-templates", async (ComplaintLetterTemplates service, CancellationToken ct) => TypedResults.Ok(await service.InForceAsync(ct)))
            .WithSummary("The letter templates in force: Acknowledgment and FinalResponse, each in zh-CN and en, with their version and code (kind.language.vN).");

        complaints.MapGet("/letter-templates/{kind}/{language}/versions", async (string kind, string language, ComplaintLetterTemplates service, CancellationToken ct) =>
                TypedResults.Ok(Enum.TryParse<ComplaintLetterKind>(kind, ignoreCase: true, out var k) && ComplaintLetterTemplates.LanguageOf(language) is { } l
                    ? await service.HistoryAsync(k, l, ct) : []))
            .WithSummary("Every version of one letter template, newest first (empty for an unknown kind or language).");

        complaints.MapGet("/letter-templates/{kind}/{language}/{version:int}", async Task<Results<Ok<ComplaintLetterTemplateDto>, ProblemHttpResult>> (
                string kind, string language, int version, ComplaintLetterTemplates service, CancellationToken ct) => (await service.GetAsync(kind, language, version, ct)).ToOk())
            .WithSummary("One version of a letter template: the text letters recording its code were rendered from.");

        complaints.MapPost("/letter-templates", async Task<Results<Created<ComplaintLetterTemplateDto>, ProblemHttpResult>> (
                ComplaintLetterTemplatePublishRequest r, ComplaintLetterTemplates service, CancellationToken ct) =>
                (await service.PublishAsync(r, ct)).ToCreated(d => FormattableString.Invariant($"/api/v1/complaints/letter-templates/{d.Kind}/{d.Language}/{d.Version}")))
            .RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintsOversee))
            .WithSummary("Compliance publishes a new version of a letter template (kind, language, basedOn: the version in force — a newer one makes it 409 — body: Liquid, "
                + "note). Refused at body when it does not parse, reads a variable the letters do not supply (named), or leaves out a statement the regulation requires "
                + "(the decision and its reasons; PRC: review within 30 days; FCA: the Financial Ombudsman Service within six months). Letters already issued keep their version.");

        complaints.MapPost("/dismissals", async Task<Results<Ok<ComplaintDismissalDto>, ProblemHttpResult>> (ComplaintDismissalRequest r, ComplaintService service, CancellationToken ct) =>
                (await service.DismissAsync(r, ct)).ToOk())
            .WithSummary("Records the decision that what was said on a case is not a complaint, with the reason (audited; the case stays as it is).");

        complaints.MapGet("/{id:long}", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .WithSummary("One complaint with its codes, regulatory deadlines under its regime, the staff who must recuse themselves and its recodings.");

        complaints.MapPost("/{id:long}/classification", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintClassificationRequest r, ComplaintService service, CancellationToken ct) =>
                (await service.ClassifyAsync(id, r, ct)).ToOk())
            .WithSummary("Recodes the complaint with a reason (send the complaint's version; a stale one is 409).");

        complaints.MapPost("/{id:long}/assignment", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintAssignRequest r, ComplaintRecusal service, CancellationToken ct) =>
                (await service.AssignAsync(id, r, ct)).ToOk())
            .WithSummary("Assigns the complaint's case (CasesAssign); the staff member the complaint names, their line manager and the product's seller are refused "
                + "(recusal-required at staffId) unless compliance has overridden that person's recusal.");

        complaints.MapPost("/{id:long}/outcome", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintOutcomeRequest r, ComplaintRedress service, CancellationToken ct) =>
                (await service.DecideAsync(id, r, ct)).ToOk())
            .WithSummary("Records the root cause (required) and the outcome: Upheld, PartlyUpheld, NotUpheld or Withdrawn.");

        complaints.MapPost("/{id:long}/remedies", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintRemedyRequest r, ComplaintRedress service, CancellationToken ct) =>
                (await service.ProposeAsync(id, r, ct)).ToOk())
            .WithSummary("Proposes a remedy (apology, fee refund, compensation, goodwill, interest, process fix); an amount above the caller's approval limit waits for approval.");

        complaints.MapPost("/{id:long}/remedies/{remedyId:long}/approval", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, long remedyId, ComplaintRedress service, CancellationToken ct) =>
                (await service.ApproveAsync(id, remedyId, ct)).ToOk())
            .WithSummary("Approves a pending remedy: the approver's limit must cover it, and the proposer may not approve their own.");

        complaints.MapPost("/{id:long}/letters", async Task<Results<Created<ComplaintLetterDto>, ProblemHttpResult>> (long id, ComplaintLetterRequest r, ComplaintLetters service, CancellationToken ct) =>
                (await service.CreateAsync(id, r, ct)).ToCreated(d => FormattableString.Invariant($"/api/v1/complaints/{id}/letters/{d.Id}")))
            .WithSummary("Renders and stores a letter (Acknowledgment, FinalResponse — only after the outcome) in zh-CN or en, stamped with its number and template version.");

        complaints.MapGet("/{id:long}/letters", async Task<Results<Ok<IReadOnlyList<ComplaintLetterDto>>, ProblemHttpResult>> (long id, ComplaintLetters service, CancellationToken ct) =>
                (await service.ListAsync(id, ct)).ToOk())
            .WithSummary("The complaint's letters as stored.");

        complaints.MapGet("/{id:long}/letters/{letterId:long}", async Task<Results<Ok<ComplaintLetterDto>, ProblemHttpResult>> (long id, long letterId, ComplaintLetters service, CancellationToken ct) =>
                (await service.GetAsync(id, letterId, ct)).ToOk())
            .WithSummary("One stored letter.");

        complaints.MapGet("/{id:long}/letters/{letterId:long}/pdf", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long letterId, ComplaintLetterPdf pdf, CancellationToken ct) =>
            {
                var printed = await pdf.PrintAsync(id, letterId, ct);
                return printed.Error is { } refused ? Problems.From(refused) : TypedResults.File(printed.Value!.Content, "application/pdf", printed.Value.FileName);
            })
            .WithSummary("One stored letter as PDF, printed by headless Chromium from the letter as issued.");

        complaints.MapPost("/{id:long}/assessment", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintAssessmentRequest r, ComplaintProcess service, CancellationToken ct) =>
                (await service.AssessAsync(id, r, ct)).ToOk())
            .WithSummary("Records the initial assessment: in scope, regulatory impact, legal impact (yes/no each, required). A legal impact opens a legal task: "
                + "send legalOwnerId (staff of the case's branch or compliance, not recused) and legalDueOn (today to a year ahead).");

        complaints.MapPost("/{id:long}/tasks", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintTaskRequest r, ComplaintProcess service, CancellationToken ct) =>
                (await service.AddTaskAsync(id, r, ct)).ToOk())
            .WithSummary("Adds an investigation (or legal) task with an owner who need not recuse themselves and a due date; the owner is notified. Not after the outcome.");

        complaints.MapPost("/{id:long}/tasks/{taskId:long}/completion", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, long taskId, ComplaintTaskCompletion r, ComplaintProcess service, CancellationToken ct) =>
                (await service.CompleteTaskAsync(id, taskId, r, ct)).ToOk())
            .WithSummary("Finishes an open task with its result (required): its owner, a team lead, a branch manager or compliance. The outcome waits for every task.");

        complaints.MapPost("/{id:long}/confirmation", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintResponseRequest r, ComplaintProcess service, CancellationToken ct) =>
                (await service.RespondAsync(id, r, ct)).ToOk())
            .WithSummary("Records the complainant's response to the final response letter: Accepted, or Disputed with the reason. A dispute within 30 days of the letter "
                + "(CBIRC 2020 No. 3) reopens the decision for review (and the case); after that it is refused (review-window-closed).");

        complaints.MapPost("/{id:long}/reopen", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintReopenRequest r, ComplaintProcess service, CancellationToken ct) =>
                (await service.RespondAsync(id, new ComplaintResponseRequest(CustomerResponse.Disputed, r.Reason, r.Version), ct)).ToOk())
            .WithSummary("Reopens the decision for review on the complainant's dispute (the same as a Disputed confirmation): the reason is required.");

        complaints.MapPost("/{id:long}/archive", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintArchiveRequest? r, ComplaintProcess service, CancellationToken ct) =>
                (await service.ArchiveAsync(id, r ?? new ComplaintArchiveRequest(null), ct)).ToOk())
            .WithSummary("Archives the complaint and closes its case once nothing is open: an outcome and its final letter, no remedy waiting, no open task, the complainant "
                + "accepted or the review window passed. Otherwise 409 complaint-not-archivable with the blockers.");

        complaints.MapPost("/{id:long}/recusal-overrides", async Task<Results<Ok<ComplaintDto>, ProblemHttpResult>> (long id, ComplaintRecusalOverrideRequest r, ComplaintRecusal service, CancellationToken ct) =>
                (await service.OverrideAsync(id, r, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintsOversee))
            .WithSummary("Compliance lets a recused staff member handle the complaint, with the reason (audited).");
    }
}
