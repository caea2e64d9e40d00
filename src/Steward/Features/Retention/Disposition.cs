using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Customers.Documents;
using Steward.Features.Customers.Household;
using Steward.Platform.Audit;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Retention;

public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How often the job wakes; it runs one pass per UTC day (the day's lease in periodic_job_claims).</summary>
    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 60;
}

public sealed record DispositionReviewDto(long Id, RecordClass RecordClass, long RecordId, string RecordReference, long? BranchId, DateOnly DueOn,
    DateTimeOffset FoundAt, DispositionStatus Status, long? DecidedById, DateTimeOffset? DecidedAt, string? Reason, DateOnly? DeferredUntil,
    string? ContentDigest, string? Tombstone, int Version);

/// <summary>A record past retention that is not listed because a hold (or an open complaint) covers it.</summary>
public sealed record HeldRecordDto(RecordClass RecordClass, long RecordId, string RecordReference, DateOnly DueOn, IReadOnlyList<HoldReason> Holds);

public sealed record DispositionListDto(IReadOnlyList<DispositionReviewDto> Items, IReadOnlyList<HeldRecordDto> Held);

public sealed record DispositionDecision(string? Reason, int? Version);

public sealed record DispositionDeferral(string? Reason, DateOnly? Until, int? Version);

/// <summary>
/// Disposition (issue 18): the daily job lists records past retention and not held for compliance's review; compliance approves
/// (the record is anonymised per <see cref="DataClasses"/> or deleted, and a tombstone enters the audit chain) or defers with a
/// reason. Only customer files are found so far (relationship closed + the rule's period); the other record classes have rules
/// and no finder yet.
/// </summary>
public sealed class Disposition(StewardDbContext db, CurrentUser user, TimeProvider time, ILogger<Disposition> logger)
{
    public const string JobName = "retention-disposition";

    public const string MaskedName = "已匿名 Anonymised";

    /// <summary>The parts of a customer file besides the customer row, disposed of with it (by their customer id).</summary>
    private static readonly (Type Entity, string CustomerProperty)[] CustomerFileParts =
    [
        (typeof(CustomerIdentityDocument), nameof(CustomerIdentityDocument.CustomerId)),
        (typeof(CustomerDocumentScan), nameof(CustomerDocumentScan.CustomerId)),
        (typeof(HouseholdLink), nameof(HouseholdLink.CustomerId)),
    ];

    /// <summary>The last day a customer file is kept: the relationship's end plus the period (calendar months; a month end stays a month end).</summary>
    public static DateOnly DueOn(DateOnly relationshipEnded, int periodMonths) => relationshipEnded.AddMonths(periodMonths);

    /// <summary>The daily pass: once per UTC day across nodes (the day's lease); returns the number of records newly listed.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:retention-disposition"));
        if (!await PeriodicJobClaim.TryClaimDayAsync(db, JobName, today, now, ct))
        {
            return 0;
        }

        return await FindAsync(today, now, ct);
    }

    /// <summary>Lists customer files past retention on <paramref name="today"/> and not held; lists deferred ones again once their date came.</summary>
    public async Task<int> FindAsync(DateOnly today, DateTimeOffset now, CancellationToken ct = default)
    {
        var reopened = await db.Set<DispositionReview>().Where(r => r.Status == DispositionStatus.Deferred && r.DeferredUntil <= today).ToListAsync(ct);
        foreach (var r in reopened)
        {
            r.Status = DispositionStatus.Pending;
        }

        await db.SaveChangesAsync(ct);

        var rule = await db.Set<RetentionRule>().AsNoTracking().SingleOrDefaultAsync(r => r.RecordClass == RecordClass.CustomerFile, ct);
        if (rule is null || rule.Disposition == RetentionDisposition.Keep)
        {
            return 0;
        }

        var listed = 0;
        foreach (var c in await PastRetentionAsync(rule, today, ct))
        {
            if (c.Holds.Count > 0)
            {
                continue;
            }

            db.Add(new DispositionReview
            {
                RecordClass = RecordClass.CustomerFile, RecordId = c.RecordId, RecordReference = c.RecordReference, BranchId = c.BranchId, DueOn = c.DueOn,
                FoundAt = now, Status = DispositionStatus.Pending,
            });
            try
            {
                await db.SaveChangesAsync(ct);
                listed++;
            }
            catch (DbUpdateException e) when (ReviewPerRecord.IsViolatedBy(e))
            {
                // Another node listed it first.
                db.ChangeTracker.Clear();
            }
        }

        logger.LogInformation("Disposition: {Listed} customer files listed for review", listed);
        return listed;
    }

    private static readonly UniqueIndex ReviewPerRecord = new("disposition_reviews", "ix_disposition_reviews_record_class_record_id", "record_class", "record_id");

    private sealed record PastRetention(long RecordId, string RecordReference, long BranchId, DateOnly DueOn, IReadOnlyList<HoldReason> Holds);

    /// <summary>Customer files whose period ended before <paramref name="today"/> and that have no disposition review yet, with what holds each.</summary>
    private async Task<List<PastRetention>> PastRetentionAsync(RetentionRule rule, DateOnly today, CancellationToken ct)
    {
        // Prefilter in SQL (ended before today minus the period), then the exact rule: due day (end + period) before today.
        var cutoff = today.AddMonths(-rule.PeriodMonths).AddDays(1);
        var reviewed = db.Set<DispositionReview>().Where(r => r.RecordClass == RecordClass.CustomerFile).Select(r => r.RecordId);
        var rows = await db.Set<Customer>().AsNoTracking()
            .Where(c => c.RelationshipEndedOn != null && c.RelationshipEndedOn < cutoff && !reviewed.Contains(c.Id))
            .OrderBy(c => c.Id).Select(c => new { c.Id, c.Reference, c.HomeBranchId, Ended = c.RelationshipEndedOn!.Value }).Take(1000).ToListAsync(ct);
        rows = [.. rows.Where(r => DueOn(r.Ended, rule.PeriodMonths) < today)];
        var holds = await RetentionHolds.CustomerHoldsAsync(db, [.. rows.Select(r => r.Id)], ct);
        return [.. rows.Select(r => new PastRetention(r.Id, r.Reference, r.HomeBranchId, DueOn(r.Ended, rule.PeriodMonths), [.. holds[r.Id]]))];
    }

    public async Task<DispositionListDto> ListAsync(DispositionStatus? status, CancellationToken ct = default)
    {
        var items = await db.Set<DispositionReview>().AsNoTracking().Where(r => status == null || r.Status == status)
            .OrderBy(r => r.Status).ThenBy(r => r.DueOn).ThenBy(r => r.Id).Take(1000).ToListAsync(ct);
        var held = new List<HeldRecordDto>();
        var rule = await db.Set<RetentionRule>().AsNoTracking().SingleOrDefaultAsync(r => r.RecordClass == RecordClass.CustomerFile, ct);
        if (rule is not null && rule.Disposition != RetentionDisposition.Keep)
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            held = [.. (await PastRetentionAsync(rule, today, ct)).Where(p => p.Holds.Count > 0)
                .Select(p => new HeldRecordDto(RecordClass.CustomerFile, p.RecordId, p.RecordReference, p.DueOn, p.Holds))];
            // Listed records held since: shown with the held ones, not approvable.
            var pending = items.Where(i => i.Status == DispositionStatus.Pending && i.RecordClass == RecordClass.CustomerFile).ToList();
            var holdsOfPending = await RetentionHolds.CustomerHoldsAsync(db, [.. pending.Select(p => p.RecordId)], ct);
            held.AddRange(pending.Where(p => holdsOfPending[p.RecordId].Any()).Select(p => new HeldRecordDto(p.RecordClass, p.RecordId, p.RecordReference, p.DueOn, [.. holdsOfPending[p.RecordId]])));
        }

        return new DispositionListDto([.. items.Select(ToDto)], held);
    }

    /// <summary>
    /// Approves a pending review and disposes of the record in one transaction: the customer file's columns erased or masked as
    /// <see cref="DataClasses"/> declares (the row and its statistics stay), the tombstone written on the review (its audited
    /// change is the chain's entry). Refused when a hold or an open complaint covers the record by now.
    /// </summary>
    public async Task<Outcome<DispositionReviewDto>> ApproveAsync(long id, DispositionDecision decision, CancellationToken ct = default)
    {
        var note = decision.Reason?.Trim();
        if (note is { Length: > RetentionHolds.MaxReason })
        {
            return Problems.Invalid("reason", "At most 1000 characters. 最多 1000 字。");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var review = await db.Set<DispositionReview>().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
        {
            return new DispositionReviewNotFound();
        }

        if (decision.Version is { } v && v != review.Version)
        {
            return Problems.StaleVersion();
        }

        if (review.Status != DispositionStatus.Pending)
        {
            return new DispositionNotPending();
        }

        if ((await RetentionHolds.CustomerHoldsAsync(db, [review.RecordId], ct))[review.RecordId].Any())
        {
            return new DispositionHeld();
        }

        var salt = RandomNumberGenerator.GetBytes(16);
        var content = await CustomerFileContentAsync(review.RecordId, ct);
        var digest = ContentDigest(salt, content);
        await AnonymiseCustomerFileAsync(review.RecordId, ct);

        review.Status = DispositionStatus.Disposed;
        review.DecidedById = user.StaffId;
        review.DecidedAt = time.GetUtcNow();
        review.Reason = string.IsNullOrEmpty(note) ? null : note;
        review.Salt = Convert.ToHexStringLower(salt);
        review.ContentDigest = digest;
        review.Tombstone = Tombstone(review.RecordClass, review.RecordId, digest);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ToDto(review);
    }

    public async Task<Outcome<DispositionReviewDto>> DeferAsync(long id, DispositionDeferral deferral, CancellationToken ct = default)
    {
        var reason = deferral.Reason?.Trim() ?? "";
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var errors = new Dictionary<string, string[]>();
        if (reason.Length == 0 || reason.Length > RetentionHolds.MaxReason)
        {
            errors["reason"] = ["Give a reason for the deferral (at most 1000 characters). 请填写推迟理由（最多 1000 字）。"];
        }

        if (deferral.Until is not { } until || until <= today || until > today.AddYears(5))
        {
            errors["until"] = ["Give a day after today, within 5 years. 请填写今天之后、5 年以内的日期。"];
        }

        if (errors.Count > 0)
        {
            return new InvalidRequestFields(errors);
        }

        var review = await db.Set<DispositionReview>().SingleOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
        {
            return new DispositionReviewNotFound();
        }

        if (deferral.Version is { } v && v != review.Version)
        {
            return Problems.StaleVersion();
        }

        if (review.Status != DispositionStatus.Pending)
        {
            return new DispositionNotPending();
        }

        review.Status = DispositionStatus.Deferred;
        review.DecidedById = user.StaffId;
        review.DecidedAt = time.GetUtcNow();
        review.Reason = reason;
        review.DeferredUntil = deferral.Until;
        await db.SaveChangesAsync(ct);
        return ToDto(review);
    }

    /// <summary>SHA-256 (hex) of the salt followed by the UTF-8 of <paramref name="content"/>.</summary>
    public static string ContentDigest(byte[] salt, string content) =>
        Convert.ToHexStringLower(SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(content)]));

    /// <summary>SHA-256 (hex) of <c>{record class}|{id}|{content digest}</c>: what the audit chain holds of a disposed record.</summary>
    public static string Tombstone(RecordClass recordClass, long id, string contentDigest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{recordClass}|{id.ToString(CultureInfo.InvariantCulture)}|{contentDigest}")));

    /// <summary>The customer file as stored (every mapped column of the customer row and its parts, ciphertexts as they are) as canonical JSON.</summary>
    private async Task<string> CustomerFileContentAsync(long customerId, CancellationToken ct)
    {
        var parts = new SortedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["customers"] = Columns(db.Model.FindEntityType(typeof(Customer))!, await db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == customerId, ct)),
            ["customer_identity_documents"] = (await db.Set<CustomerIdentityDocument>().AsNoTracking().Where(d => d.CustomerId == customerId).OrderBy(d => d.Id).ToListAsync(ct))
                .Select(d => Columns(db.Model.FindEntityType(typeof(CustomerIdentityDocument))!, d)).ToList(),
            ["customer_document_scans"] = (await db.Set<CustomerDocumentScan>().AsNoTracking().Where(d => d.CustomerId == customerId).OrderBy(d => d.Id).ToListAsync(ct))
                .Select(d => Columns(db.Model.FindEntityType(typeof(CustomerDocumentScan))!, d)).ToList(),
            ["household_links"] = (await db.Set<HouseholdLink>().AsNoTracking().Where(d => d.CustomerId == customerId).OrderBy(d => d.Id).ToListAsync(ct))
                .Select(d => Columns(db.Model.FindEntityType(typeof(HouseholdLink))!, d)).ToList(),
        };
        return JsonSerializer.Serialize(parts);
    }

    private static SortedDictionary<string, object?> Columns(IEntityType type, object row) =>
        new(type.GetProperties().ToDictionary(p => p.GetColumnName(), p => p.PropertyInfo!.GetValue(row)), StringComparer.Ordinal);

    /// <summary>
    /// Applies the declared disposal of every column of the customer row and its parts with one UPDATE each (not through the
    /// change tracker: the audit entry of an ordinary save would copy the old names into the chain; the tombstone is the entry).
    /// </summary>
    private async Task AnonymiseCustomerFileAsync(long customerId, CancellationToken ct)
    {
        var customer = await db.Set<Customer>().AsNoTracking().SingleAsync(c => c.Id == customerId, ct);
        await UpdateAsync(typeof(Customer), "id", customerId, row: customer, ct);
        foreach (var (entity, property) in CustomerFileParts)
        {
            var column = db.Model.FindEntityType(entity)!.FindProperty(property)!.GetColumnName();
            await UpdateAsync(entity, column, customerId, row: null, ct);
        }

        await db.Database.ExecuteSqlRawAsync("UPDATE customers SET version = version + 1 WHERE id = {0}", [customerId], ct);
    }

    private async Task UpdateAsync(Type entity, string keyColumn, long key, object? row, CancellationToken ct)
    {
        var type = db.Model.FindEntityType(entity)!;
        var sets = new List<string>();
        var values = new List<object>();
        foreach (var p in type.GetProperties())
        {
            var declared = DataClasses.For(entity, p.Name) ?? throw new InvalidOperationException($"{type.GetTableName()}.{p.GetColumnName()} has no data class (DataClasses).");
            if (declared.Disposal == Disposal.Retain)
            {
                continue;
            }

            var column = p.GetColumnName();
            var masked = declared.Disposal == Disposal.Mask ? MaskOf(p, row) : null;
            if (masked is null && p.IsNullable)
            {
                sets.Add($"{column} = NULL");
            }
            else
            {
                sets.Add($"{column} = {{{values.Count.ToString(CultureInfo.InvariantCulture)}}}");
                values.Add(masked ?? (p.ClrType == typeof(string) ? "" : Activator.CreateInstance(p.ClrType)!));
            }
        }

        if (sets.Count == 0)
        {
            return;
        }

        values.Add(key);
        var sql = $"UPDATE {type.GetTableName()} SET {string.Join(", ", sets)} WHERE {keyColumn} = {{{(values.Count - 1).ToString(CultureInfo.InvariantCulture)}}}";
        await db.Database.ExecuteSqlRawAsync(sql, values, ct);
    }

    /// <summary>A value that identifies no one: names become <see cref="MaskedName"/>, a date 1 January of its year (ages stay countable).</summary>
    private static object? MaskOf(IProperty p, object? row)
    {
        var t = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
        if (t == typeof(string))
        {
            return row is null || p.PropertyInfo!.GetValue(row) is not null ? MaskedName : null;
        }

        if (t == typeof(DateOnly))
        {
            return row is not null && p.PropertyInfo!.GetValue(row) is DateOnly d ? new DateOnly(d.Year, 1, 1) : null;
        }

        return null;
    }

    private static DispositionReviewDto ToDto(DispositionReview r) =>
        new(r.Id, r.RecordClass, r.RecordId, r.RecordReference, r.BranchId, r.DueOn, r.FoundAt, r.Status, r.DecidedById, r.DecidedAt, r.Reason,
            r.DeferredUntil, r.ContentDigest, r.Tombstone, r.Version);
}
