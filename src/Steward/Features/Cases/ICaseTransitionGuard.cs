using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// Lets another feature refuse a lifecycle move of a case it owns a rule about (a survey follow-up is resolved or closed only
/// once its root cause is recorded). Asked before the move; an error refuses it and nothing is written.
/// </summary>
public interface ICaseTransitionGuard
{
    Task<Error?> RefuseAsync(Case @case, CaseAction action, CancellationToken ct);
}
