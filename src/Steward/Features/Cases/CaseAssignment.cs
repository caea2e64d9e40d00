using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>Who works on a case: picking it from the queue, assigning it (team leads) and giving it back.</summary>
public sealed class CaseAssignment(
    StewardDbContext db,
    TimeProvider time,
    CaseAccess access,
    CaseWriter writer,
    ICaseAssignmentPolicy policy,
    IEnumerable<ICaseLifecycleObserver> observers,
    IEnumerable<ICaseAssigneeVeto> vetoes)
{
    /// <summary>The first refusal of another feature to let <paramref name="staffId"/> hold the case (a complaint's recusal), if any.</summary>
    private async Task<Error?> VetoAsync(long caseId, long staffId, CancellationToken ct)
    {
        foreach (var veto in vetoes)
        {
            if (await veto.RefuseAsync(caseId, staffId, ct) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }

    /// <summary>Takes an unassigned open case for oneself. Of two people picking at once one wins; the other gets 409.</summary>
    public async Task<Outcome<CaseDetail>> PickAsync(long id, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, null, viewer => !viewer.CanWork || viewer.StaffId is null, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        if (c.AssigneeId is not null)
        {
            return new AlreadyAssigned();
        }

        if (!CaseLifecycle.IsOpen(c.Status))
        {
            return access.Illegal(c, v, CaseAction.Pick, now, "Only open cases are picked from a queue.");
        }

        if (await VetoAsync(c.Id, v.StaffId!.Value, ct) is { } vetoed)
        {
            return vetoed;
        }

        c.AssigneeId = v.StaffId;
        await NotifyAssignedAsync(c, null, ct);
        writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Pick, detail: $"→ {v.Name}",
            code: CaseEventText.Assigned, parameters: new() { ["staff"] = v.Name });
        var saved = await writer.SaveAndDetailAsync(c, v, ct);
        return saved.Error is StaleVersion ? new AlreadyAssigned() : saved;
    }

    /// <summary>
    /// "Pick up and start": takes an unassigned open case for oneself and moves it to in progress (Review, Start where they
    /// apply), each step as its own audited change with its timeline event, so that resolving it is the next step.
    /// </summary>
    public async Task<Outcome<CaseDetail>> PickAndStartAsync(long id, CaseLifecycleCommands lifecycle, CancellationToken ct = default)
    {
        var current = await PickAsync(id, ct);
        foreach (var action in new[] { CaseAction.Review, CaseAction.Start })
        {
            if (current.Value is { } d && d.AllowedActions.Contains(action))
            {
                current = await lifecycle.TransitionAsync(id, new CaseTransitionRequest(action, null, d.Version), ct);
            }
        }

        return current;
    }

    /// <summary>Hands the case to a team and/or a person (needs CasesAssign). A reason is required to take it from someone.</summary>
    public async Task<Outcome<CaseDetail>> AssignAsync(long id, CaseAssignRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, r.Version, viewer => !viewer.CanAssign, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;

        var now = time.GetUtcNow();
        if (CaseLifecycle.IsFinal(c.Status))
        {
            return access.Illegal(c, v, CaseAction.Assign, now, "Closed and cancelled cases are not assigned.");
        }

        var teamId = r.TeamId ?? c.TeamId;
        if (r.TeamId is { } newTeam && !await db.Set<Team>().AnyAsync(t => t.Id == newTeam && t.IsActive && t.BranchId == c.BranchId, ct))
        {
            return Problems.Invalid("teamId", "Choose an active team of the case's branch. 请选择本机构的有效团队。");
        }

        if (r.StaffId is { } staffId && !(await policy.CandidatesAsync(c.BranchId, ct)).Any(p => p.StaffId == staffId))
        {
            return new IneligibleAssignee("staffId");
        }

        if (r.StaffId is { } named && await VetoAsync(c.Id, named, ct) is { } vetoed)
        {
            return vetoed;
        }

        var typed = CaseEvent.ReasonOf(r.Reason);
        if (typed.Error is { } tooLong)
        {
            return tooLong;
        }

        var reason = typed.Value;
        if (reason is null && (c.AssigneeId is not null || (c.TeamId is not null && c.TeamId != teamId)))
        {
            return Problems.Invalid("reason", "Say why the case is reassigned. 请说明改派原因。");
        }

        if (r.StaffId is null && r.TeamId is null)
        {
            return Problems.Invalid("staffId", "Name a team, a person or both. 请指定团队或处理人。");
        }

        var previous = c.AssigneeId;
        c.TeamId = teamId;
        c.AssigneeId = r.StaffId;
        await NotifyAssignedAsync(c, previous, ct);
        var team = teamId is { } t2 ? await db.Set<Team>().Where(t => t.Id == t2).Select(t => new { t.Name, t.NameEn }).SingleAsync(ct) : null;
        var (code, parameters) = CaseEventText.Assignment(
            previous is { } p ? await access.StaffNameAsync(p, ct) : null,
            r.StaffId is { } s ? await access.StaffNameAsync(s, ct) : null,
            team?.Name, team?.NameEn);
        writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Assign, reason: reason,
            detail: $"→ {team?.Name ?? "—"} / {parameters.GetValueOrDefault("staff") ?? "—"}", code: code, parameters: parameters);
        return await writer.SaveAndDetailAsync(c, v, ct);
    }

    /// <summary>Gives one's own case back to the team queue.</summary>
    public async Task<Outcome<CaseDetail>> ReleaseAsync(long id, CaseReleaseRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForActionAsync(id, r.Version, CaseAction.Release, "Only the assignee releases an open case.", _ => false, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c, now) = loaded.Value;
        var reason = CaseEvent.ReasonOf(r.Reason);
        if (reason.Error is { } tooLong)
        {
            return tooLong;
        }

        var previous = c.AssigneeId;
        c.AssigneeId = null;
        await NotifyAssignedAsync(c, previous, ct);
        writer.AddEvent(c, new CaseActor(v.StaffId, v.Name), CaseEventType.Assigned, now, CaseAction.Release, reason: reason.Value, detail: "→ queue 队列",
            code: CaseEventText.Released);
        return await writer.SaveAndDetailAsync(c, v, ct);
    }

    private async Task NotifyAssignedAsync(Case c, long? previous, CancellationToken ct)
    {
        foreach (var observer in observers)
        {
            await observer.OnAssignedAsync(c, previous, ct);
        }
    }
}
