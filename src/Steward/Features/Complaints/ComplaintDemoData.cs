using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>
/// Complaint records on a handful of the demo history's complaint cases, in various states: just recorded, recoded, decided
/// with an approved refund, a compensation waiting for the branch manager, a goodwill payment waiting for compliance, not
/// upheld; and one consultation recorded as not a complaint. Nothing when the history is off (there are no cases then).
/// </summary>
public static class ComplaintDemoData
{
    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var cases = await db.Set<Case>().AsNoTracking().Where(c => c.Kind == CaseKind.Complaint && !db.Set<Complaint>().Any(x => x.CaseId == c.Id))
            .OrderByDescending(c => c.CreatedAt).Take(6).ToListAsync(ct);
        if (cases.Count == 0)
        {
            return;
        }

        var deadlines = services.GetRequiredService<ComplaintDeadlines>();
        var taxonomy = await services.GetRequiredService<ComplaintTaxonomies>().CurrentAsync(ct);
        var agents = await db.Set<Staff>().AsNoTracking().Where(s => s.Roles.Any(r => r.Role == StaffRole.Agent))
            .Select(s => new { s.Id, s.HomeBranchId }).ToListAsync(ct);
        (string Nature, string A, string B, string C, string? Fca, string Happened, string Want, decimal? Amount)[] stories =
        [
            ("SERVICE", "A01", "B01", "C01", "BANKING", "柜员办理存款时态度生硬，拒绝解释手续。", "要求道歉。", null),
            ("PRODUCT", "A033", "B99", "C05", "INVESTMENTS", "购买理财产品时未被告知赎回费率。", "退还赎回费。", 320.00m),
            ("PROCESS", "A01", "B04", "C03", "BANKING", "跨行汇款延迟三天到账，未收到任何通知。", "退还手续费并说明原因。", 25.00m),
            ("PRODUCT", "A01", "B02", "C08", "HOME", "贷款提前还款违约金与合同约定不符。", "按合同重新计算并退还差额。", 8000.00m),
            ("POLICY", "A031", "B03", "C11", "BANKING", "信用卡年费在未激活情况下被收取。", "退还年费并补偿利息损失。", 60000.00m),
            ("SERVICE", "A032", "B01", "C01", "BANKING", "电话银行等待时间过长。", "改进服务。", null),
        ];
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var s = stories[i];
            var regime = await deadlines.RegimeOfBranchAsync(c.BranchId, ct);
            var complaint = new Complaint
            {
                CaseId = c.Id, BranchId = c.BranchId, CustomerId = c.CustomerId, ComplainantKind = i == 5 ? ComplainantKind.AuthorisedAgent : ComplainantKind.Customer,
                RepresentativeName = i == 5 ? "李律师" : null, ProofNote = i == 5 ? "已查验授权委托书原件。" : null,
                WhatHappened = s.Happened, WhatTheyWant = s.Want, AmountInDispute = s.Amount, Currency = regime == Sla.SlaPresets.FcaCode ? "GBP" : "CNY",
                ProductId = c.ProductId, Channel = c.Channel, ReceivedAt = c.CreatedAt, Regime = regime,
                RegulatoryDueAt = ComplaintDeadlines.Governing(await deadlines.ForAsync(c.BranchId, regime, c.CreatedAt, ct)),
                TaxonomyId = taxonomy.Id, Nature = s.Nature, JrtChannel = s.A, JrtBusiness = s.B, JrtCause = s.C, FcaProductGroup = s.Fca,
                SubjectStaffId = i == 0 ? agents.FirstOrDefault(a => a.HomeBranchId == c.BranchId)?.Id : null,
            };
            if (i >= 2)
            {
                complaint.RootCause = i == 5 ? "高峰时段坐席排班不足。" : "销售与告知流程未按制度执行。";
                complaint.Outcome = i switch { 2 => ComplaintOutcome.Upheld, 4 => ComplaintOutcome.PartlyUpheld, 5 => ComplaintOutcome.NotUpheld, _ => ComplaintOutcome.Upheld };
                complaint.OutcomeAt = now;
            }

            db.Add(complaint);
            await db.SaveChangesAsync(ct);
            // The process (assessment, tasks): 0 assessed with one task done and one open; 1 with a legal impact whose legal review is overdue.
            if (i <= 1)
            {
                await SeedProcessAsync(db, complaint, c, legal: i == 1, now, ct);
            }

            if (i == 1)
            {
                db.Add(new ComplaintRecoding { ComplaintId = complaint.Id, FromCodes = "SERVICE A033 B99 C01", ToCodes = complaint.CodeLine, Reason = "调查后确认为信息披露问题。", RecodedAt = now });
            }

            // 2: a refund within the handler's limit; 3: 8,000 waits for the branch manager; 4: 60,000 waits for compliance.
            (RemedyKind Kind, decimal? Amount, RemedyStatus Status, RemedyApproverLevel Level)? remedy = i switch
            {
                2 => (RemedyKind.FeeRefund, 25.00m, RemedyStatus.Approved, RemedyApproverLevel.Handler),
                3 => (RemedyKind.Compensation, 8000.00m, RemedyStatus.PendingApproval, RemedyApproverLevel.BranchManager),
                4 => (RemedyKind.Goodwill, 60000.00m, RemedyStatus.PendingApproval, RemedyApproverLevel.Compliance),
                _ => null,
            };
            if (remedy is { } r)
            {
                db.Add(new ComplaintRemedy
                {
                    ComplaintId = complaint.Id, Kind = r.Kind, Amount = r.Amount, Currency = complaint.Currency, Status = r.Status, ApproverLevel = r.Level, ProposedAt = now,
                    ApprovedAt = r.Status == RemedyStatus.Approved ? now : null,
                });
            }
        }

        var consultation = await db.Set<Case>().AsNoTracking().Where(c => c.Kind == CaseKind.Consultation).OrderByDescending(c => c.CreatedAt).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        if (consultation is { } id)
        {
            db.Add(new ComplaintDismissal { CaseId = id, Reason = "客户仅咨询费率标准，未表示不满。", DecidedAt = now });
        }

        await db.SaveChangesAsync(ct);
        await ComplaintActionDemoData.SeedAsync(db, services, now, ct);
    }

    private static async Task SeedProcessAsync(StewardDbContext db, Complaint complaint, Case c, bool legal, DateTimeOffset now, CancellationToken ct)
    {
        var backOffice = await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.HomeBranchId == c.BranchId && s.Roles.Any(r => r.Role == StaffRole.BackOffice))
            .OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        var compliance = await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(r => r.Role == StaffRole.Compliance))
            .OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        var zone = await db.Set<Organisation.Branch>().AsNoTracking().Where(b => b.Id == c.BranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var today = ComplaintActions.TodayIn(zone, now);
        complaint.InScope = true;
        complaint.RegulatoryImpact = legal;
        complaint.LegalImpact = legal;
        complaint.AssessmentNote = legal ? "客户表示将向法院起诉，需法律审查。" : "属于服务态度类投诉，按一般程序处理。";
        complaint.AssessedAt = now;
        if (legal && compliance is { } lawyer)
        {
            db.Add(new ComplaintTask
            {
                ComplaintId = complaint.Id, Kind = ComplaintTaskKind.Legal, Title = "法律审查：评估本投诉的法律风险", OwnerId = lawyer, DueOn = today.AddDays(-1),
                Status = ComplaintTaskStatus.Open, CreatedAt = now,
            });
        }

        if (backOffice is { } owner)
        {
            db.Add(new ComplaintTask
            {
                ComplaintId = complaint.Id, Kind = ComplaintTaskKind.Investigation, Title = legal ? "调取手机银行购买记录和风险揭示确认页" : "调取柜台监控录像和业务凭证", OwnerId = owner, DueOn = today,
                Status = ComplaintTaskStatus.Done, Result = legal ? "购买页面未展示赎回费率。" : "录像显示柜员未按规范解释办理流程。", DoneAt = now, DoneById = owner, CreatedAt = now,
            });
            db.Add(new ComplaintTask
            {
                ComplaintId = complaint.Id, Kind = ComplaintTaskKind.Investigation, Title = legal ? "核对产品说明书与销售话术" : "约谈当事柜员并形成书面说明", OwnerId = owner, DueOn = today.AddDays(3),
                Status = ComplaintTaskStatus.Open, CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
