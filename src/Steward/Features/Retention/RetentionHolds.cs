using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Retention;

public sealed record RetentionHoldDto(long Id, HoldSubject SubjectType, long SubjectId, string SubjectReference, HoldKind Kind, string Reason,
    long? PlacedById, DateTimeOffset PlacedAt, long? ReleasedById, DateTimeOffset? ReleasedAt, string? ReleaseReason, int Version);

public sealed record RetentionHoldRequest(HoldSubject? SubjectType, long? SubjectId, HoldKind? Kind, string? Reason);

public sealed record RetentionHoldRelease(string? Reason, int? Version);

/// <summary>Why a record is held now: a hold placed by compliance, or an open complaint of the customer (automatic, no row).</summary>
public sealed record HoldReason(HoldKind Kind, long? HoldId, long? ComplaintId, string Detail);

/// <summary>
/// Holds suspend disposal. Compliance places one on a customer (all their records) or a case with a reason and releases it
/// with a reason; both are audited. An open complaint of the customer (not yet archived) holds their file without a row.
/// </summary>
public sealed class RetentionHolds(StewardDbContext db, CurrentUser user, TimeProvider time)
{
    public const int MaxReason = 1000;

    public async Task<IReadOnlyList<RetentionHoldDto>> ListAsync(bool includeReleased, CancellationToken ct = default)
    {
        var holds = await db.Set<RetentionHold>().AsNoTracking().Where(h => includeReleased || h.ReleasedAt == null).ToListAsync(ct);
        var refs = await ReferencesAsync(holds, ct);
        return [.. holds.OrderByDescending(h => h.PlacedAt).ThenByDescending(h => h.Id).Select(h => ToDto(h, refs))];
    }

    public async Task<Outcome<RetentionHoldDto>> PlaceAsync(RetentionHoldRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var reason = request.Reason?.Trim() ?? "";
        if (request.SubjectType is null)
        {
            errors["subjectType"] = ["Choose a customer or a case. 请选择客户或案件。"];
        }

        if (request.SubjectId is not > 0)
        {
            errors["subjectId"] = ["Give the customer's or case's id. 请填写客户或案件编号。"];
        }

        if (request.Kind is null)
        {
            errors["kind"] = ["Choose why: complaint, litigation or regulator inquiry. 请选择原因：投诉、诉讼或监管问询。"];
        }

        if (reason.Length == 0 || reason.Length > MaxReason)
        {
            errors["reason"] = ["Give a reason (at most 1000 characters). 请填写理由（最多 1000 字）。"];
        }

        if (errors.Count > 0)
        {
            return new InvalidRequestFields(errors);
        }

        var exists = request.SubjectType == HoldSubject.Customer
            ? await db.Set<Customer>().AnyAsync(c => c.Id == request.SubjectId, ct)
            : await db.Set<Case>().AnyAsync(c => c.Id == request.SubjectId, ct);
        if (!exists)
        {
            return new RetentionSubjectNotFound();
        }

        var hold = new RetentionHold
        {
            SubjectType = request.SubjectType!.Value, SubjectId = request.SubjectId!.Value, Kind = request.Kind!.Value, Reason = reason,
            PlacedById = user.StaffId, PlacedAt = time.GetUtcNow(),
        };
        db.Add(hold);
        await db.SaveChangesAsync(ct);
        return ToDto(hold, await ReferencesAsync([hold], ct));
    }

    public async Task<Outcome<RetentionHoldDto>> ReleaseAsync(long id, RetentionHoldRelease release, CancellationToken ct = default)
    {
        var reason = release.Reason?.Trim() ?? "";
        if (reason.Length == 0 || reason.Length > MaxReason)
        {
            return Problems.Invalid("reason", "Give a reason for the release (at most 1000 characters). 请填写解除理由（最多 1000 字）。");
        }

        var hold = await db.Set<RetentionHold>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (hold is null)
        {
            return new RetentionHoldNotFound();
        }

        if (hold.ReleasedAt is not null)
        {
            return new RetentionHoldAlreadyReleased();
        }

        if (release.Version is { } v && v != hold.Version)
        {
            return Problems.StaleVersion();
        }

        hold.ReleasedAt = time.GetUtcNow();
        hold.ReleasedById = user.StaffId;
        hold.ReleaseReason = reason;
        await db.SaveChangesAsync(ct);
        return ToDto(hold, await ReferencesAsync([hold], ct));
    }

    /// <summary>What holds each of <paramref name="customerIds"/> now: open holds on the customer, open complaints of theirs.</summary>
    public static async Task<ILookup<long, HoldReason>> CustomerHoldsAsync(StewardDbContext db, IReadOnlyCollection<long> customerIds, CancellationToken ct)
    {
        var placed = await db.Set<RetentionHold>().AsNoTracking()
            .Where(h => h.SubjectType == HoldSubject.Customer && customerIds.Contains(h.SubjectId) && h.ReleasedAt == null)
            .Select(h => new { h.SubjectId, h.Id, h.Kind, h.Reason }).ToListAsync(ct);
        var complaints = await (from c in db.Set<Complaint>().AsNoTracking()
                                join k in db.Set<Case>().AsNoTracking() on c.CaseId equals k.Id
                                where c.CustomerId != null && customerIds.Contains(c.CustomerId.Value) && c.ArchivedAt == null
                                select new { CustomerId = c.CustomerId!.Value, c.Id, k.Reference }).ToListAsync(ct);
        // The detail of a complaint hold is the case's reference (the complaint is read on its case's page).
        return placed.Select(h => (h.SubjectId, new HoldReason(h.Kind, h.Id, null, h.Reason)))
            .Concat(complaints.Select(c => (c.CustomerId, new HoldReason(HoldKind.Complaint, null, c.Id, c.Reference))))
            .ToLookup(x => x.Item1, x => x.Item2);
    }

    private async Task<Dictionary<(HoldSubject, long), string>> ReferencesAsync(IReadOnlyCollection<RetentionHold> holds, CancellationToken ct)
    {
        var customerIds = holds.Where(h => h.SubjectType == HoldSubject.Customer).Select(h => h.SubjectId).ToList();
        var caseIds = holds.Where(h => h.SubjectType == HoldSubject.Case).Select(h => h.SubjectId).ToList();
        var result = new Dictionary<(HoldSubject, long), string>();
        foreach (var c in await db.Set<Customer>().AsNoTracking().Where(c => customerIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToListAsync(ct))
        {
            result[(HoldSubject.Customer, c.Id)] = c.Reference;
        }

        foreach (var c in await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id)).Select(c => new { c.Id, c.Reference }).ToListAsync(ct))
        {
            result[(HoldSubject.Case, c.Id)] = c.Reference;
        }

        return result;
    }

    private static RetentionHoldDto ToDto(RetentionHold h, Dictionary<(HoldSubject, long), string> refs) =>
        new(h.Id, h.SubjectType, h.SubjectId, refs.GetValueOrDefault((h.SubjectType, h.SubjectId), "#" + h.SubjectId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            h.Kind, h.Reason, h.PlacedById, h.PlacedAt, h.ReleasedById, h.ReleasedAt, h.ReleaseReason, h.Version);
}

public sealed record InvalidRequestFields(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "The request has errors 请求有误", "Correct the marked fields. 请更正标出的字段。", Errors);
