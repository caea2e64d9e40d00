using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>
/// Reading cases: one case (by id or reference), the lists of the workbench and the API (filters, full-text search, sort,
/// cursor pages, capped counts), and the full contact details of a case (recorded before they are shown).
/// Everything is within the caller's scope (<see cref="CaseAccess.Visible"/>).
/// </summary>
public sealed class CaseQueries(
    StewardDbContext db,
    CurrentUser user,
    TimeProvider time,
    IOptions<CaseOptions> options,
    PersonalDataProtector protector,
    CaseSearchIndex search,
    CaseAccess access,
    CaseDetails details)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>One case with its timeline, messages, attachments, links and the caller's allowed actions; 404 outside scope.</summary>
    public async Task<Outcome<CaseDetail>> GetAsync(long id, CancellationToken ct = default)
    {
        var found = await access.ReadAsync(x => x.Id == id, ct);
        return found.Succeeded ? await details.DetailAsync(found.Value.Case, found.Value.Viewer, ct) : found.Error;
    }

    public async Task<Outcome<CaseDetail>> GetByReferenceAsync(string reference, CancellationToken ct = default)
    {
        var normalized = (reference ?? "").Trim().ToUpperInvariant();
        var found = await access.ReadAsync(x => x.Reference == normalized, ct);
        return found.Succeeded ? await details.DetailAsync(found.Value.Case, found.Value.Viewer, ct) : found.Error;
    }

    /// <summary>A page of the cases the caller may see, filtered, searched and sorted; the cursor is opaque.</summary>
    public async Task<Outcome<CasePage>> ListAsync(CaseListQuery query, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        var limit = Math.Clamp(query.Limit ?? DefaultPageSize, 1, MaxPageSize);
        // A search without an explicit sort lists the newest matches first (docs/decisions/0013): most matches of a
        // search are closed history without a deadline, which "due" would list oldest first.
        var newest = string.Equals(query.Sort, "newest", StringComparison.OrdinalIgnoreCase)
            || (string.IsNullOrEmpty(query.Sort) && !string.IsNullOrWhiteSpace(query.Q));
        if (query.Sort is { Length: > 0 } sort && !newest && !string.Equals(sort, "due", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("sort", "Sort by 'due' or 'newest'. 排序方式为 due 或 newest。");
        }

        var source = db.Set<Case>().AsQueryable();
        (DateTimeOffset? Due, long Id)? position = null;
        if (query.Cursor is { Length: > 0 } cursor)
        {
            position = CaseCursor.Decode(cursor, newest);
            if (position is not { } after)
            {
                return Problems.Invalid("cursor", "Use the nextCursor of the previous page with the same sort. 请使用同一排序下上一页返回的 nextCursor。");
            }

            source = newest ? source.Where(c => c.Id < after.Id) : AfterByDue(after.Due, after.Id);
        }

        List<ListRow> rows;
        if (newest && !string.IsNullOrWhiteSpace(query.Q))
        {
            var found = await NewestMatchesAsync(v, query, source, position?.Id, limit + 1, ct);
            if (!found.Succeeded)
            {
                return found.Error;
            }

            rows = found.Value;
        }
        else
        {
            var filtered = Filter(v, query, source);
            if (!filtered.Succeeded)
            {
                return filtered.Error;
            }

            rows = await RowsAsync(filtered.Value, newest, limit + 1, ct);
        }

        var reveal = user.Can(Permission.PersonalDataReveal);
        var page = rows.Take(limit).Select(r => CaseDetails.ToSummary(r.Case) with
        {
            CustomerName = (r.Customer ?? r.Case.ContactName) is { } name ? CaseDisplay.Name(name, reveal) : null,
            TeamName = r.TeamName,
            TeamNameEn = r.TeamNameEn,
            AssigneeName = r.Assignee,
            BranchTimeZone = r.Zone,
        }).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = rows[limit - 1].Case;
            next = CaseCursor.Encode(newest, last.DueAt, last.Id);
        }

        return new CasePage(page, next);
    }

    /// <summary>
    /// How many cases the caller may see match the filters (cursor, sort and limit ignored), counted up to
    /// <see cref="Caseoptions.Value.CountCap"/>: a count reads at most that many index entries, however long the history
    /// (a team's closed cases grow without end). Above the cap the answer is the cap with <c>Capped</c> set.
    /// </summary>
    public async Task<Outcome<CaseCount>> CountAsync(CaseListQuery query, CancellationToken ct = default)
    {
        var v = await access.ViewerAsync(ct);
        var filtered = Filter(v, query);
        if (!filtered.Succeeded)
        {
            return filtered.Error;
        }

        var cap = options.Value.CountCap;
        var counted = await filtered.Value.Take(cap + 1).CountAsync(ct);
        return counted > cap ? new CaseCount(cap, Capped: true) : new CaseCount(counted);
    }

    private sealed record ListRow(Case Case, string? Customer, string? TeamName, string? TeamNameEn, string? Assignee, string? Zone);

    /// <summary>The first <paramref name="take"/> of <paramref name="cases"/> in the list's order, with the names a list row shows.</summary>
    private Task<List<ListRow>> RowsAsync(IQueryable<Case> cases, bool newest, int take, CancellationToken ct)
    {
        cases = newest
            ? cases.OrderByDescending(c => c.Id)
            : cases.OrderBy(c => c.DueAt == null ? 1 : 0).ThenBy(c => c.DueAt).ThenBy(c => c.Id);
        return cases.AsNoTracking().Take(take)
            .Select(c => new ListRow(
                c,
                db.Set<Customer>().Where(x => x.Id == c.CustomerId).Select(x => x.Name).FirstOrDefault(),
                db.Set<Team>().Where(t => t.Id == c.TeamId).Select(t => t.Name).FirstOrDefault(),
                db.Set<Team>().Where(t => t.Id == c.TeamId).Select(t => t.NameEn).FirstOrDefault(),
                db.Set<Staff>().Where(s => s.Id == c.AssigneeId).Select(s => s.DisplayName).FirstOrDefault(),
                db.Set<Branch>().Where(b => b.Id == c.BranchId).Select(b => b.TimeZone).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>Each id window of a newest-first search is this many times wider than the one before (the first is <see cref="Caseoptions.Value.SearchWindow"/>).</summary>
    private const long SearchWindowGrowth = 8;

    /// <summary>
    /// A newest-first search page, read in windows of ids from the newest case backwards (by default the newest 20 000
    /// ids, then the 160 000 before them, …) until <paramref name="take"/> matches are found or the oldest case is passed. Each
    /// window bounds both sides of the match: the cases walked by id and the full-text rows (<see cref="CaseSearchIndex.Matching"/>
    /// with the same id range), so the database either walks at most the window's cases or fetches only the window's
    /// matches from the full-text index. A common word fills the page in the first window; a rare word costs a few windows
    /// whose work is bounded by their matches, instead of probing cases one by one through the whole history.
    /// </summary>
    private async Task<Outcome<List<ListRow>>> NewestMatchesAsync(CaseViewer v, CaseListQuery query, IQueryable<Case> source, long? beforeId, int take,
        CancellationToken ct)
    {
        var upper = beforeId is { } before ? before - 1 : await db.Set<Case>().MaxAsync(c => (long?)c.Id, ct) ?? 0;
        var rows = new List<ListRow>();
        for (var window = options.Value.SearchWindow; rows.Count < take && upper > 0; window *= SearchWindowGrowth)
        {
            var range = (Above: Math.Max(upper - window, 0), AtMost: upper);
            var filtered = Filter(v, query, source, range);
            if (!filtered.Succeeded)
            {
                return new Outcome<List<ListRow>>(null, filtered.Error);
            }

            rows.AddRange(await RowsAsync(filtered.Value, newest: true, take - rows.Count, ct));
            upper = range.Above;
        }

        return new Outcome<List<ListRow>>(rows, null);
    }

    /// <summary>
    /// The cases after (<paramref name="due"/>, <paramref name="id"/>) in the list order "deadline, cases without one
    /// last, then id", i.e. the key <c>(CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at, id)</c> of the <c>*_due</c>
    /// indexes (migration 0007). Written as one row-value comparison (or, among the cases without a deadline, equality
    /// on the first two parts and a range on id) so that the index scan starts where the previous page ended instead of
    /// reading and discarding every earlier page. EF Core cannot write row values, hence SQL; the rest of the query
    /// (scope, filters, order, limit) is composed on it, and both databases flatten the subquery.
    /// </summary>
    private IQueryable<Case> AfterByDue(DateTimeOffset? due, long id)
    {
        if (due is null)
        {
            return db.Set<Case>().FromSql($"SELECT * FROM cases WHERE (CASE WHEN due_at IS NULL THEN 1 ELSE 0 END) = 1 AND due_at IS NULL AND id > {id}");
        }

        // SQLite stores instants as UTC ticks (StewardDbContext's converter); PostgreSQL as timestamptz.
        object at = db.IsPostgres ? due.Value.ToUniversalTime() : due.Value.UtcTicks;
        return db.Set<Case>().FromSql($"SELECT * FROM cases WHERE ((CASE WHEN due_at IS NULL THEN 1 ELSE 0 END), due_at, id) > (0, {at}, {id})");
    }

    /// <summary>The visible cases matching the filters; with <paramref name="ids"/> only ids in (Above, AtMost].</summary>
    private Outcome<IQueryable<Case>> Filter(CaseViewer v, CaseListQuery q, IQueryable<Case>? source = null, (long Above, long AtMost)? ids = null)
    {
        var cases = access.Visible(v, source);
        if (ids is var (above, atMost))
        {
            cases = cases.Where(c => c.Id > above && c.Id <= atMost);
        }

        if (q.Status is { } status)
        {
            cases = cases.Where(c => c.Status == status);
        }

        if (q.Open == true)
        {
            cases = cases.Where(c => c.Status == CaseStatus.Submitted || c.Status == CaseStatus.UnderReview || c.Status == CaseStatus.InProgress);
        }

        if (q.Kind is { } kind)
        {
            cases = cases.Where(c => c.Kind == kind);
        }

        if (q.Channel is { } channel)
        {
            cases = cases.Where(c => c.Channel == channel);
        }

        if (q.BranchId is { } branch)
        {
            cases = cases.Where(c => c.BranchId == branch);
        }

        if (q.Priority is { } priority)
        {
            cases = cases.Where(c => c.Priority == priority);
        }

        if (q.TeamId is { } team)
        {
            cases = cases.Where(c => c.TeamId == team);
        }

        switch (q.Assignee?.Trim().ToLowerInvariant())
        {
            case null or "":
                break;
            case "me":
                var me = v.StaffId ?? -1;
                cases = cases.Where(c => c.AssigneeId == me);
                break;
            case "none":
                cases = cases.Where(c => c.AssigneeId == null);
                break;
            case var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var staffId):
                cases = cases.Where(c => c.AssigneeId == staffId);
                break;
            default:
                return Problems.Invalid("assignee", "Use me, none or a staff id. 请使用 me、none 或员工编号。");
        }

        if (q.DueBefore is { } dueBefore)
        {
            var limit = dueBefore.ToUniversalTime();
            cases = cases.Where(c => c.DueAt != null && c.DueAt < limit);
        }

        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            var matching = search.Matching(q.Q, ids);
            cases = matching is null ? cases.Where(c => false) : cases.Where(c => matching.Contains(c.Id));
        }

        return Outcome(cases);

        static Outcome<IQueryable<Case>> Outcome(IQueryable<Case> value) => new(value, null);
    }

    /// <summary>
    /// The full name, phone and e-mail of the case's customer or contact (needs PersonalDataReveal;
    /// 404 outside scope). The showing is recorded first, in its own audited row, with
    /// <paramref name="purpose"/> naming where it is shown; no record, no data.
    /// </summary>
    public async Task<Outcome<CaseContactDetails>> ContactAsync(long id, string purpose, CancellationToken ct = default)
    {
        var found = await access.ReadAsync(x => x.Id == id, ct);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var (v, c) = found.Value;
        if (!user.Can(Permission.PersonalDataReveal))
        {
            return new PersonalDataForbidden();
        }

        string? name = c.ContactName, phone = null, email = null;
        if (c.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().SingleAsync(x => x.Id == customerId, ct);
            (name, phone, email) = (customer.Name, protector.Decrypt(customer.PhoneCipher), protector.Decrypt(customer.EmailCipher));
        }
        else
        {
            (phone, email) = (protector.Decrypt(c.ContactPhoneCipher), protector.Decrypt(c.ContactEmailCipher));
        }

        db.Add(PersonalDataAccess.Of(time.GetUtcNow(), v.StaffId, v.Name, nameof(Case), c.Id, c.BranchId, purpose));
        await db.SaveChangesAsync(ct);
        return new CaseContactDetails(c.Id, c.Reference, c.CustomerId, name, phone, email);
    }
}
