using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Platform.Api;
using Steward.Features.Cases;
using Steward.Features.Complaints.Returns;
using Steward.Features.Customers;
using Steward.Features.Holdings;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The compliance dashboard (issue 13): where the open complaints stand against each regime's deadline now, and the figures of a
/// period (local days in each complaint's branch zone; by default the last 90 days). Every figure is the count of one filtered
/// complaint list (<see cref="ComplaintListFilters"/>) and carries the link to it, so a drill-down shows exactly the complaints
/// counted. Period figures: <em>received</em> in the period (received, repeat complainants, per 10,000 customers) or
/// <em>decided</em> in it (decided, upheld — partly upheld counts as upheld, as in the FCA return —, redress paid: approved money
/// remedies, average time to decision), the same rule as the returns (decision 0036). Readers: compliance (every branch) and
/// branch managers (their own branches), <see cref="Permission.ComplaintReturnsRead"/>; a complaint counts only when its case is
/// visible to the reader and lies in the reader's branches (decision 0040).
/// </summary>
public sealed class ComplaintDashboard(StewardDbContext db, CurrentUser user, ComplaintListFilters filters, TimeProvider time)
{
    /// <summary>The default period: this many local days up to today.</summary>
    public const int DefaultDays = 90;

    public async Task<Outcome<ComplaintDashboardDto>> ReadAsync(ComplaintDashboardQuery q, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ComplaintReturnsRead))
        {
            return new ComplaintActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        long? branchId = null;
        if (!string.IsNullOrEmpty(q.BranchId))
        {
            if (long.TryParse(q.BranchId, NumberStyles.None, CultureInfo.InvariantCulture, out var b) && await db.Set<Branch>().AnyAsync(x => x.Id == b, ct))
            {
                branchId = b;
            }
            else
            {
                errors["branchId"] = ["Choose a branch from the list. 请从列表中选择机构。"];
            }
        }

        var from = BusinessDates.ParseDay(q.From, "from", errors);
        var to = BusinessDates.ParseDay(q.To, "to", errors);
        if (from is { } f0 && to is { } t0)
        {
            if (f0 > t0)
            {
                errors["to"] = ["The last day cannot be before the first. 截止日不能早于起始日。"];
            }
            else if (t0.DayNumber - f0.DayNumber + 1 > ComplaintReturns.MaxDays)
            {
                errors["to"] = [FormattableString.Invariant($"A period covers at most {ComplaintReturns.MaxDays} days. 期间最长 {ComplaintReturns.MaxDays} 天。")];
            }
        }

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        if (branchId is { } own && !user.CanSeeBranch(own))
        {
            return new ComplaintActionForbidden();
        }

        var now = time.GetUtcNow();
        var mine = user.BranchIds.ToList();
        var all = user.HasInstitutionScope;
        var branches = await db.Set<Branch>().AsNoTracking().Where(b => branchId != null ? b.Id == branchId : all || mine.Contains(b.Id)).OrderBy(b => b.Code).ToListAsync(ct);
        if (from is null || to is null)
        {
            // The last DefaultDays local days to today, in the zone of the chosen (else the reader's first) branch.
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(branches.FirstOrDefault()?.TimeZone ?? "UTC") ?? DateTimeZone.Utc;
            var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
            var last = new DateOnly(today.Year, today.Month, today.Day);
            (from, to) = (from ?? (to ?? last).AddDays(1 - DefaultDays), to ?? last);
        }

        var period = (From: Day(from.Value), To: Day(to.Value));
        var scope = new ComplaintListFilter { BranchId = branchId?.ToString(CultureInfo.InvariantCulture) };
        var received = scope with { ReceivedFrom = period.From, ReceivedTo = period.To };
        var decided = scope with { DecidedFrom = period.From, DecidedTo = period.To };
        var rows = await filters.ScopedAsync(ct, withCase: false);

        async Task<IQueryable<ComplaintRow>> Filtered(ComplaintListFilter filter) => (await filters.ApplyAsync(rows, filter, now, ct)).Value!;

        async Task<DashboardFigure> Figure(ComplaintListFilter filter) => new(await (await Filtered(filter)).CountAsync(ct), filter.ListLink());

        // Open complaints by regime and deadline band: one grouped query, each cell the count of its filtered list.
        var soon = now.AddDays(ComplaintListFilters.SoonDays);
        var open = await (await Filtered(scope with { Open = "true" }))
            .GroupBy(r => new
            {
                r.Complaint.Regime,
                Band = r.Complaint.RegulatoryDueAt == null ? ComplaintDueBand.None : r.Complaint.RegulatoryDueAt < now ? ComplaintDueBand.Overdue
                    : r.Complaint.RegulatoryDueAt <= soon ? ComplaintDueBand.Soon : ComplaintDueBand.Within,
            })
            .Select(g => new { g.Key.Regime, g.Key.Band, Count = g.Count() }).ToListAsync(ct);
        DashboardFigure Cell(string? regime, ComplaintDueBand band) => new(open.Where(o => o.Regime == regime && o.Band == band).Sum(o => o.Count),
            (scope with { Open = "true", Regime = regime ?? ComplaintListFilter.NoRegime, Due = band.ToString().ToLowerInvariant() }).ListLink());
        var regimes = open.Select(o => o.Regime).Distinct().OrderBy(r => r is null).ThenBy(r => r, StringComparer.Ordinal).ToList();
        var openRows = regimes.Select(r => new DashboardOpenRow(r, Cell(r, ComplaintDueBand.Within), Cell(r, ComplaintDueBand.Soon), Cell(r, ComplaintDueBand.Overdue),
            Cell(r, ComplaintDueBand.None))).ToList();
        var overdue = new DashboardFigure(openRows.Sum(r => r.Overdue.Count), (scope with { Open = "true", Due = "overdue" }).ListLink());

        var receivedRows = await Filtered(received);
        // Repeat complainants: the received complaints per customer, those with more than one (what repeat=true lists), in one grouped query.
        var repeats = await receivedRows.Where(r => r.Complaint.CustomerId != null).GroupBy(r => r.Complaint.CustomerId).Select(g => g.Count()).Where(n => n > 1).ToListAsync(ct);

        // Per 10,000 customers: a branch's customers are those of its home branch; a product's, its holders among the scope's customers.
        var branchIds = branches.Select(b => b.Id).ToList();
        var byBranch = await receivedRows.GroupBy(r => r.Complaint.BranchId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var customersByBranch = await db.Set<Customer>().AsNoTracking().Where(c => branchIds.Contains(c.HomeBranchId)).GroupBy(c => c.HomeBranchId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var branchRows = branches.Select(b => Rate(b.Id, b.Code, Chinese ? Either(b.Name, b.NameEn) : Either(b.NameEn, b.Name), byBranch.GetValueOrDefault(b.Id),
            customersByBranch.GetValueOrDefault(b.Id), (received with { BranchId = b.Id.ToString(CultureInfo.InvariantCulture) }).ListLink())).ToList();

        var byProduct = await receivedRows.Where(r => r.Complaint.ProductId != null).GroupBy(r => r.Complaint.ProductId!.Value)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var productIds = byProduct.Keys.ToList();
        var holders = await (from h in db.Set<Holding>().AsNoTracking()
                             join c in db.Set<Customer>() on h.CustomerId equals c.Id
                             where productIds.Contains(h.ProductId) && branchIds.Contains(c.HomeBranchId)
                             group h.CustomerId by h.ProductId into g
                             select new { g.Key, Count = g.Distinct().Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToListAsync(ct);
        var productRows = products.OrderByDescending(p => byProduct[p.Id]).ThenBy(p => p.Code, StringComparer.Ordinal)
            .Select(p => Rate(p.Id, p.Code, Chinese ? Either(p.Name, p.NameEn) : Either(p.NameEn, p.Name), byProduct[p.Id], holders.GetValueOrDefault(p.Id),
                (received with { ProductId = p.Id.ToString(CultureInfo.InvariantCulture) }).ListLink())).ToList();

        // Decisions by outcome in one grouped query: decided is their sum, upheld (what upheld=true lists) Upheld and PartlyUpheld.
        var decidedRows = await Filtered(decided);
        var outcomes = await decidedRows.GroupBy(r => r.Complaint.Outcome).Select(g => new { Outcome = g.Key, Count = g.Count() }).ToListAsync(ct);
        var decidedFigure = new DashboardFigure(outcomes.Sum(o => o.Count), decided.ListLink());
        var upheld = new DashboardFigure(outcomes.Where(o => o.Outcome is ComplaintOutcome.Upheld or ComplaintOutcome.PartlyUpheld).Sum(o => o.Count),
            (decided with { Upheld = "true" }).ListLink());
        // The approved money remedies of the decisions: their sums, and the complaints they belong to (what redress=true lists).
        var amounts = await (from m in db.Set<ComplaintRemedy>().AsNoTracking()
                             join r in decidedRows on m.ComplaintId equals r.Complaint.Id
                             where m.Status == RemedyStatus.Approved && m.Amount > 0
                                 && (m.Kind == RemedyKind.FeeRefund || m.Kind == RemedyKind.Compensation || m.Kind == RemedyKind.Goodwill || m.Kind == RemedyKind.Interest)
                             select new { m.ComplaintId, m.Currency, Amount = m.Amount!.Value }).ToListAsync(ct);
        var redressed = new DashboardFigure(amounts.Select(a => a.ComplaintId).Distinct().Count(), (decided with { Redress = "true" }).ListLink());
        var paid = amounts.GroupBy(a => a.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ComplaintReturnMoney(g.Key, g.Sum(a => a.Amount))).ToList();

        return new ComplaintDashboardDto(
            from.Value, to.Value, branchId, now, openRows, overdue, await Figure(scope with { Extension = "pending" }),
            new DashboardFigure(byBranch.Values.Sum(), received.ListLink()),
            new DashboardRepeat(repeats.Count, new DashboardFigure(repeats.Sum(), (received with { Repeat = "true" }).ListLink())),
            branchRows, productRows, decidedFigure, upheld,
            decidedFigure.Count == 0 ? null : Math.Round(100m * upheld.Count / decidedFigure.Count, 1, MidpointRounding.AwayFromZero),
            redressed, paid, await AverageDaysAsync(decidedRows, ct));
    }

    /// <summary>Mean days from receipt to outcome, one decimal (null without decisions).</summary>
    private async Task<decimal?> AverageDaysAsync(IQueryable<ComplaintRow> decided, CancellationToken ct)
    {
        double? mean;
        if (db.Database.IsNpgsql())
        {
            mean = await decided.Select(r => (double?)(r.Complaint.OutcomeAt!.Value - r.Complaint.ReceivedAt).TotalDays).AverageAsync(ct);
        }
        else
        {
            // SQLite has no interval arithmetic on DateTimeOffset: the pairs are read and averaged here.
            var pairs = await decided.Select(r => new { r.Complaint.ReceivedAt, OutcomeAt = r.Complaint.OutcomeAt!.Value }).ToListAsync(ct);
            mean = pairs.Count == 0 ? null : pairs.Average(p => (p.OutcomeAt - p.ReceivedAt).TotalDays);
        }

        return mean is { } m ? Math.Round((decimal)m, 1, MidpointRounding.AwayFromZero) : null;
    }

    private static DashboardRate Rate(long id, string code, string name, int complaints, int customers, string link) =>
        new(id, code, name, new DashboardFigure(complaints, link), customers,
            customers == 0 ? null : Math.Round(10_000m * complaints / customers, 1, MidpointRounding.AwayFromZero));

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    private static string Either(string first, string second) => string.IsNullOrEmpty(first) ? second : first;
}

/// <summary>The dashboard's query: the period's first and last local day (yyyy-mm-dd; default the last 90 days) and an optional branch.</summary>
public sealed record ComplaintDashboardQuery(string? From = null, string? To = null, string? BranchId = null);

/// <summary>A figure and the complaint list that shows exactly the complaints it counts.</summary>
public sealed record DashboardFigure(int Count, string Link);

/// <summary>Open complaints of one regime (null: none) by where they stand against its deadline now.</summary>
public sealed record DashboardOpenRow(string? Regime, DashboardFigure Within, DashboardFigure Soon, DashboardFigure Overdue, DashboardFigure NoDeadline);

/// <summary>Customers with more than one complaint received in the period, and those complaints.</summary>
public sealed record DashboardRepeat(int Customers, DashboardFigure Complaints);

/// <summary>Complaints received in the period by a branch or a product, against its customers (null per 10,000 without customers).</summary>
public sealed record DashboardRate(long Id, string Code, string Name, DashboardFigure Complaints, int Customers, decimal? PerTenThousand);

/// <summary>The compliance dashboard (see <see cref="ComplaintDashboard"/>); percentages and days with one decimal.</summary>
public sealed record ComplaintDashboardDto(
    DateOnly From, DateOnly To, long? BranchId, DateTimeOffset At, IReadOnlyList<DashboardOpenRow> Open, DashboardFigure Overdue, DashboardFigure ExtensionsPending,
    DashboardFigure Received, DashboardRepeat Repeat, IReadOnlyList<DashboardRate> ByBranch, IReadOnlyList<DashboardRate> ByProduct,
    DashboardFigure Decided, DashboardFigure Upheld, decimal? UpheldPercent, DashboardFigure Redressed, IReadOnlyList<ComplaintReturnMoney> RedressPaid,
    decimal? AverageDaysToDecision);
