using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>Related cases: linking two, and merging a duplicate into another.</summary>
public sealed class CaseLinks(
    StewardDbContext db,
    TimeProvider time,
    CaseAccess access,
    CaseWriter writer,
    CaseDetails details,
    IEnumerable<ICaseLifecycleObserver> observers)
{
    private static readonly UniqueIndex OneLinkPerPair = new("case_links", "ix_case_links_case_id_related_case_id", "case_id", "related_case_id");

    /// <summary>Records that two cases are related; both timelines show it.</summary>
    public async Task<Outcome<CaseDetail>> LinkAsync(long id, CaseLinkRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, null, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, c) = loaded.Value;
        var other = await access.Visible(v).SingleOrDefaultAsync(x => x.Id == r.RelatedCaseId, ct);

        if (other is null || other.Id == c.Id)
        {
            return Problems.Invalid("relatedCaseId", "Choose another case you can see. 请选择您可见的另一个案件。");
        }

        var (low, high) = c.Id < other.Id ? (c.Id, other.Id) : (other.Id, c.Id);
        if (await db.Set<CaseLink>().AnyAsync(l => l.CaseId == low && l.RelatedCaseId == high, ct))
        {
            return await details.DetailAsync(c, v, ct);
        }

        var now = time.GetUtcNow();
        var actor = new CaseActor(v.StaffId, v.Name);
        db.Add(new CaseLink { CaseId = low, RelatedCaseId = high, CreatedById = v.StaffId, CreatedAt = now });
        writer.AddEvent(c, actor, CaseEventType.Linked, now, CaseAction.Link, detail: other.Reference, code: CaseEventText.Linked, parameters: new() { ["reference"] = other.Reference });
        writer.AddEvent(other, actor, CaseEventType.Linked, now, CaseAction.Link, detail: c.Reference, code: CaseEventText.Linked, parameters: new() { ["reference"] = c.Reference });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (OneLinkPerPair.IsViolatedBy(e))
        {
            // The same link made at the same moment by someone else: it exists, which is what was asked.
            db.ChangeTracker.Clear();
            c = await access.Visible(v).SingleAsync(x => x.Id == id, ct);
        }

        return await details.DetailAsync(c, v, ct);
    }

    /// <summary>
    /// Merges this case (a duplicate) into another: it is cancelled as Duplicate and points at the
    /// other; the cases are linked, and both timelines keep their history and record the merge.
    /// </summary>
    public async Task<Outcome<CaseDetail>> MergeAsync(long id, CaseMergeRequest r, CancellationToken ct = default)
    {
        var loaded = await access.LoadForChangeAsync(id, r.Version, viewer => !viewer.CanWork, ct);
        if (loaded.Error is { } refused)
        {
            return refused;
        }

        var (v, duplicate) = loaded.Value;

        var into = await access.Visible(v).SingleOrDefaultAsync(x => x.Id == r.IntoCaseId, ct);
        if (into is null || into.Id == duplicate.Id || into.Status == CaseStatus.Cancelled)
        {
            return Problems.Invalid("intoCaseId", "Choose another case you can see that is not cancelled. 请选择您可见且未取消的另一个案件。");
        }

        var now = time.GetUtcNow();
        if (!CaseLifecycle.IsOpen(duplicate.Status))
        {
            return access.Illegal(duplicate, v, CaseAction.Merge, now, "Only an open case can be merged into another.");
        }

        var reason = string.IsNullOrWhiteSpace(r.Reason) ? null : r.Reason.Trim();
        var actor = new CaseActor(v.StaffId, v.Name);
        var change = CaseLifecycleCommands.Apply(duplicate, (CaseStatus.Cancelled, CaseWaiting.None), CaseAction.Merge, now);
        duplicate.ClosedAt = now;
        duplicate.CancelReason = CaseCancelReason.Duplicate;
        duplicate.MergedIntoId = into.Id;
        writer.AddEvent(duplicate, actor, CaseEventType.MergedInto, now, CaseAction.Merge, change.From, change.To, reason, $"→ {into.Reference}",
            CaseEventText.MergedInto, new() { ["reference"] = into.Reference });
        writer.AddEvent(into, actor, CaseEventType.MergedFrom, now, CaseAction.Merge, reason: reason, detail: $"← {duplicate.Reference}",
            code: CaseEventText.MergedFrom, parameters: new() { ["reference"] = duplicate.Reference });
        var (low, high) = duplicate.Id < into.Id ? (duplicate.Id, into.Id) : (into.Id, duplicate.Id);
        if (!await db.Set<CaseLink>().AnyAsync(l => l.CaseId == low && l.RelatedCaseId == high, ct))
        {
            db.Add(new CaseLink { CaseId = low, RelatedCaseId = high, CreatedById = v.StaffId, CreatedAt = now });
        }

        // The surviving case counts as changed too, so that a concurrent edit of it based on the old version is refused.
        db.Entry(into).Property(x => x.Version).IsModified = true;
        foreach (var observer in observers)
        {
            await observer.OnTransitionedAsync(duplicate, change, ct);
        }

        return await writer.SaveAndDetailAsync(duplicate, v, ct, into);
    }
}
