using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

using Steward.Features.Cases;

namespace Steward.Features.Routing;

/// <summary>
/// The team queues of cases (routing; not the branch's ticket queue): which kinds a team receives and how it assigns them (<see cref="CaseTeamSettings"/>), who is
/// on duty (<see cref="StaffDuty"/>), and from these the <see cref="ICaseAssignmentPolicy"/> a new case follows.
/// </summary>
public sealed class TeamQueues(StewardDbContext db, CurrentUser user, TimeProvider time, CaseAccess access) : ICaseAssignmentPolicy
{
    private static readonly UniqueIndex OneDutyRowPerStaff = new("case_staff_duty", "ix_case_staff_duty_staff_id", "staff_id");
    private static readonly UniqueIndex OneSettingsPerTeam = new("case_team_settings", "ix_case_team_settings_team_id", "team_id");

    /// <summary>The first team (lowest id) of the branch's active teams whose settings receive <paramref name="kind"/>.</summary>
    public async Task<RoutedTeam?> RouteAsync(long branchId, CaseKind kind, CancellationToken ct)
    {
        var candidates = await db.Set<CaseTeamSettings>().AsNoTracking()
            .Join(db.Set<Team>().Where(t => t.BranchId == branchId && t.IsActive), s => s.TeamId, t => t.Id, (s, t) => new { Settings = s, t.Name })
            .OrderBy(x => x.Settings.TeamId).ToListAsync(ct);
        var routed = candidates.FirstOrDefault(x => x.Settings.KindList.Contains(kind));
        return routed is null ? null : new RoutedTeam(routed.Settings.TeamId, routed.Name);
    }

    /// <summary>
    /// Picks the next person of a team that assigns automatically: active, on duty, allowed to
    /// work cases. Round-robin goes to the next staff id after the last one served (wrapping);
    /// least-loaded to the one with the fewest open cases (ties: lowest id). The settings row is
    /// locked for the transaction so that concurrent creates do not serve the same turn twice.
    /// Null when the team assigns manually or nobody is on duty: the case waits in the queue.
    /// </summary>
    public async Task<AutoAssignment?> AutoAssignAsync(long teamId, CancellationToken ct)
    {
        var settings = db.IsPostgres
            ? await db.Set<CaseTeamSettings>().FromSqlInterpolated($"SELECT * FROM case_team_settings WHERE team_id = {teamId} FOR UPDATE").SingleOrDefaultAsync(ct)
            : await db.Set<CaseTeamSettings>().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        if (settings is null || settings.Mode == AssignmentMode.Manual)
        {
            return null;
        }

        var candidates = await db.Set<Staff>()
            .Where(s => s.IsActive && s.TeamId == teamId && s.Roles.Any(role => CaseAccess.WorkRoles.Contains(role.Role))
                && db.Set<StaffDuty>().Any(d => d.StaffId == s.Id && d.OnDuty))
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        if (candidates.Count == 0)
        {
            return null;
        }

        long chosen;
        switch (settings.Mode)
        {
            case AssignmentMode.RoundRobin:
                var last = settings.LastAssignedStaffId ?? 0;
                chosen = candidates.FirstOrDefault(id => id > last, candidates[0]);
                break;
            case AssignmentMode.LeastLoaded:
                var loads = await db.Set<Case>()
                    .Where(c => c.AssigneeId != null && candidates.Contains(c.AssigneeId.Value)
                        && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.UnderReview || c.Status == CaseStatus.InProgress))
                    .GroupBy(c => c.AssigneeId!.Value).Select(g => new { StaffId = g.Key, Count = g.Count() })
                    .ToDictionaryAsync(x => x.StaffId, x => x.Count, ct);
                chosen = candidates.OrderBy(id => loads.GetValueOrDefault(id)).ThenBy(id => id).First();
                break;
            case AssignmentMode.Manual:
            default:
                return null;
        }

        settings.LastAssignedStaffId = chosen;
        return new AutoAssignment(chosen, settings.Mode.ToString());
    }

    public async Task<IReadOnlyList<AssigneeCandidate>> CandidatesAsync(long branchId, CancellationToken ct)
    {
        var people = await db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && (s.HomeBranchId == branchId || s.ExtraBranches.Any(b => b.BranchId == branchId))
                && s.Roles.Any(role => CaseAccess.AssigneeRoles.Contains(role.Role)))
            .Select(s => new
            {
                s.Id,
                s.DisplayName,
                s.TeamId,
                OnDuty = db.Set<StaffDuty>().Any(d => d.StaffId == s.Id && d.OnDuty),
                Open = db.Set<Case>().Count(c => c.AssigneeId == s.Id
                    && (c.Status == CaseStatus.Submitted || c.Status == CaseStatus.UnderReview || c.Status == CaseStatus.InProgress)),
            })
            .ToListAsync(ct);
        return people.Select(p => new AssigneeCandidate(p.Id, p.DisplayName, p.TeamId, p.OnDuty, p.Open))
            .OrderByDescending(p => p.OnDuty).ThenBy(p => p.Open).ThenBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.StaffId).ToList();
    }

    public async Task<Outcome<CaseTeamSettingsDto>> TeamSettingsAsync(long teamId, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        var team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !(v.AllBranches || v.BranchIds.Contains(team.BranchId)))
        {
            return new TeamNotFound();
        }

        var settings = await db.Set<CaseTeamSettings>().AsNoTracking().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        return settings is null ? new CaseTeamSettingsDto(teamId, AssignmentMode.Manual, [], 0) : new CaseTeamSettingsDto(teamId, settings.Mode, settings.KindList, settings.Version);
    }

    /// <summary>Which kinds a team receives and how it assigns (needs CasesAssign in the team's branch, or OrganisationManage).</summary>
    public async Task<Outcome<CaseTeamSettingsDto>> SaveTeamSettingsAsync(long teamId, CaseTeamSettingsRequest r, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        var team = await db.Set<Team>().AsNoTracking().SingleOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !(v.AllBranches || v.BranchIds.Contains(team.BranchId)))
        {
            return new TeamNotFound();
        }

        if (!v.CanAssign && !user.Can(Permission.OrganisationManage))
        {
            return new CaseActionForbidden();
        }

        var settings = await db.Set<CaseTeamSettings>().SingleOrDefaultAsync(s => s.TeamId == teamId, ct);
        if ((settings?.Version ?? 0) != (r.Version ?? 0))
        {
            return Problems.StaleVersion();
        }

        if (settings is null)
        {
            settings = new CaseTeamSettings { TeamId = teamId };
            db.Add(settings);
        }

        settings.Mode = r.Mode;
        settings.Kinds = string.Join(',', (r.Kinds ?? []).Distinct().Order());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || OneSettingsPerTeam.IsViolatedBy(e))
        {
            // Changed since it was read, or a first save of the same team's settings beside this one.
            return Problems.StaleVersion();
        }

        return new CaseTeamSettingsDto(teamId, settings.Mode, settings.KindList, settings.Version);
    }

    public async Task<DutyDto> DutyAsync(CancellationToken ct = default)
    {
        var me = user.StaffId ?? 0;
        var duty = await db.Set<StaffDuty>().AsNoTracking().SingleOrDefaultAsync(d => d.StaffId == me, ct);
        return new DutyDto(me, duty?.OnDuty ?? false, duty?.ChangedAt);
    }

    /// <summary>Goes on or off duty: only people on duty receive automatically assigned cases.</summary>
    public async Task<DutyDto> SetDutyAsync(bool onDuty, CancellationToken ct = default)
    {
        var me = user.StaffId ?? throw new InvalidOperationException("Duty needs a signed-in staff member.");
        for (var attempt = 1; ; attempt++)
        {
            var duty = await db.Set<StaffDuty>().SingleOrDefaultAsync(d => d.StaffId == me, ct);
            if (duty is null)
            {
                duty = new StaffDuty { StaffId = me };
                db.Add(duty);
            }

            duty.OnDuty = onDuty;
            duty.ChangedAt = time.GetUtcNow();
            try
            {
                await db.SaveChangesAsync(ct);
                return new DutyDto(me, duty.OnDuty, duty.ChangedAt);
            }
            catch (DbUpdateException e) when (attempt == 1 && OneDutyRowPerStaff.IsViolatedBy(e))
            {
                // The same person went on duty from another window at the same moment: their row exists now; set it.
                db.ChangeTracker.Clear();
            }
        }
    }
}
