using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>Who works on cases in this request and what they may see: their branches, their team and their own cases, or everything.</summary>
public sealed record CaseViewer(long? StaffId, string Name, bool AllBranches, IReadOnlyList<long> BranchIds, long? TeamId, bool CanWork, bool CanAssign);

/// <summary>Who an event is recorded against: a staff member, or the customer through a public channel.</summary>
public sealed record CaseActor(long? Id, string Name);

/// <summary>
/// The one way every case operation reaches a case: load it within the viewer's scope (else <see cref="CaseNotFound"/>,
/// so that cases of other branches do not reveal themselves), check the permission (else <see cref="CaseActionForbidden"/>)
/// and the version the change was based on (else <see cref="StaleVersion"/>). Also what the operations share about
/// the viewer: what they may do now (<see cref="AllowedActions"/>) and who may be assigned.
/// </summary>
public sealed class CaseAccess(StewardDbContext db, CurrentUser user, IOptions<CaseOptions> options, TimeProvider time)
{
    /// <summary>The roles whose holders are handed cases by others (compliance, QA and managers work cases but are not assigned them).</summary>
    internal static readonly StaffRole[] AssigneeRoles = [StaffRole.Agent, StaffRole.BackOffice, StaffRole.TeamLead];

    /// <summary>The roles that may work cases (those with <see cref="Permission.CasesWork"/>).</summary>
    internal static readonly StaffRole[] WorkRoles = Enum.GetValues<StaffRole>().Where(r => RolePermissions.For(r).Contains(Permission.CasesWork)).ToArray();

    private CaseViewer? viewer;

    /// <summary>The signed-in person as the case rules see them (read once per request).</summary>
    public async Task<CaseViewer> ViewerAsync(CancellationToken ct = default)
    {
        if (viewer is not null)
        {
            return viewer;
        }

        // The team comes with the request's principal (read with its roles); else from the database.
        var (known, teamId) = user.Team;
        if (!known && user.StaffId is { } id)
        {
            teamId = await db.Set<Staff>().Where(s => s.Id == id).Select(s => s.TeamId).SingleOrDefaultAsync(ct);
        }

        var name = user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName;
        return viewer = new CaseViewer(user.StaffId, name, user.HasInstitutionScope, user.BranchIds, teamId, user.Can(Permission.CasesWork), user.Can(Permission.CasesAssign));
    }

    /// <summary>Cases this person may see: all, or those of their branches, their team and their own.</summary>
    public IQueryable<Case> Visible(CaseViewer v, IQueryable<Case>? source = null)
    {
        var query = source ?? db.Set<Case>();
        if (v.AllBranches)
        {
            return query;
        }

        var branches = v.BranchIds.ToList();
        var team = v.TeamId;
        var me = v.StaffId;
        return query.Where(c => branches.Contains(c.BranchId) || (team != null && c.TeamId == team) || (me != null && c.AssigneeId == me));
    }

    /// <summary>The case as the viewer may see it (untracked), or <see cref="CaseNotFound"/>.</summary>
    public async Task<Outcome<(CaseViewer Viewer, Case Case)>> ReadAsync(Expression<Func<Case, bool>> match, CancellationToken ct)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).AsNoTracking().SingleOrDefaultAsync(match, ct);
        return c is null ? new CaseNotFound() : (v, c);
    }

    /// <summary>
    /// The start of every change to one case: the case must be visible to the viewer (else 404),
    /// <paramref name="refuse"/> must not hold for the viewer (else 403), and when <paramref name="version"/> is given it
    /// must be the case's current version (else 409, nothing changed). The case is tracked.
    /// </summary>
    public async Task<Outcome<(CaseViewer Viewer, Case Case)>> LoadForChangeAsync(long id, int? version, Func<CaseViewer, bool> refuse, CancellationToken ct)
    {
        var v = await ViewerAsync(ct);
        var c = await Visible(v).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return new CaseNotFound();
        }

        if (refuse(v))
        {
            return new CaseActionForbidden();
        }

        if (version is { } expected && c.Version != expected)
        {
            return Problems.StaleVersion();
        }

        return (v, c);
    }

    /// <summary>
    /// <see cref="LoadForChangeAsync"/> for a change that must be one of the case's allowed actions now (a button the page
    /// shows): refused with <see cref="InvalidTransition"/>, saying <paramref name="why"/>, when it is not. Gives the instant judged by.
    /// </summary>
    public async Task<Outcome<(CaseViewer Viewer, Case Case, DateTimeOffset Now)>> LoadForActionAsync(
        long id, int? version, CaseAction action, string why, Func<CaseViewer, bool> refuse, CancellationToken ct)
    {
        var loaded = await LoadForChangeAsync(id, version, refuse, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;
        var now = time.GetUtcNow();
        return AllowedActions(c, v, now).Contains(action) ? (v, c, now) : Illegal(c, v, action, now, why);
    }

    /// <summary>What this person may do to this case now (what the pages show as buttons).</summary>
    public IReadOnlyList<CaseAction> AllowedActions(Case c, CaseViewer v, DateTimeOffset now)
    {
        var allowed = new List<CaseAction>();
        if (v.CanWork)
        {
            foreach (var action in CaseLifecycle.Transitions)
            {
                if (CaseLifecycle.Target(c.Status, c.Waiting, action) is not null
                    && (action != CaseAction.Reopen || CaseLifecycle.WithinReopenWindow(c, now, options.Value.ReopenWindowDays)))
                {
                    allowed.Add(action);
                }
            }

            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Reply);
            }

            allowed.Add(CaseAction.Note);
            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Attach);
            }

            if (CaseLifecycle.IsOpen(c.Status) && c.AssigneeId is null)
            {
                allowed.Add(CaseAction.Pick);
            }

            if (CaseLifecycle.IsOpen(c.Status) && c.AssigneeId is not null && c.AssigneeId == v.StaffId)
            {
                allowed.Add(CaseAction.Release);
            }

            if (!CaseLifecycle.IsFinal(c.Status))
            {
                allowed.Add(CaseAction.Reclassify);
            }

            allowed.Add(CaseAction.Link);
            if (CaseLifecycle.IsOpen(c.Status))
            {
                allowed.Add(CaseAction.Merge);
            }
        }

        if (v.CanAssign && !CaseLifecycle.IsFinal(c.Status))
        {
            allowed.Add(CaseAction.Assign);
            allowed.Add(CaseAction.OverridePriority);
        }

        return allowed;
    }

    /// <summary>The refusal of <paramref name="action"/> in the case's state, naming what is possible instead.</summary>
    public InvalidTransition Illegal(Case c, CaseViewer v, CaseAction action, DateTimeOffset now, string why) =>
        new(c.Status, c.Waiting, action, AllowedActions(c, v, now), why);

    /// <summary>Active staff of the branch (home or extra) whose roles let them work cases.</summary>
    public async Task<bool> CanWorkInBranchAsync(long staffId, long branchId, CancellationToken ct) =>
        await db.Set<Staff>().AnyAsync(s => s.Id == staffId && s.IsActive
            && (s.HomeBranchId == branchId || s.ExtraBranches.Any(b => b.BranchId == branchId))
            && s.Roles.Any(role => WorkRoles.Contains(role.Role)), ct);

    public async Task<string> StaffNameAsync(long staffId, CancellationToken ct) =>
        await db.Set<Staff>().Where(s => s.Id == staffId).Select(s => s.DisplayName).SingleOrDefaultAsync(ct) ?? "?";
}
