using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// Moving a case through its lifecycle (<see cref="CaseLifecycle"/>), overriding its priority and changing its kind.
/// Each change takes the version it was based on, adds a timeline event and tells the observers before it is saved.
/// </summary>
public sealed class CaseLifecycleCommands(
    StewardDbContext db,
    TimeProvider time,
    CaseAccess access,
    CaseWriter writer,
    IOptions<CaseOptions> options,
    IEnumerable<ICaseLifecycleObserver> observers,
    IEnumerable<ICaseTransitionGuard> guards)
{
    /// <summary>Moves the case through its lifecycle; refused with <see cref="InvalidTransition"/> when the action does not apply now.</summary>
    public async Task<Outcome<CaseDetail>> TransitionAsync(long id, CaseTransitionRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, null, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Action is not { } action || !CaseLifecycle.IsTransition(action))
        {
            return Problems.Invalid("action", $"Use one of: {string.Join(", ", CaseLifecycle.Transitions)}. 请使用以上操作之一。");
        }

        if (c.Version != r.Version)
        {
            return Problems.StaleVersion();
        }

        var now = time.GetUtcNow();
        var target = CaseLifecycle.Target(c.Status, c.Waiting, action);
        if (target is null)
        {
            return access.Illegal(c, v, action, now,
                $"{JsonStringLocalizerFactory.Text(Cultures.English, "case.action." + action)} is not possible from {JsonStringLocalizerFactory.Text(Cultures.English, "case.status." + c.Status)}.");
        }

        if (action == CaseAction.Reopen && !CaseLifecycle.WithinReopenWindow(c, now, options.Value.ReopenWindowDays))
        {
            return access.Illegal(c, v, action, now, $"The reopen window of {options.Value.ReopenWindowDays.ToString(CultureInfo.InvariantCulture)} days has passed. 已超过 {options.Value.ReopenWindowDays.ToString(CultureInfo.InvariantCulture)} 天的重开期限。");
        }

        var typed = CaseEvent.ReasonOf(r.Reason);
        if (typed.Error is { } tooLong)
        {
            return tooLong;
        }

        var reason = typed.Value;

        if (action == CaseAction.Cancel)
        {
            if (r.CancelReason is null)
            {
                return Problems.Invalid("cancelReason", "Say why: Duplicate, Withdrawn or Other. 请选择取消原因：重复、撤回或其他。");
            }

            if (r.CancelReason == CaseCancelReason.Other && reason is null)
            {
                return Problems.Invalid("reason", "Describe the reason. 请说明原因。");
            }
        }

        if (action == CaseAction.Reopen && reason is null)
        {
            return Problems.Invalid("reason", "Say why the case is reopened. 请说明重开原因。");
        }

        foreach (var guard in guards)
        {
            if (await guard.RefuseAsync(c, action, ct) is { } refusedByRule)
            {
                return refusedByRule;
            }
        }

        await MoveAsync(c, new CaseActor(v.StaffId, v.Name), action, target.Value, now, ct, reason, r.CancelReason);
        return await writer.SaveAndDetailAsync(c, v, ct);
    }

    /// <summary>
    /// The moves that take a new case of its creator to work in progress (Submitted → Review → UnderReview → Start →
    /// InProgress), each with its timeline event and its observers (the SLA clocks), in the caller's unit of work: "handle now".
    /// </summary>
    internal async Task StartNowAsync(Case c, CaseActor actor, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var action in new[] { CaseAction.Review, CaseAction.Start })
        {
            if (CaseLifecycle.Target(c.Status, c.Waiting, action) is not { } target)
            {
                continue;
            }

            await MoveAsync(c, actor, action, target, now, ct);
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>
    /// One lifecycle move in the caller's unit of work, whoever makes it (an agent, "handle now", a customer's message
    /// resuming a case): the case's new state, its timeline event (in words: the waiting change, or the cancel reason) and
    /// the observers (the SLA clocks). The caller has checked that <paramref name="action"/> leads to <paramref name="target"/>.
    /// </summary>
    internal async Task<CaseTransition> MoveAsync(Case c, CaseActor actor, CaseAction action, (CaseStatus Status, CaseWaiting Waiting) target,
        DateTimeOffset now, CancellationToken ct, string? reason = null, CaseCancelReason? cancelReason = null)
    {
        var change = Apply(c, target, action, now);
        if (action == CaseAction.Cancel)
        {
            c.CancelReason = cancelReason;
        }

        var (code, parameters) = action == CaseAction.Cancel
            ? (CaseEventText.Cancelled, new Dictionary<string, string> { ["cancelReason"] = cancelReason!.Value.ToString() })
            : change.FromWaiting != change.ToWaiting
                ? (CaseEventText.Waiting, new Dictionary<string, string> { ["fromWaiting"] = change.FromWaiting.ToString(), ["toWaiting"] = change.ToWaiting.ToString() })
                : ((string?)null, (Dictionary<string, string>?)null);
        writer.AddEvent(c, actor, CaseEventType.Transitioned, now, action, change.From, change.To, reason,
            action == CaseAction.Cancel ? cancelReason.ToString() : WaitingDetail(change), code, parameters);
        foreach (var observer in observers)
        {
            await observer.OnTransitionedAsync(c, change, ct);
        }

        return change;
    }

    internal static CaseTransition Apply(Case c, (CaseStatus Status, CaseWaiting Waiting) target, CaseAction action, DateTimeOffset now)
    {
        var change = new CaseTransition(c.Status, c.Waiting, target.Status, target.Waiting, action, now);
        c.Status = target.Status;
        c.Waiting = target.Waiting;
        switch (action)
        {
            case CaseAction.Resolve:
                c.ResolvedAt = now;
                break;
            case CaseAction.Close:
            case CaseAction.Cancel:
                c.ClosedAt = now;
                break;
            case CaseAction.Reopen:
                c.ResolvedAt = null;
                c.ClosedAt = null;
                break;
            default:
                break;
        }

        return change;
    }

    private static string? WaitingDetail(CaseTransition change) =>
        change.FromWaiting != change.ToWaiting ? $"{change.FromWaiting} → {change.ToWaiting}" : null;

    /// <summary>Sets the priority by hand (needs CasesAssign and a reason); the rules no longer change it.</summary>
    public async Task<Outcome<CaseDetail>> OverridePriorityAsync(long id, CasePriorityRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, r.Version, viewer => !viewer.CanAssign, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Priority is not { } priority)
        {
            return Problems.Invalid("priority", "Choose a priority. 请选择优先级。");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return Problems.Invalid("reason", "Say why the priority changes. 请说明调整原因。");
        }

        if (CaseEvent.ReasonOf(r.Reason).Error is { } tooLong)
        {
            return tooLong;
        }

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return access.Illegal(c, v, CaseAction.OverridePriority, now, "Closed and cancelled cases keep their priority.");
        }

        var old = c.Priority;
        c.Priority = priority;
        c.PriorityOverridden = true;
        writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.PriorityChanged, now, CaseAction.OverridePriority, reason: r.Reason.Trim(), detail: $"{old} → {priority}",
            code: CaseEventText.Priority, parameters: new() { ["fromPriority"] = old.ToString(), ["toPriority"] = priority.ToString() });
        foreach (var observer in observers)
        {
            await observer.OnRetargetedAsync(c, c.Kind, old, ct);
        }

        return await writer.SaveAndDetailAsync(c, v, ct);
    }

    /// <summary>Changes the kind (with a reason); the priority is worked out again unless it was overridden.</summary>
    public async Task<Outcome<CaseDetail>> ReclassifyAsync(long id, CaseReclassifyRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, r.Version, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        if (r.Kind is not { } kind)
        {
            return Problems.Invalid("kind", "Choose the kind. 请选择类型。");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return Problems.Invalid("reason", "Say why the kind changes. 请说明原因。");
        }

        if (CaseEvent.ReasonOf(r.Reason).Error is { } tooLong)
        {
            return tooLong;
        }

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return access.Illegal(c, v, CaseAction.Reclassify, now, "Closed and cancelled cases keep their kind.");
        }

        var (oldKind, oldPriority) = (c.Kind, c.Priority);
        c.Kind = kind;
        if (!c.PriorityOverridden)
        {
            var tier = c.CustomerId is { } cid ? await db.Set<Customer>().Where(x => x.Id == cid).Select(x => (CustomerTier?)x.Tier).SingleAsync(ct) : null;
            c.Priority = PriorityRules.Evaluate(await db.Set<PriorityRule>().AsNoTracking().ToListAsync(ct), kind, tier, c.Subject, c.Description);
        }

        writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Reclassified, now, CaseAction.Reclassify, reason: r.Reason.Trim(),
            detail: $"{oldKind} → {kind} · {oldPriority} → {c.Priority}", code: CaseEventText.Reclassified, parameters: new()
            {
                ["fromKind"] = oldKind.ToString(), ["toKind"] = kind.ToString(), ["fromPriority"] = oldPriority.ToString(), ["toPriority"] = c.Priority.ToString(),
            });
        foreach (var observer in observers)
        {
            await observer.OnRetargetedAsync(c, oldKind, oldPriority, ct);
        }

        return await writer.SaveAndDetailAsync(c, v, ct);
    }
}
