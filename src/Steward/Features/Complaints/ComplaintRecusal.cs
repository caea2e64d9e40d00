using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// Recusal (回避). CBIRC 2020 No. 3 requires staff with a direct interest in a complaint to stand aside: here the staff
/// member the complaint names, their line manager, and the seller of the product complained about. Steward has no
/// reporting line on the staff file, so the line manager is read from the organisation: the team leads of the named
/// person's team, or — when they have no team — the branch managers of their home branch. Assigning the complaint's case
/// through <see cref="AssignAsync"/> to any of them is refused with <see cref="RecusalRequired"/> at <c>staffId</c>; a
/// holder of <see cref="Permission.ComplaintsOversee"/> (compliance) may override with a reason, recorded as a
/// <see cref="ComplaintRecusalOverride"/> (audited) before the assignment.
/// </summary>
public sealed class ComplaintRecusal(StewardDbContext db, CurrentUser user, ComplaintService complaints, CaseService cases, TimeProvider time)
{
    public async Task<Outcome<ComplaintDto>> AssignAsync(long id, ComplaintAssignRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, c) = loaded.Value;
        if (!user.Can(Permission.ComplaintsHandle) || !user.Can(Permission.CasesAssign) && !user.Can(Permission.ComplaintsOversee))
        {
            return new ComplaintActionForbidden();
        }

        if (r.StaffId is not { } staffId)
        {
            return new ComplaintInvalid(new Dictionary<string, string[]> { ["staffId"] = ["Choose who handles the complaint. 请选择处理人。"] });
        }

        var ground = (await RecusedAsync(db, complaint, ct)).FirstOrDefault(x => x.StaffId == staffId && !x.Overridden)?.Ground;
        var overrideReason = r.OverrideReason?.Trim();
        if (ground is { } g)
        {
            if (string.IsNullOrEmpty(overrideReason) || !user.Can(Permission.ComplaintsOversee))
            {
                return new RecusalRequired(g);
            }

            if (overrideReason.Length > 1000)
            {
                return new ComplaintInvalid(new Dictionary<string, string[]> { ["overrideReason"] = ["Up to 1000 characters. 不超过 1000 字。"] });
            }
        }

        // The override is written only with the assignment it allows: the case's own command saves both (it saves the tracked rows of
        // this unit of work in its transaction), or neither when it refuses.
        if (ground is { } overridden)
        {
            db.Add(new ComplaintRecusalOverride
            {
                ComplaintId = complaint.Id, StaffId = staffId, Ground = overridden, Reason = overrideReason!, OverriddenById = user.StaffId, OverriddenAt = time.GetUtcNow(),
            });
        }

        var assigned = await cases.AssignAsync(c.Id, new CaseAssignRequest(null, staffId, r.Reason, r.CaseVersion ?? c.Version), ct);
        if (assigned.Error is { } refused)
        {
            foreach (var entry in db.ChangeTracker.Entries<ComplaintRecusalOverride>().Where(e => e.State == EntityState.Added).ToList())
            {
                entry.State = EntityState.Detached;
            }

            return refused;
        }

        return await complaints.GetAsync(id, ct);
    }

    /// <summary>Who must stand aside from <paramref name="complaint"/>, and on what ground (one ground per person, the strongest first); overrides marked.</summary>
    public static async Task<IReadOnlyList<ComplaintRecusalDto>> RecusedAsync(StewardDbContext db, Complaint complaint, CancellationToken ct)
    {
        var grounds = new List<(long StaffId, RecusalGround Ground)>();
        if (complaint.SubjectStaffId is { } subjectId)
        {
            grounds.Add((subjectId, RecusalGround.ComplainedAbout));
            var subject = await db.Set<Staff>().AsNoTracking().Where(s => s.Id == subjectId).Select(s => new { s.TeamId, s.HomeBranchId }).SingleOrDefaultAsync(ct);
            if (subject is not null)
            {
                var managerRole = subject.TeamId is null ? StaffRole.BranchManager : StaffRole.TeamLead;
                var managers = await db.Set<Staff>().AsNoTracking()
                    .Where(s => s.Id != subjectId && s.IsActive && s.Roles.Any(x => x.Role == managerRole)
                        && (subject.TeamId != null ? s.TeamId == subject.TeamId : s.HomeBranchId == subject.HomeBranchId))
                    .Select(s => s.Id).ToListAsync(ct);
                grounds.AddRange(managers.Select(m => (m, RecusalGround.LineManager)));
            }
        }

        if (complaint.SellerStaffId is { } sellerId)
        {
            grounds.Add((sellerId, RecusalGround.Seller));
        }

        var distinct = grounds.GroupBy(x => x.StaffId).Select(x => x.First()).ToList();
        if (distinct.Count == 0)
        {
            return [];
        }

        var ids = distinct.Select(x => x.StaffId).ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var overridden = await db.Set<ComplaintRecusalOverride>().AsNoTracking().Where(o => o.ComplaintId == complaint.Id).Select(o => o.StaffId).ToListAsync(ct);
        return [.. distinct.Select(x => new ComplaintRecusalDto(x.StaffId, names.GetValueOrDefault(x.StaffId, ""), x.Ground, overridden.Contains(x.StaffId)))];
    }
}
