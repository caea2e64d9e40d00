using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>A recurrence as a reader sees it: the other complaint (its id and reference only when the reader may see its case).</summary>
public sealed record ComplaintRecurrenceDto(long? OtherComplaintId, string? OtherCaseReference, string JrtCause, bool SameProduct, bool SameBranch, DateTimeOffset DetectedAt);

/// <summary>
/// Recurrence of a root cause (decision 0037). When a complaint's outcome is recorded as upheld or partly upheld, every
/// other upheld or partly upheld complaint with the same JR/T 0169 C cause code, received within
/// <see cref="ComplaintOptions.RecurrenceWindowDays"/> of it (before or after), on the same product or in the same branch,
/// counts; with at least <see cref="ComplaintOptions.RecurrenceCount"/> complaints (this one included) each pair is recorded
/// as a <see cref="ComplaintRecurrence"/> and compliance is notified once. The search is institution-wide (a recurrence is
/// the institution's fact, not a reader's), and everything is added to the caller's unit of work: it is saved with the
/// outcome, or not at all.
/// </summary>
public sealed class ComplaintRecurrences(StewardDbContext db, CaseService cases, NotificationService notifications, IOptions<ComplaintOptions> options, TimeProvider time)
{
    public const string NotificationKind = "complaint.recurrence";

    /// <summary>Adds the recurrences of <paramref name="complaint"/> (just decided, on the case <paramref name="c"/>) to the unit of work; returns how many pairs.</summary>
    public async Task<int> DetectAsync(Complaint complaint, Case c, CancellationToken ct)
    {
        if (complaint.Outcome is not (ComplaintOutcome.Upheld or ComplaintOutcome.PartlyUpheld))
        {
            return 0;
        }

        var o = options.Value;
        var window = TimeSpan.FromDays(o.RecurrenceWindowDays);
        var (start, end) = (complaint.ReceivedAt - window, complaint.ReceivedAt + window);
        var (cause, productId, branchId, id) = (complaint.JrtCause, complaint.ProductId, c.BranchId, complaint.Id);
        var earlier = await (from y in db.Set<Complaint>().AsNoTracking()
                             join yc in db.Set<Case>() on y.CaseId equals yc.Id
                             where y.Id != id && y.JrtCause == cause && (y.Outcome == ComplaintOutcome.Upheld || y.Outcome == ComplaintOutcome.PartlyUpheld)
                                 && y.ReceivedAt >= start && y.ReceivedAt <= end
                                 && ((productId != null && y.ProductId == productId) || yc.BranchId == branchId)
                             orderby y.ReceivedAt, y.Id
                             select new { y.Id, y.ProductId, yc.BranchId, yc.Reference }).ToListAsync(ct);
        if (earlier.Count + 1 < o.RecurrenceCount)
        {
            return 0;
        }

        var ids = earlier.Select(e => e.Id).ToList();
        var known = await db.Set<ComplaintRecurrence>().AsNoTracking()
            .Where(r => (r.ComplaintId == id && ids.Contains(r.EarlierComplaintId)) || (r.EarlierComplaintId == id && ids.Contains(r.ComplaintId)))
            .Select(r => r.ComplaintId == id ? r.EarlierComplaintId : r.ComplaintId).ToListAsync(ct);
        var now = time.GetUtcNow();
        var fresh = earlier.Where(e => !known.Contains(e.Id)).ToList();
        foreach (var e in fresh)
        {
            db.Add(new ComplaintRecurrence
            {
                ComplaintId = id, EarlierComplaintId = e.Id, JrtCause = cause, SameProduct = productId is not null && e.ProductId == productId, SameBranch = e.BranchId == branchId,
                DetectedAt = now,
            });
        }

        if (fresh.Count > 0)
        {
            await NotifyComplianceAsync(complaint, c, earlier.Count, fresh.Any(e => productId is not null && e.ProductId == productId), ct);
        }

        return fresh.Count;
    }

    /// <summary>The recurrences <paramref name="complaintId"/> is part of, either side, oldest first; the other complaint named only when the reader may see it.</summary>
    public async Task<IReadOnlyList<ComplaintRecurrenceDto>> OfAsync(long complaintId, CancellationToken ct)
    {
        var rows = await db.Set<ComplaintRecurrence>().AsNoTracking().Where(r => r.ComplaintId == complaintId || r.EarlierComplaintId == complaintId)
            .OrderBy(r => r.DetectedAt).ThenBy(r => r.Id).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        var others = rows.Select(r => r.ComplaintId == complaintId ? r.EarlierComplaintId : r.ComplaintId).Distinct().ToList();
        var visible = cases.Visible(await cases.ViewerAsync(ct)).AsNoTracking();
        var references = await (from x in db.Set<Complaint>().AsNoTracking()
                                join c in visible on x.CaseId equals c.Id
                                where others.Contains(x.Id)
                                select new { x.Id, c.Reference }).ToDictionaryAsync(x => x.Id, x => x.Reference, ct);
        return [.. rows.Select(r =>
        {
            var other = r.ComplaintId == complaintId ? r.EarlierComplaintId : r.ComplaintId;
            var reference = references.GetValueOrDefault(other);
            return new ComplaintRecurrenceDto(reference is null ? null : other, reference, r.JrtCause, r.SameProduct, r.SameBranch, r.DetectedAt);
        })];
    }

    /// <summary>Of <paramref name="complaintIds"/>, those in a recurrence (either side).</summary>
    public async Task<HashSet<long>> RecurringAsync(IReadOnlyCollection<long> complaintIds, CancellationToken ct)
    {
        var ids = complaintIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var later = await db.Set<ComplaintRecurrence>().AsNoTracking().Where(r => ids.Contains(r.ComplaintId)).Select(r => r.ComplaintId).ToListAsync(ct);
        var first = await db.Set<ComplaintRecurrence>().AsNoTracking().Where(r => ids.Contains(r.EarlierComplaintId)).Select(r => r.EarlierComplaintId).ToListAsync(ct);
        return [.. later, .. first];
    }

    private async Task NotifyComplianceAsync(Complaint complaint, Case c, int others, bool sameProduct, CancellationToken ct)
    {
        var compliance = await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(r => r.Role == StaffRole.Compliance)).Select(s => s.Id).ToListAsync(ct);
        var name = await db.Set<ComplaintCode>().AsNoTracking()
            .Where(k => k.TaxonomyId == complaint.TaxonomyId && k.CodeSet == ComplaintCodeSet.JrtCause && k.Code == complaint.JrtCause)
            .Select(k => new { k.Name, k.NameEn }).SingleOrDefaultAsync(ct);
        var days = options.Value.RecurrenceWindowDays;
        var (whereZh, whereEn) = sameProduct ? ("同一产品", "the same product") : ("同一机构", "the same branch");
        notifications.Raise(compliance, NotificationKind,
            string.Create(CultureInfo.InvariantCulture,
                $"投诉 {c.Reference} 同因复发：{complaint.JrtCause} {name?.Name}，{days} 天内{whereZh}已有 {others} 宗成立的投诉。请溯源整改。"),
            string.Create(CultureInfo.InvariantCulture,
                $"Complaint {c.Reference} repeats cause {complaint.JrtCause} {name?.NameEn}: {others} upheld complaint(s) on {whereEn} within {days} days. Find and fix the root cause."),
            string.Create(CultureInfo.InvariantCulture, $"/Complaints/Details?id={complaint.Id}"));
    }
}
