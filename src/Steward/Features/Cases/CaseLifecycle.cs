using Steward.Features.Customers;

namespace Steward.Features.Cases;

/// <summary>
/// The lifecycle as a table: which action moves a case from which state to which. Submitted →
/// UnderReview → InProgress → Resolved → FollowUp → Closed; InProgress may wait on the customer or
/// a third party and resume; Resolved, FollowUp and Closed may be reopened (back to InProgress)
/// within <see cref="CaseOptions.ReopenWindowDays"/>; Submitted, UnderReview and InProgress may be cancelled.
/// </summary>
public static class CaseLifecycle
{
    public static readonly IReadOnlyList<CaseAction> Transitions =
    [
        CaseAction.Review, CaseAction.Start, CaseAction.WaitOnCustomer, CaseAction.WaitOnThirdParty, CaseAction.Resume,
        CaseAction.Resolve, CaseAction.FollowUp, CaseAction.Close, CaseAction.Reopen, CaseAction.Cancel,
    ];

    public static bool IsTransition(CaseAction action) => Transitions.Contains(action);

    /// <summary>Submitted, UnderReview or InProgress: someone still has work to do.</summary>
    public static bool IsOpen(CaseStatus status) => status is CaseStatus.Submitted or CaseStatus.UnderReview or CaseStatus.InProgress;

    /// <summary>Closed or Cancelled: nothing more happens unless it is reopened.</summary>
    public static bool IsFinal(CaseStatus status) => status is CaseStatus.Closed or CaseStatus.Cancelled;

    /// <summary>Where <paramref name="action"/> takes a case in this state, or null when it does not apply (the reopen window is checked elsewhere).</summary>
    public static (CaseStatus Status, CaseWaiting Waiting)? Target(CaseStatus status, CaseWaiting waiting, CaseAction action) => action switch
    {
        CaseAction.Review when status == CaseStatus.Submitted => (CaseStatus.UnderReview, CaseWaiting.None),
        CaseAction.Start when status == CaseStatus.UnderReview => (CaseStatus.InProgress, CaseWaiting.None),
        CaseAction.WaitOnCustomer when status == CaseStatus.InProgress && waiting == CaseWaiting.None => (CaseStatus.InProgress, CaseWaiting.WaitingOnCustomer),
        CaseAction.WaitOnThirdParty when status == CaseStatus.InProgress && waiting == CaseWaiting.None => (CaseStatus.InProgress, CaseWaiting.WaitingOnThirdParty),
        CaseAction.Resume when status == CaseStatus.InProgress && waiting != CaseWaiting.None => (CaseStatus.InProgress, CaseWaiting.None),
        CaseAction.Resolve when status == CaseStatus.InProgress && waiting == CaseWaiting.None => (CaseStatus.Resolved, CaseWaiting.None),
        CaseAction.FollowUp when status == CaseStatus.Resolved => (CaseStatus.FollowUp, CaseWaiting.None),
        CaseAction.Close when status is CaseStatus.Resolved or CaseStatus.FollowUp => (CaseStatus.Closed, CaseWaiting.None),
        CaseAction.Reopen when status is CaseStatus.Resolved or CaseStatus.FollowUp or CaseStatus.Closed => (CaseStatus.InProgress, CaseWaiting.None),
        CaseAction.Cancel when IsOpen(status) => (CaseStatus.Cancelled, CaseWaiting.None),
        _ => null,
    };

    /// <summary>The instant the reopen window counts from: when the case was closed, else resolved.</summary>
    public static bool WithinReopenWindow(Case c, DateTimeOffset now, int windowDays) =>
        (c.ClosedAt ?? c.ResolvedAt) is { } since && now - since <= TimeSpan.FromDays(windowDays);
}

/// <summary>
/// Priority from the rules in <c>case_priority_rules</c>, applied in this order: start at Normal;
/// raise to the highest minimum of a <see cref="PriorityRuleType.KindMinimum"/> rule for the kind;
/// raise by the steps of every <see cref="PriorityRuleType.TierRaise"/> rule for the customer's tier
/// (at most Urgent); raise to the highest minimum of a <see cref="PriorityRuleType.KeywordMinimum"/>
/// rule whose keyword occurs in the subject or description (ignoring case). Rules never lower a
/// priority. With the shipped rules a complaint is High, a Private customer's complaint Urgent,
/// and a case that mentions 监管 or fraud Urgent.
/// </summary>
public static class PriorityRules
{
    public static CasePriority Evaluate(IEnumerable<PriorityRule> rules, CaseKind kind, CustomerTier? tier, string subject, string description)
    {
        var active = rules.Where(r => r.IsActive).ToList();
        var priority = CasePriority.Normal;
        foreach (var rule in active.Where(r => r.Type == PriorityRuleType.KindMinimum && r.Kind == kind && r.Priority is not null))
        {
            priority = Max(priority, rule.Priority!.Value);
        }

        if (tier is { } t)
        {
            foreach (var rule in active.Where(r => r.Type == PriorityRuleType.TierRaise && r.Tier == t))
            {
                priority = (CasePriority)Math.Clamp((int)priority + rule.Steps, (int)CasePriority.Low, (int)CasePriority.Urgent);
            }
        }

        foreach (var rule in active.Where(r => r.Type == PriorityRuleType.KeywordMinimum && !string.IsNullOrWhiteSpace(r.Keyword) && r.Priority is not null))
        {
            if (subject.Contains(rule.Keyword!, StringComparison.OrdinalIgnoreCase) || description.Contains(rule.Keyword!, StringComparison.OrdinalIgnoreCase))
            {
                priority = Max(priority, rule.Priority!.Value);
            }
        }

        return priority;
    }

    private static CasePriority Max(CasePriority a, CasePriority b) => a >= b ? a : b;
}
