using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// Another feature's say over who may hold a case: complaints register one so that a complaint's case is never assigned
/// to, or picked by, someone who must stand aside from it (Features/Complaints, recusal). Asked on every assignment to a
/// person and every pick; the first refusal is the answer.
/// </summary>
public interface ICaseAssigneeVeto
{
    Task<Error?> RefuseAsync(long caseId, long staffId, CancellationToken ct);
}
