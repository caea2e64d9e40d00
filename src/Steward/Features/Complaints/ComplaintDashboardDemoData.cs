using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;

namespace Steward.Features.Complaints;

/// <summary>
/// Older complaints for the compliance dashboard's first start (decision 0040): on up to eight complaint cases of the history older
/// than 20 days, two still open (past the PRC 15 days, one with an extension awaiting approval) and six decided some days after
/// receipt (upheld, partly upheld, not upheld, withdrawn; three with approved money remedies), two of them the same customer's
/// (a repeat complainant). Nothing when the history has no such cases.
/// </summary>
public static class ComplaintDashboardDemoData
{
    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var before = now.AddDays(-20);
        var open = new[] { CaseStatus.Submitted, CaseStatus.UnderReview, CaseStatus.InProgress };
        var candidates = db.Set<Case>().Where(c => c.Kind == CaseKind.Complaint && c.CreatedAt < before && !db.Set<Complaint>().Any(x => x.CaseId == c.Id));
        var stillOpen = await candidates.Where(c => open.Contains(c.Status)).OrderByDescending(c => c.CreatedAt).Take(2).ToListAsync(ct);
        var openIds = stillOpen.Select(c => c.Id).ToList();
        var decided = await candidates.Where(c => !openIds.Contains(c.Id)).OrderByDescending(c => c.CreatedAt).Take(6).ToListAsync(ct);
        if (stillOpen.Count + decided.Count == 0)
        {
            return;
        }

        var deadlines = services.GetRequiredService<ComplaintDeadlines>();
        var taxonomy = await services.GetRequiredService<ComplaintTaxonomies>().CurrentAsync(ct);
        // Days from receipt to the decision, the outcome and an approved money remedy of each decided complaint.
        (int Days, ComplaintOutcome Outcome, RemedyKind? Remedy, decimal Amount)[] decisions =
        [
            (9, ComplaintOutcome.Upheld, RemedyKind.FeeRefund, 120.00m),
            (14, ComplaintOutcome.NotUpheld, null, 0m),
            (18, ComplaintOutcome.PartlyUpheld, RemedyKind.Compensation, 800.00m),
            (5, ComplaintOutcome.Withdrawn, null, 0m),
            (12, ComplaintOutcome.Upheld, RemedyKind.Goodwill, 200.00m),
            (16, ComplaintOutcome.NotUpheld, null, 0m),
        ];
        if (decided.Count >= 2 && decided[0].CustomerId is { } repeat)
        {
            decided[1].CustomerId = repeat;
        }

        var complaints = new List<(Complaint Complaint, Case Case)>();
        foreach (var c in stillOpen.Concat(decided))
        {
            var regime = await deadlines.RegimeOfBranchAsync(c.BranchId, ct);
            // Written in the branch's language, as its staff would have recorded it (London's complaints are in English).
            var english = regime == Sla.SlaPresets.FcaCode;
            var complaint = new Complaint
            {
                CaseId = c.Id, BranchId = c.BranchId, CustomerId = c.CustomerId, ComplainantKind = ComplainantKind.Customer,
                WhatHappened = english ? "Was not told the fee when the service was provided and found the charge afterwards." : "办理业务时未被告知收费标准，事后发现被扣费。",
                WhatTheyWant = english ? "An explanation of the fee and a refund." : "说明收费依据并退还费用。",
                Currency = regime == Sla.SlaPresets.FcaCode ? "GBP" : "CNY", ProductId = c.ProductId, Channel = c.Channel, ReceivedAt = c.CreatedAt, Regime = regime,
                RegulatoryDueAt = ComplaintDeadlines.Governing(await deadlines.ForAsync(c.BranchId, regime, c.CreatedAt, ct)),
                TaxonomyId = taxonomy.Id, Nature = "PROCESS", JrtChannel = "A01", JrtBusiness = "B04", JrtCause = "C03",
                FcaProductGroup = regime == Sla.SlaPresets.FcaCode ? "BANKING" : null,
            };
            db.Add(complaint);
            complaints.Add((complaint, c));
        }

        await db.SaveChangesAsync(ct);
        for (var i = 0; i < decided.Count; i++)
        {
            var (complaint, _) = complaints[stillOpen.Count + i];
            var d = decisions[i];
            var at = complaint.ReceivedAt.AddDays(d.Days) is var due && due < now ? due : now;
            (complaint.RootCause, complaint.Outcome, complaint.OutcomeAt) = (complaint.Regime == Sla.SlaPresets.FcaCode ? "The fee disclosure step was skipped." : "收费告知流程未执行。", d.Outcome, at);
            if (d.Remedy is { } kind)
            {
                db.Add(new ComplaintRemedy
                {
                    ComplaintId = complaint.Id, Kind = kind, Amount = d.Amount, Currency = complaint.Currency, Status = RemedyStatus.Approved, ApproverLevel = RemedyApproverLevel.Handler,
                    ProposedAt = at, ApprovedAt = at,
                });
            }
        }

        // The first open complaint's handler has asked to extend the decision deadline; the approval is still awaited.
        // It is asked by the case's handler (or, unassigned, by a team lead of its branch), in the branch's language.
        if (stillOpen.Count > 0 && await db.Set<SlaClock>().Where(k => k.CaseId == stillOpen[0].Id && k.TargetType == Sla.SlaTargetType.Resolution).OrderByDescending(k => k.Layer).ThenBy(k => k.Id).FirstOrDefaultAsync(ct) is { } clock)
        {
            var handled = stillOpen[0];
            var requester = await db.Set<Platform.Identity.Staff>().Where(s => s.Id == handled.AssigneeId).FirstOrDefaultAsync(ct)
                ?? await db.Set<Platform.Identity.Staff>().Where(s => s.HomeBranchId == handled.BranchId && s.Roles.Any(r => r.Role == Platform.Identity.StaffRole.TeamLead)).OrderBy(s => s.Id).FirstOrDefaultAsync(ct);
            var english = complaints[0].Complaint.Regime == Sla.SlaPresets.FcaCode;
            db.Add(new SlaExtension
            {
                CaseId = clock.CaseId, ClockId = clock.Id, OldAmount = clock.Amount, NewAmount = clock.Amount * 2, Status = SlaExtensionStatus.Pending,
                Reason = english ? "A complex case: the payment provider's records are needed." : "案情复杂，需调取第三方支付机构记录。",
                RequestedById = requester?.Id, RequestedByName = requester?.DisplayName ?? "", RequestedAt = now.AddDays(-2),
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
