namespace Steward.Features.Cases;

/// <summary>
/// Where a new case goes when its creator names no team or person: the team that receives the kind in the branch, and
/// the person of that team it is handed to. Cases asks; the team queues (their settings and who is on duty) answer.
/// Both are called inside the create's transaction, so that what the policy writes (a round-robin turn) is saved with the case.
/// </summary>
public interface ICaseAssignmentPolicy
{
    /// <summary>The team of <paramref name="branchId"/> that receives new cases of <paramref name="kind"/>, or null (no team).</summary>
    Task<RoutedTeam?> RouteAsync(long branchId, CaseKind kind, CancellationToken ct);

    /// <summary>The person a new case of <paramref name="teamId"/> is assigned to, or null: it waits in the team's queue.</summary>
    Task<AutoAssignment?> AutoAssignAsync(long teamId, CancellationToken ct);

    /// <summary>
    /// Who a case of <paramref name="branchId"/> may be handed to by someone else: active agents, back-office staff and team
    /// leads of the branch (home or extra), with their duty and open case load, on duty first, then the least loaded.
    /// </summary>
    Task<IReadOnlyList<AssigneeCandidate>> CandidatesAsync(long branchId, CancellationToken ct);
}

/// <summary>One person a case may be assigned to: on duty or not, and how many open cases they hold.</summary>
public sealed record AssigneeCandidate(long StaffId, string Name, long? TeamId, bool OnDuty, int Open);

public sealed record RoutedTeam(long TeamId, string TeamName);

/// <summary>Who got the case and by which mode (shown on the timeline: "→ name (RoundRobin)").</summary>
public readonly record struct AutoAssignment(long StaffId, string Mode);
