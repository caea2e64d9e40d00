using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Api;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>Where an open complaint stands against its regulatory deadline (decision or final response).</summary>
public enum ComplaintDueBand
{
    /// <summary>Due more than <see cref="ComplaintListFilters.SoonDays"/> days from now.</summary>
    Within,

    /// <summary>Due within <see cref="ComplaintListFilters.SoonDays"/> days from now (not yet passed).</summary>
    Soon,

    /// <summary>The deadline has passed.</summary>
    Overdue,

    /// <summary>No regulatory deadline (a branch without a regime).</summary>
    None,
}

/// <summary>
/// The complaint list's filters as the query string gives them (every one optional, all given must hold). Days are local days
/// (yyyy-mm-dd) in each complaint's branch zone, the first and the last day both included. <c>open</c>: no outcome and not
/// archived; <c>due</c>: the band of <see cref="ComplaintDueBand"/> (with <c>open</c> implied); <c>upheld</c>: upheld or partly
/// upheld (true) or another outcome (false); <c>redress</c>: an approved money remedy; <c>repeat</c>: the case's customer has
/// more than one complaint among those of the same filters without <c>repeat</c>; <c>extension=pending</c>: an SLA extension of
/// the case awaits approval. The dashboard's figures count exactly these lists (<see cref="ComplaintDashboard"/>).
/// </summary>
public sealed record ComplaintListFilter
{
    public string? BranchId { get; init; }
    public string? ProductId { get; init; }
    public string? Regime { get; init; }
    public string? Open { get; init; }
    public string? Due { get; init; }
    public string? ReceivedFrom { get; init; }
    public string? ReceivedTo { get; init; }
    public string? DecidedFrom { get; init; }
    public string? DecidedTo { get; init; }
    public string? Upheld { get; init; }
    public string? Redress { get; init; }
    public string? Repeat { get; init; }
    public string? Extension { get; init; }

    /// <summary>The regime value for complaints without one (<c>regime=none</c>).</summary>
    public const string NoRegime = "none";

    public bool IsEmpty => this == new ComplaintListFilter();

    /// <summary>The filters as query-string pairs (the empty ones left out), for links to the list.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Query() => new Dictionary<string, string?>
    {
        ["branchId"] = BranchId, ["productId"] = ProductId, ["regime"] = Regime, ["open"] = Open, ["due"] = Due, ["receivedFrom"] = ReceivedFrom, ["receivedTo"] = ReceivedTo,
        ["decidedFrom"] = DecidedFrom, ["decidedTo"] = DecidedTo, ["upheld"] = Upheld, ["redress"] = Redress, ["repeat"] = Repeat, ["extension"] = Extension,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value));

    /// <summary>The link to the complaint list with these filters.</summary>
    public string ListLink() => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Complaints", Query());
}

/// <summary>A complaint with its case, for filters that read both.</summary>
public sealed class ComplaintRow
{
    public Complaint Complaint { get; init; } = null!;

    public Case Case { get; init; } = null!;
}

/// <summary>Checks a <see cref="ComplaintListFilter"/> (refusals at their fields) and applies it to complaints with their cases.</summary>
public sealed class ComplaintListFilters(StewardDbContext db, CaseService cases)
{
    /// <summary>"Due soon": the deadline falls within this many days from now.</summary>
    public const int SoonDays = 3;

    /// <summary>
    /// The complaints of the cases the reader may see, in the reader's branches (all of them with institution scope). With
    /// <paramref name="withCase"/> false the rows are for counting: the filters read only the complaint (its copied branch and
    /// customer), and a reader of every branch gets the complaints alone, without the join with the cases (<c>Case</c> is null).
    /// </summary>
    public async Task<IQueryable<ComplaintRow>> ScopedAsync(CancellationToken ct, bool withCase = true)
    {
        var viewer = await cases.ViewerAsync(ct);
        if (!withCase && viewer.AllBranches)
        {
            return db.Set<Complaint>().AsNoTracking().Select(x => new ComplaintRow { Complaint = x, Case = null! });
        }

        var visible = cases.Visible(viewer).AsNoTracking();
        if (!viewer.AllBranches)
        {
            var mine = viewer.BranchIds.ToList();
            visible = visible.Where(c => mine.Contains(c.BranchId));
        }

        return from x in db.Set<Complaint>().AsNoTracking()
               join c in visible on x.CaseId equals c.Id
               select new ComplaintRow { Complaint = x, Case = c };
    }

    /// <summary>
    /// <paramref name="rows"/> narrowed by <paramref name="f"/> at <paramref name="now"/>; refused (<see cref="ComplaintInvalid"/>) at the field
    /// of a malformed value.
    /// </summary>
    public async Task<Outcome<IQueryable<ComplaintRow>>> ApplyAsync(IQueryable<ComplaintRow> rows, ComplaintListFilter f, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var branchId = Id(errors, "branchId", f.BranchId);
        var productId = Id(errors, "productId", f.ProductId);
        var open = Flag(errors, "open", f.Open);
        var upheld = Flag(errors, "upheld", f.Upheld);
        var redress = Flag(errors, "redress", f.Redress);
        var repeat = Flag(errors, "repeat", f.Repeat);
        ComplaintDueBand? due = null;
        if (!string.IsNullOrEmpty(f.Due))
        {
            if (Enum.TryParse<ComplaintDueBand>(f.Due, ignoreCase: true, out var band) && f.Due.All(char.IsAsciiLetter))
            {
                due = band;
            }
            else
            {
                errors["due"] = ["Choose within, soon, overdue or none. 请选择 within、soon、overdue 或 none。"];
            }
        }

        if (!string.IsNullOrEmpty(f.Extension) && f.Extension != "pending")
        {
            errors["extension"] = ["Only extension=pending is known. 仅支持 extension=pending。"];
        }

        var receivedFrom = Day(errors, "receivedFrom", f.ReceivedFrom);
        var receivedTo = Day(errors, "receivedTo", f.ReceivedTo);
        var decidedFrom = Day(errors, "decidedFrom", f.DecidedFrom);
        var decidedTo = Day(errors, "decidedTo", f.DecidedTo);
        Order(errors, "receivedTo", receivedFrom, receivedTo);
        Order(errors, "decidedTo", decidedFrom, decidedTo);
        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        if (branchId is { } b)
        {
            rows = rows.Where(r => r.Complaint.BranchId == b);
        }

        if (productId is { } p)
        {
            rows = rows.Where(r => r.Complaint.ProductId == p);
        }

        if (f.Regime is { Length: > 0 } regime)
        {
            rows = regime == ComplaintListFilter.NoRegime ? rows.Where(r => r.Complaint.Regime == null) : rows.Where(r => r.Complaint.Regime == regime);
        }

        if (open is { } isOpen || due is not null)
        {
            var wanted = open ?? true;
            rows = wanted ? rows.Where(r => r.Complaint.Outcome == null && r.Complaint.ArchivedAt == null) : rows.Where(r => r.Complaint.Outcome != null || r.Complaint.ArchivedAt != null);
        }

        var soon = now.AddDays(SoonDays);
        rows = due switch
        {
            ComplaintDueBand.Overdue => rows.Where(r => r.Complaint.RegulatoryDueAt < now),
            ComplaintDueBand.Soon => rows.Where(r => r.Complaint.RegulatoryDueAt >= now && r.Complaint.RegulatoryDueAt <= soon),
            ComplaintDueBand.Within => rows.Where(r => r.Complaint.RegulatoryDueAt > soon),
            ComplaintDueBand.None => rows.Where(r => r.Complaint.RegulatoryDueAt == null),
            null => rows,
        };

        var zones = receivedFrom is not null || receivedTo is not null || decidedFrom is not null || decidedTo is not null ? await ZonesAsync(ct) : [];
        rows = rows.Where(Within(zones, nameof(Complaint.ReceivedAt), receivedFrom, receivedTo))
            .Where(Within(zones, nameof(Complaint.OutcomeAt), decidedFrom, decidedTo));
        if (decidedFrom is not null || decidedTo is not null)
        {
            rows = rows.Where(r => r.Complaint.Outcome != null);
        }

        if (upheld is { } u)
        {
            rows = u ? rows.Where(r => r.Complaint.Outcome == ComplaintOutcome.Upheld || r.Complaint.Outcome == ComplaintOutcome.PartlyUpheld)
                : rows.Where(r => r.Complaint.Outcome != null && r.Complaint.Outcome != ComplaintOutcome.Upheld && r.Complaint.Outcome != ComplaintOutcome.PartlyUpheld);
        }

        if (redress is { } paid)
        {
            var money = db.Set<ComplaintRemedy>().Where(m => m.Status == RemedyStatus.Approved && m.Amount > 0
                && (m.Kind == RemedyKind.FeeRefund || m.Kind == RemedyKind.Compensation || m.Kind == RemedyKind.Goodwill || m.Kind == RemedyKind.Interest));
            rows = rows.Where(r => money.Any(m => m.ComplaintId == r.Complaint.Id) == paid);
        }

        if (f.Extension == "pending")
        {
            var pending = db.Set<SlaExtension>().Where(e => e.Status == SlaExtensionStatus.Pending);
            rows = rows.Where(r => pending.Any(e => e.CaseId == r.Complaint.CaseId));
        }

        if (repeat is { } again)
        {
            // The same filters without "repeat": a customer is a repeat complainant with more than one complaint among them.
            // One grouped sub-query (customer_id IN (… GROUP BY … HAVING count(*) > 1)), not a count per row.
            var repeaters = rows.Where(o => o.Complaint.CustomerId != null).GroupBy(o => o.Complaint.CustomerId).Where(g => g.Count() > 1).Select(g => g.Key);
            rows = again ? rows.Where(r => r.Complaint.CustomerId != null && repeaters.Contains(r.Complaint.CustomerId))
                : rows.Where(r => r.Complaint.CustomerId == null || !repeaters.Contains(r.Complaint.CustomerId));
        }

        return new Outcome<IQueryable<ComplaintRow>>(rows, null);
    }

    /// <summary>The branches by time zone: a local day is a different UTC interval in each.</summary>
    private async Task<List<(long[] BranchIds, DateTimeZone Zone)>> ZonesAsync(CancellationToken ct) =>
        [.. (await db.Set<Branch>().AsNoTracking().Select(b => new { b.Id, b.TimeZone }).ToListAsync(ct))
            .GroupBy(b => b.TimeZone, StringComparer.Ordinal)
            .Select(g => (g.Select(b => b.Id).ToArray(), DateTimeZoneProviders.Tzdb.GetZoneOrNull(g.Key) ?? DateTimeZone.Utc))];

    /// <summary>
    /// The complaint's instant <paramref name="member"/> on or after the start of <paramref name="from"/> and before the start of the day
    /// after <paramref name="to"/>, both in the complaint's branch zone: one OR-branch per zone (most institutions have one).
    /// </summary>
    private static Expression<Func<ComplaintRow, bool>> Within(List<(long[] BranchIds, DateTimeZone Zone)> zones, string member, DateOnly? from, DateOnly? to)
    {
        var row = Expression.Parameter(typeof(ComplaintRow), "r");
        if (from is null && to is null)
        {
            return Expression.Lambda<Func<ComplaintRow, bool>>(Expression.Constant(true), row);
        }

        var at = Expression.Property(Expression.Property(row, nameof(ComplaintRow.Complaint)), member);
        var branch = Expression.Property(Expression.Property(row, nameof(ComplaintRow.Complaint)), nameof(Complaint.BranchId));
        var contains = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2).MakeGenericMethod(typeof(long));
        Expression body = Expression.Constant(false);
        foreach (var (ids, zone) in zones)
        {
            // One zone holds every branch (ZonesAsync lists them all): no branch test, so the range alone can use the index.
            Expression test = zones.Count == 1 ? Expression.Constant(true) : Expression.Call(contains, Expression.Constant(ids), branch);
            if (from is { } f)
            {
                test = Expression.AndAlso(test, Expression.GreaterThanOrEqual(at, Expression.Constant(Start(zone, f), at.Type)));
            }

            if (to is { } t)
            {
                test = Expression.AndAlso(test, Expression.LessThan(at, Expression.Constant(Start(zone, t.AddDays(1)), at.Type)));
            }

            body = Expression.OrElse(body, test);
        }

        return Expression.Lambda<Func<ComplaintRow, bool>>(body, row);
    }

    /// <summary>The instant a local day starts in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Start(DateTimeZone zone, DateOnly day) =>
        zone.AtStartOfDay(new LocalDate(day.Year, day.Month, day.Day)).ToInstant().ToDateTimeOffset();

    private static long? Id(Dictionary<string, string[]> errors, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }

        errors[field] = ["A whole number (an id). 请填写编号（整数）。"];
        return null;
    }

    private static bool? Flag(Dictionary<string, string[]> errors, string field, string? text)
    {
        switch (text)
        {
            case null or "":
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors[field] = ["true or false. 请填写 true 或 false。"];
                return null;
        }
    }

    private static DateOnly? Day(Dictionary<string, string[]> errors, string field, string? text) => BusinessDates.ParseDay(text, field, errors);

    private static void Order(Dictionary<string, string[]> errors, string field, DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && f > t && !errors.ContainsKey(field))
        {
            errors[field] = ["The last day cannot be before the first. 截止日不能早于起始日。"];
        }
    }
}
