using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Notifications;

/// <summary>
/// Tells a person in the bell that a case was handed to them (assigned, reassigned, or assigned automatically when it was
/// created): its reference and subject, linking to the case, in both languages so it reads in theirs. Nobody is told of a
/// case they took themselves (a pick, "handle now", assigning oneself).
/// </summary>
public sealed class AssigneeNotifier(NotificationService notifications, CurrentUser user) : ICaseLifecycleObserver
{
    public const string Kind = "case.assigned";

    public Task OnCreatedAsync(Case @case, CancellationToken ct) => Task.CompletedTask;

    public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => Task.CompletedTask;

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) => Task.CompletedTask;

    public Task OnAssignedAsync(Case @case, long? previousAssigneeId, CancellationToken ct)
    {
        if (@case.AssigneeId is { } assignee && assignee != previousAssigneeId && assignee != user.StaffId)
        {
            notifications.Raise([assignee], Kind,
                JsonStringLocalizerFactory.Text(Cultures.Chinese, "notifications.caseAssigned", @case.Reference, @case.Subject),
                JsonStringLocalizerFactory.Text(Cultures.English, "notifications.caseAssigned", @case.Reference, @case.Subject),
                "/Cases/" + @case.Id.ToString(CultureInfo.InvariantCulture));
        }

        return Task.CompletedTask;
    }

    public bool IsConcurrentChange(DbUpdateException error) => false;
}
