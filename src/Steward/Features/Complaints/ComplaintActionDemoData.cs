using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>
/// Corrective actions on the demo's upheld complaints — one done with evidence, one overdue, one in progress — and a second
/// upheld complaint with the first one's cause in the same branch, whose outcome is checked for recurrence as any outcome is
/// (so compliance finds the alert on first start). Nothing without upheld demo complaints.
/// </summary>
public static class ComplaintActionDemoData
{
    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var upheld = await (from x in db.Set<Complaint>().AsNoTracking()
                            join c in db.Set<Case>() on x.CaseId equals c.Id
                            join b in db.Set<Organisation.Branch>() on c.BranchId equals b.Id
                            where x.Outcome == ComplaintOutcome.Upheld || x.Outcome == ComplaintOutcome.PartlyUpheld
                            orderby x.Id
                            select new { Complaint = x, Case = c, b.TimeZone }).Take(3).ToListAsync(ct);
        if (upheld.Count == 0)
        {
            return;
        }

        (string Title, string? Evidence, ComplaintActionStatus Status, int DueInDays)[] actions =
        [
            ("跨行汇款延迟时向客户发送短信提醒", "短信提醒已上线，抽查 20 笔延迟汇款均已发送提醒。", ComplaintActionStatus.Done, -10),
            ("按合同重新核对提前还款违约金的计算规则", null, ComplaintActionStatus.Open, -5),
            ("未激活信用卡不收年费的系统校验", null, ComplaintActionStatus.InProgress, 14),
        ];
        for (var i = 0; i < upheld.Count; i++)
        {
            var (u, a) = (upheld[i], actions[i]);
            if (await OwnerAsync(db, u.Case.BranchId, ct) is not { } ownerId)
            {
                continue;
            }

            var done = a.Status == ComplaintActionStatus.Done;
            db.Add(new ComplaintAction
            {
                ComplaintId = u.Complaint.Id, Title = a.Title, OwnerId = ownerId, DueOn = ComplaintActions.TodayIn(u.TimeZone, now).AddDays(a.DueInDays), Status = a.Status,
                EvidenceNote = a.Evidence, ClosedAt = done ? now.AddDays(-12) : null, ClosedById = done ? ownerId : null,
            });
        }

        await db.SaveChangesAsync(ct);

        // The first upheld complaint's cause again, in the same branch: the newest complaint case there not yet taken in.
        var first = upheld[0];
        var again = await db.Set<Case>().AsNoTracking()
            .Where(c => c.Kind == CaseKind.Complaint && c.BranchId == first.Case.BranchId && c.Id != first.Case.Id && !db.Set<Complaint>().Any(x => x.CaseId == c.Id))
            .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct);
        if (again is null)
        {
            return;
        }

        var f = first.Complaint;
        var complaint = new Complaint
        {
            CaseId = again.Id, BranchId = again.BranchId, CustomerId = again.CustomerId, ComplainantKind = ComplainantKind.Customer, WhatHappened = "跨行汇款再次延迟两天到账，仍未收到任何通知。", WhatTheyWant = "说明原因并退还手续费。",
            AmountInDispute = 25.00m, Currency = f.Currency, ProductId = again.ProductId, Channel = again.Channel, ReceivedAt = again.CreatedAt, Regime = f.Regime,
            RegulatoryDueAt = ComplaintDeadlines.Governing(await services.GetRequiredService<ComplaintDeadlines>().ForAsync(again.BranchId, f.Regime, again.CreatedAt, ct)),
            TaxonomyId = f.TaxonomyId, Nature = f.Nature, JrtChannel = f.JrtChannel, JrtBusiness = f.JrtBusiness, JrtCause = f.JrtCause, FcaProductGroup = f.FcaProductGroup,
            RootCause = "延迟汇款提醒尚未覆盖所有清算通道。", Outcome = ComplaintOutcome.Upheld, OutcomeAt = now,
        };
        db.Add(complaint);
        await db.SaveChangesAsync(ct);
        await services.GetRequiredService<ComplaintRecurrences>().DetectAsync(complaint, again, ct);
        if (await OwnerAsync(db, again.BranchId, ct) is { } owner)
        {
            // The recurrence's own fix, open, so the overview shows the recurring marker too.
            db.Add(new ComplaintAction
            {
                ComplaintId = complaint.Id, Title = "延迟汇款提醒覆盖所有清算通道", OwnerId = owner, DueOn = ComplaintActions.TodayIn(first.TimeZone, now).AddDays(30),
                Status = ComplaintActionStatus.Open,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A branch manager of the branch, else its first staff member who handles complaints.</summary>
    private static Task<long?> OwnerAsync(StewardDbContext db, long branchId, CancellationToken ct) =>
        db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && s.HomeBranchId == branchId && s.Roles.Any(r => r.Role == StaffRole.BranchManager || r.Role == StaffRole.Agent || r.Role == StaffRole.TeamLead))
            .OrderByDescending(s => s.Roles.Any(r => r.Role == StaffRole.BranchManager)).ThenBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
}
