using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Corrective actions under <c>/api/v1/complaints</c> (the group's ComplaintsHandle; each complaint within the caller's case scope).</summary>
public static class ComplaintActionEndpoints
{
    public static void MapComplaintActions(this RouteGroupBuilder complaints)
    {
        complaints.MapGet("/actions", async Task<Results<Ok<IReadOnlyList<ComplaintActionOverviewItem>>, ProblemHttpResult>> (
                ComplaintActionStatus? status, long? ownerId, bool? overdue, int? limit, ComplaintActions service, CancellationToken ct) =>
                (await service.OverviewAsync(new ComplaintActionFilter(status, ownerId, overdue ?? false, limit ?? 200), ct)).ToOk())
            .WithSummary("Corrective actions across the complaints the caller may see: the open ones unless status is given, overdue first (by each branch's local day), "
                + "then by due day; filter by ownerId and overdue=true. Each says whether its complaint is part of a recurrence.");

        complaints.MapGet("/{id:long}/actions", async Task<Results<Ok<ComplaintActionList>, ProblemHttpResult>> (long id, ComplaintActions service, CancellationToken ct) =>
                (await service.ListAsync(id, ct)).ToOk())
            .WithSummary("The complaint's corrective actions, oldest first, and the recurrences of its root cause it is part of.");

        complaints.MapPost("/{id:long}/actions", async Task<Results<Created<ComplaintActionDto>, ProblemHttpResult>> (long id, ComplaintActionRequest r, ComplaintActions service, CancellationToken ct) =>
                (await service.CreateAsync(id, r, ct)).ToCreated(d => FormattableString.Invariant($"/api/v1/complaints/{id}/actions")))
            .WithSummary("Adds a corrective action to an upheld or partly upheld complaint (complaint-not-upheld otherwise): title, description, ownerId (an active complaint "
                + "handler who sees the case's branch), dueOn (a local day of the branch, today or later).");

        complaints.MapPost("/{id:long}/actions/{actionId:long}/status", async Task<Results<Ok<ComplaintActionDto>, ProblemHttpResult>> (
                long id, long actionId, ComplaintActionStatusRequest r, ComplaintActions service, CancellationToken ct) =>
                (await service.ChangeStatusAsync(id, actionId, r, ct)).ToOk())
            .WithSummary("Moves an action to InProgress, Done (needs evidence: evidenceNote or evidenceAttachmentId, one of the case's attachments) or Cancelled (needs reason); "
                + "send the action's version (a stale one is 409); a closed action is not changed (409 complaint-action-closed).");
    }
}
