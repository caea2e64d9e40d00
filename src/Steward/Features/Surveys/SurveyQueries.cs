using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;

namespace Steward.Features.Surveys;

/// <summary>Invitations and responses for staff, within the reader's branches (as cases are: <see cref="CaseService.ViewerAsync"/>).</summary>
public sealed class SurveyQueries(StewardDbContext db, CaseService cases)
{
    public async Task<IReadOnlyList<SurveyInvitationDto>> InvitationsAsync(SurveyListQuery q, CancellationToken ct = default)
    {
        var query = await ScopeAsync(db.Set<SurveyInvitation>().AsNoTracking(), i => i.BranchId, ct);
        if (q.CaseId is { } caseId)
        {
            query = query.Where(i => i.EventKind == SurveyEventKind.Case && i.EventId == caseId);
        }

        if (q.CustomerId is { } customerId)
        {
            query = query.Where(i => i.CustomerId == customerId);
        }

        if (q.BranchId is { } branchId)
        {
            query = query.Where(i => i.BranchId == branchId);
        }

        var rows = await query.OrderByDescending(i => i.Id).Take(Limit(q)).Join(db.Set<SurveyDefinition>(), i => i.DefinitionId, d => d.Id, (i, d) => new { i, d.Code, d.Number }).ToListAsync(ct);
        return [.. rows.OrderByDescending(x => x.i.Id).Select(x => new SurveyInvitationDto(
            x.i.Id, x.Code, x.Number, x.i.EventKind, x.i.EventId, x.i.CustomerId, x.i.Status, x.i.Suppression, x.i.DeliveryChannel, x.i.CreatedAt, x.i.SendAt,
            x.i.ExpiresAt, x.i.ResponseId, x.i.StaffId, x.i.BranchId, x.i.TeamId, x.i.Channel, x.i.Kind, x.i.ProductId, x.i.ReminderAt))];
    }

    public async Task<IReadOnlyList<SurveyResponseDto>> ResponsesAsync(SurveyListQuery q, CancellationToken ct = default)
    {
        var query = await ScopeAsync(db.Set<SurveyResponse>().AsNoTracking(), r => r.BranchId, ct);
        if (q.CaseId is { } caseId)
        {
            query = query.Where(r => r.EventKind == SurveyEventKind.Case && r.EventId == caseId);
        }

        if (q.CustomerId is { } customerId)
        {
            query = query.Where(r => r.CustomerId == customerId);
        }

        if (q.BranchId is { } branchId)
        {
            query = query.Where(r => r.BranchId == branchId);
        }

        return await DtosAsync(query.OrderByDescending(r => r.Id).Take(Limit(q)), ct);
    }

    private async Task<IReadOnlyList<SurveyResponseDto>> DtosAsync(IQueryable<SurveyResponse> query, CancellationToken ct)
    {
        var rows = await query.Join(db.Set<SurveyDefinition>(), r => r.DefinitionId, d => d.Id, (r, d) => new { r, d.Code, d.Number }).ToListAsync(ct);
        return [.. rows.OrderByDescending(x => x.r.Id).Select(x => new SurveyResponseDto(
            x.r.Id, x.r.InvitationId, x.Code, x.Number, x.r.SubmittedAt, x.r.Language, JsonSerializer.Deserialize<Dictionary<string, string[]>>(x.r.AnswersJson)!,
            x.r.Csat, x.r.Nps, x.r.Effort, x.r.IsPoor, x.r.EventKind, x.r.EventId, x.r.CustomerId, x.r.StaffId, x.r.BranchId, x.r.TeamId, x.r.Channel, x.r.Kind,
            x.r.ProductId, x.r.FollowUpCaseId, x.r.FollowUpOwnerId, x.r.FollowUpDueAt, x.r.PlanDueAt, x.r.ComplaintSuspected, x.r.RootCause, x.r.IssueResolved))];
    }

    /// <summary>Follow-ups in the reader's branches still waiting for their record (root cause, resolved), the earliest due first.</summary>
    public async Task<IReadOnlyList<SurveyResponseDto>> OpenFollowUpsAsync(int limit, CancellationToken ct = default)
    {
        var query = await ScopeAsync(db.Set<SurveyResponse>().AsNoTracking(), r => r.BranchId, ct);
        var rows = await DtosAsync(query.Where(r => r.FollowUpCaseId != null && r.RootCause == null).OrderBy(r => r.FollowUpDueAt).ThenBy(r => r.Id).Take(limit), ct);
        return [.. rows.OrderBy(r => r.FollowUpDueAt).ThenBy(r => r.Id)];
    }

    private static int Limit(SurveyListQuery q) => Math.Clamp(q.Limit ?? 100, 1, 500);

    private async Task<IQueryable<T>> ScopeAsync<T>(IQueryable<T> query, System.Linq.Expressions.Expression<Func<T, long>> branch, CancellationToken ct)
    {
        var viewer = await cases.ViewerAsync(ct);
        if (viewer.AllBranches)
        {
            return query;
        }

        var ids = viewer.BranchIds.ToList();
        var parameter = branch.Parameters[0];
        var contains = System.Linq.Expressions.Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(long)], System.Linq.Expressions.Expression.Constant(ids), branch.Body);
        return query.Where(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(contains, parameter));
    }
}
