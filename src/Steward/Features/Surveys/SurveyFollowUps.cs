using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>What the follow-up of a response shows and needs: its two targets (24 h contact, 72 h plan), the complaint signal, and its closing record.</summary>
public sealed record SurveyFollowUpDto(
    long ResponseId, long CaseId, string SurveyCode, SurveyEventKind EventKind, DateTimeOffset SubmittedAt, int? Csat, int? Nps, int? Effort,
    IReadOnlyList<string> Comments, DateTimeOffset? DueAt, DateTimeOffset? PlanDueAt, bool ComplaintSuspected, long? ComplaintId, string? RootCause, bool? IssueResolved,
    DateTimeOffset? RecordedAt);

/// <summary>Closing record of a survey follow-up: the root cause found and whether the customer's issue was resolved (both required).</summary>
public sealed record SurveyFollowUpRequest(string? RootCause, bool? IssueResolved);

/// <summary>
/// The inner loop's record (decision 0054): the follow-up case of a poor response is resolved or closed only once the root cause
/// and whether the customer's issue was resolved are recorded here (<see cref="ICaseTransitionGuard"/>); those who can see and
/// work the case record it. When a comment met the complaint definition the follow-up offers the complaint intake of its case.
/// </summary>
public sealed class SurveyFollowUps(StewardDbContext db, CaseService cases, CurrentUser user, TimeProvider time)
{
    /// <summary>The follow-up behind a case the caller can see; null when the case is not a survey follow-up (or not theirs to see).</summary>
    public async Task<SurveyFollowUpDto?> ForCaseAsync(long caseId, CancellationToken ct = default)
    {
        var response = await db.Set<SurveyResponse>().AsNoTracking().SingleOrDefaultAsync(r => r.FollowUpCaseId == caseId, ct);
        if (response is null || !(await cases.GetAsync(caseId, ct)).Succeeded)
        {
            return null;
        }

        var definition = await db.Set<SurveyDefinition>().AsNoTracking().SingleAsync(d => d.Id == response.DefinitionId, ct);
        var content = SurveyContent.Parse(definition.ContentJson);
        var answers = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string[]>>(response.AnswersJson) ?? [];
        var comments = content.Questions.Where(q => q.Type == SurveyQuestionType.FreeText && answers.ContainsKey(q.Id)).Select(q => answers[q.Id][0]).ToList();
        var complaintId = await db.Set<Complaints.Complaint>().AsNoTracking().Where(k => k.CaseId == caseId).Select(k => (long?)k.Id).SingleOrDefaultAsync(ct);
        return new SurveyFollowUpDto(response.Id, caseId, definition.Code, response.EventKind, response.SubmittedAt, response.Csat, response.Nps, response.Effort, comments,
            response.FollowUpDueAt, response.PlanDueAt, response.ComplaintSuspected, complaintId, response.RootCause, response.IssueResolved, response.FollowUpRecordedAt);
    }

    public async Task<Outcome<SurveyFollowUpDto>> RecordAsync(long caseId, SurveyFollowUpRequest r, CancellationToken ct = default)
    {
        var viewer = await cases.ViewerAsync(ct);
        if (await ForCaseAsync(caseId, ct) is null)
        {
            return new SurveyFollowUpNotFound(caseId);
        }

        if (!viewer.CanWork)
        {
            return new SurveyForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var cause = r.RootCause?.Trim() ?? "";
        if (cause.Length is 0 or > 2000)
        {
            errors["rootCause"] = ["Say what caused the customer's dissatisfaction (at most 2000 characters). 请填写导致客户不满的根本原因（最多 2000 字）。"];
        }

        if (r.IssueResolved is null)
        {
            errors["issueResolved"] = ["Say whether the customer's issue was resolved. 请选择客户的问题是否已解决。"];
        }

        if (errors.Count > 0)
        {
            return new SurveyAnswersInvalid(errors);
        }

        var response = await db.Set<SurveyResponse>().SingleAsync(x => x.FollowUpCaseId == caseId, ct);
        (response.RootCause, response.IssueResolved, response.FollowUpRecordedAt, response.FollowUpRecordedById) = (cause, r.IssueResolved, time.GetUtcNow(), user.StaffId);
        await db.SaveChangesAsync(ct);
        return (await ForCaseAsync(caseId, ct))!;
    }
}

/// <summary>
/// The rule on the case's side: a survey follow-up is resolved or closed only once its record is complete. Its own class, on the
/// context alone: <see cref="SurveyFollowUps"/> needs <see cref="CaseService"/>, which asks the guards (a cycle otherwise).
/// </summary>
public sealed class SurveyFollowUpGuard(StewardDbContext db) : ICaseTransitionGuard
{
    public async Task<Error?> RefuseAsync(Case @case, CaseAction action, CancellationToken ct)
    {
        if (action is not (CaseAction.Resolve or CaseAction.Close) || !@case.TagList.Contains(SurveyResponses.FollowUpTag))
        {
            return null;
        }

        var incomplete = await db.Set<SurveyResponse>().AsNoTracking().AnyAsync(r => r.FollowUpCaseId == @case.Id && (r.RootCause == null || r.IssueResolved == null), ct);
        return incomplete ? new SurveyFollowUpIncomplete() : null;
    }
}

/// <summary>The case page's survey follow-up panel: the scores and comments, the 24 h and 72 h targets, the closing record, the complaint offer.</summary>
public sealed class SurveyFollowUpViewComponent(SurveyFollowUps followUps) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long caseId) =>
        await followUps.ForCaseAsync(caseId, HttpContext.RequestAborted) is { } f ? View("/Features/Surveys/_CaseFollowUp.cshtml", f) : Content("");
}
