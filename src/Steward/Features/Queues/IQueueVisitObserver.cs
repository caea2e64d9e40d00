namespace Steward.Features.Queues;

/// <summary>
/// Lets other features (surveys first) follow the end of a visit. Called inside the unit of work that finishes the ticket,
/// before it is saved: rows an observer adds are saved with the finish, or not at all.
/// </summary>
public interface IQueueVisitObserver
{
    /// <summary>The ticket was finished (served) at <paramref name="counterId"/> by <paramref name="staffId"/>, the staff member signed in there.</summary>
    Task OnVisitFinishedAsync(QueueTicket ticket, long counterId, long? staffId, CancellationToken ct);
}
