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
/// holder of <see cref="Permission.ComplaintsOversee"/> (compliance) may override one person's recusal with a reason
/// (<see cref="OverrideAsync"/>, a <see cref="ComplaintRecusalOverride"/>, audited), after which they may be assigned.
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
        if (!user.Can(Permission.ComplaintsHandle) || !user.Can(Permission.CasesAssign))
        {
            return new ComplaintActionForbidden();
        }

        if (r.StaffId is not { } staffId)
        {
            return new ComplaintInvalid(new Dictionary<string, string[]> { ["staffId"] = ["Choose who handles the complaint. 请选择处理人。"] });
        }

        if ((await RecusedAsync(db, complaint, ct)).FirstOrDefault(x => x.StaffId == staffId && !x.Overridden) is { } recused)
        {
            return new RecusalRequired(recused.Ground);
        }

        var assigned = await cases.AssignAsync(c.Id, new CaseAssignRequest(null, staffId, r.Reason, r.CaseVersion ?? c.Version), ct);
        return assigned.Error is { } refused ? refused : await complaints.GetAsync(id, ct);
    }

    /// <summary>Compliance lets a recused staff member handle the complaint after all, with the reason (audited).</summary>
    public async Task<Outcome<ComplaintDto>> OverrideAsync(long id, ComplaintRecusalOverrideRequest r, CancellationToken ct = default)
    {
        var loaded = await complaints.LoadAsync(id, ct, tracked: false);
        if (loaded.Error is { } notFound)
        {
            return notFound;
        }

        var (complaint, _) = loaded.Value;
        if (!user.Can(Permission.ComplaintsOversee))
        {
            return new ComplaintActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var recused = (await RecusedAsync(db, complaint, ct)).FirstOrDefault(x => x.StaffId == r.StaffId);
        if (recused is null)
        {
            errors["staffId"] = ["This staff member need not recuse themselves from this complaint. 该员工无须回避。"];
        }
        else if (recused.Overridden)
        {
            errors["staffId"] = ["This recusal is already overridden. 该回避已豁免。"];
        }

        var reason = r.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors["reason"] = ["Say why this person may handle the complaint. 请说明豁免回避的理由。"];
        }
        else if (reason.Length > 1000)
        {
            errors["reason"] = ["Up to 1000 characters. 不超过 1000 字。"];
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        db.Add(new ComplaintRecusalOverride
        {
            ComplaintId = complaint.Id, StaffId = recused!.StaffId, Ground = recused.Ground, Reason = reason!, OverriddenById = user.StaffId, OverriddenAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
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
