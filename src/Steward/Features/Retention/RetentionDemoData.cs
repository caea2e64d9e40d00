using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Retention;

/// <summary>
/// The demo's retention story, so the disposition review has work on the first start: three Shanghai customers whose relationship
/// ended six years ago (past the 5-year AML period: listed), one whose relationship ended as long ago but who still has an open
/// complaint (held by it), and one under a regulator inquiry hold placed by compliance.
/// </summary>
public static class RetentionDemoData
{
    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var branch = await db.Set<Branch>().Where(b => b.Code == "SH01").Select(b => (long?)b.Id).SingleOrDefaultAsync(ct);
        var compliance = await db.Set<Platform.Identity.Staff>().Where(s => s.Username == "compliance").Select(s => (long?)s.Id).SingleOrDefaultAsync(ct);
        if (branch is null)
        {
            return;
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var ended = today.AddYears(-6).AddDays(-17);
        var withComplaint = await db.Set<Complaint>().Where(c => c.BranchId == branch && c.ArchivedAt == null && c.CustomerId != null)
            .OrderBy(c => c.Id).Select(c => c.CustomerId).FirstOrDefaultAsync(ct);
        var complained = await db.Set<Complaint>().Where(c => c.CustomerId != null).Select(c => c.CustomerId!.Value).Distinct().ToListAsync(ct);
        // The last files of the branch, away from those the other demo stories (reveals, households) use.
        var quiet = await db.Set<Customer>().Where(c => c.HomeBranchId == branch && !complained.Contains(c.Id))
            .OrderByDescending(c => c.Id).Select(c => c.Id).Take(4).ToListAsync(ct);
        var ids = quiet.Concat(withComplaint is { } w ? [w] : []).ToList();
        await db.Set<Customer>().Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.RelationshipEndedOn, ended), ct);

        using (HttpAuditActorAccessor.Use(new AuditActor(compliance, "合规官 陈静")))
        {
            if (quiet.Count == 4)
            {
                db.Add(new RetentionHold
                {
                    SubjectType = HoldSubject.Customer, SubjectId = quiet[3], Kind = HoldKind.RegulatorInquiry, PlacedById = compliance, PlacedAt = now.AddDays(-3),
                    Reason = "人民银行上海分行反洗钱检查调阅该客户资料，检查结束前暂停处置。",
                });
                await db.SaveChangesAsync(ct);
            }
        }

        await ActivatorUtilities.CreateInstance<Disposition>(services).FindAsync(today, now, ct);
    }
}
