using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints.Returns;

/// <summary>
/// The regulatory complaint returns of a period, each from the same complaint records and the same period rule: a complaint is
/// <em>received</em> in the period when the local day of its receipt (in its case's branch zone) lies in [from, to], and
/// <em>decided</em> (closed) in it when the local day of its outcome does. Received figures count the first, decided figures the
/// second (decision 0036). A reader sees the returns of their own branches (a branch manager), or of every branch (compliance);
/// a return never counts a complaint whose case the reader may not see.
/// <list type="bullet">
/// <item>PRC (complaints under CN-CBIRC-2020-3): received by branch × JR/T 0169 B × C × A; decisions by days from receipt (15 /
/// 30 / 60, CBIRC 2020 No. 3); outcomes; redress (approved money remedies).</item>
/// <item>FCA (complaints under UK-FCA-DISP): DISP 1.10 by product group — received, closed within 3 business days (DISP 1.5, the
/// branch's calendar), within 8 weeks (the final response deadline stored at intake, DISP 1.6.2R), later; upheld (partly upheld
/// and goodwill payments count as upheld); redress. A group without business is blank, with business and no complaints 0.</item>
/// <item>CFPB-style extract (complaints of every regime): one row per complaint received, in CFPB's vocabulary.</item>
/// </list>
/// </summary>
public sealed class ComplaintReturns(StewardDbContext db, CurrentUser user, SlaClockService clocks, TimeProvider time)
{
    /// <summary>The version of the rules this class applies (bands, mappings, "has business"); a return names it, decision 0036 states it.</summary>
    public const string RulesVersion = "steward-complaint-returns.v1";

    /// <summary>The longest period a return covers (a year, leap day included).</summary>
    public const int MaxDays = 366;

    /// <summary>The most complaints one CFPB-style extract lists; more is refused so that the reader shortens the period.</summary>
    public const int MaxExtractRows = 50_000;

    /// <summary>The FCA product group of each catalogue category (DISP 1 Annex 1R): a group has business when a product of it is offered.</summary>
    internal static readonly IReadOnlyDictionary<ProductCategory, string> FcaGroupOf = new Dictionary<ProductCategory, string>
    {
        [ProductCategory.Deposit] = "BANKING",
        [ProductCategory.BankCard] = "BANKING",
        [ProductCategory.Payment] = "BANKING",
        [ProductCategory.Loan] = "BANKING",
        [ProductCategory.StructuredDeposit] = "INVESTMENTS",
        [ProductCategory.Fund] = "INVESTMENTS",
        [ProductCategory.WealthManagement] = "INVESTMENTS",
        [ProductCategory.Bond] = "INVESTMENTS",
        [ProductCategory.Insurance] = "INSURANCE",
    };

    /// <summary>
    /// CFPB's product of each catalogue category (a loan coded in the FCA's home finance group is a mortgage); what CFPB does not
    /// cover (investments, insurance) is "Other financial service".
    /// </summary>
    internal static string CfpbProduct(ProductCategory? category, string? fcaGroup) => category switch
    {
        ProductCategory.Deposit or ProductCategory.StructuredDeposit => "Checking or savings account",
        ProductCategory.BankCard => "Credit card or prepaid card",
        ProductCategory.Loan when fcaGroup == "HOME" => "Mortgage",
        ProductCategory.Loan => "Payday loan, title loan, or personal loan",
        ProductCategory.Payment => "Money transfer, virtual currency, or money service",
        _ => "Other financial service",
    };

    /// <summary>
    /// CFPB's company response: "In progress" without an outcome; "Closed with monetary relief" with an approved money remedy;
    /// "Closed with non-monetary relief" with another approved remedy (apology, process fix); "Closed" when withdrawn; else
    /// "Closed with explanation".
    /// </summary>
    internal static string CfpbResponse(ComplaintOutcome? outcome, bool money, bool otherRelief) => outcome switch
    {
        null => "In progress",
        _ when money => "Closed with monetary relief",
        _ when otherRelief => "Closed with non-monetary relief",
        ComplaintOutcome.Withdrawn => "Closed",
        _ => "Closed with explanation",
    };

    private async Task<PrcReturn> PrcAsync(Scope s, CancellationToken ct)
    {
        var counts = new Dictionary<(long Branch, string B, string C, string A), int>();
        var taxonomyIds = new HashSet<long>();
        var banded = new List<(int Band, ComplaintOutcome Outcome, int Count)>();

        // Calendar days from the local day of receipt to the local day of the decision: ≤ 15, 16–30, 31–60, over 60.
        int Band(DecidedRow d) => Period.DaysBetween(s.LocalDay(d.BranchId, d.ReceivedAt), s.LocalDay(d.BranchId, d.OutcomeAt)) switch
        {
            <= 15 => 0,
            <= 30 => 1,
            <= 60 => 2,
            _ => 3,
        };

        void Count((long Branch, string B, string C, string A) key, long taxonomyId, int n)
        {
            counts[key] = counts.GetValueOrDefault(key) + n;
            taxonomyIds.Add(taxonomyId);
        }

        foreach (var zone in s.Zones)
        {
            if (zone.Local is { } local)
            {
                // PostgreSQL counts receipts and bands decisions in one pass, by each complaint's local days (AT TIME ZONE its branch's zone).
                var (start, end, first, after) = (zone.Start, zone.End, local.First, local.After);
                foreach (var g in await InZone(s, zone)
                    .Where(r => (r.Complaint.ReceivedAt >= start && r.Complaint.ReceivedAt < end) || (r.Complaint.Outcome != null && r.Complaint.OutcomeAt >= start && r.Complaint.OutcomeAt < end))
                    .Select(r => new
                    {
                        r.BranchId, r.Complaint.JrtBusiness, r.Complaint.JrtCause, r.Complaint.JrtChannel, r.Complaint.TaxonomyId, r.Complaint.Outcome,
                        ReceivedAt = TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.ReceivedAt.UtcDateTime, r.TimeZone),
                        OutcomeAt = TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.OutcomeAt!.Value.UtcDateTime, r.TimeZone),
                    })
                    .Select(r => new
                    {
                        r.BranchId, r.JrtBusiness, r.JrtCause, r.JrtChannel, r.TaxonomyId, r.Outcome,
                        Received = r.ReceivedAt >= first && r.ReceivedAt < after,
                        Decided = r.Outcome != null && r.OutcomeAt >= first && r.OutcomeAt < after,
                        Days = (r.OutcomeAt.Date - r.ReceivedAt.Date).Days,
                    })
                    .GroupBy(r => new { r.BranchId, r.JrtBusiness, r.JrtCause, r.JrtChannel, r.TaxonomyId, r.Outcome, r.Received, r.Decided, Band = r.Days <= 15 ? 0 : r.Days <= 30 ? 1 : r.Days <= 60 ? 2 : 3 })
                    .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                {
                    if (g.Key.Received)
                    {
                        Count((g.Key.BranchId, g.Key.JrtBusiness, g.Key.JrtCause, g.Key.JrtChannel), g.Key.TaxonomyId, g.Count);
                    }

                    if (g.Key.Decided)
                    {
                        banded.Add((g.Key.Band, g.Key.Outcome!.Value, g.Count));
                        taxonomyIds.Add(g.Key.TaxonomyId);
                    }
                }

                continue;
            }

            foreach (var g in await Received(s, zone).GroupBy(r => new { r.BranchId, r.Complaint.JrtBusiness, r.Complaint.JrtCause, r.Complaint.JrtChannel, r.Complaint.TaxonomyId })
                .Select(g => new { g.Key.BranchId, g.Key.JrtBusiness, g.Key.JrtCause, g.Key.JrtChannel, g.Key.TaxonomyId, Count = g.Count() }).ToListAsync(ct))
            {
                Count((g.BranchId, g.JrtBusiness, g.JrtCause, g.JrtChannel), g.TaxonomyId, g.Count);
            }

            foreach (var d in await DecidedAsync(s, zone, ct))
            {
                banded.Add((Band(d), d.Outcome, 1));
                taxonomyIds.Add(d.TaxonomyId);
            }
        }

        var names = await CodeNamesAsync(ct);
        var rows = counts
            .Select(kv => new PrcCountRow(kv.Key.Branch, s.Branches[kv.Key.Branch].Code, s.BranchName(kv.Key.Branch),
                kv.Key.B, names.Name(ComplaintCodeSet.JrtBusiness, kv.Key.B), kv.Key.C, names.Name(ComplaintCodeSet.JrtCause, kv.Key.C),
                kv.Key.A, names.Name(ComplaintCodeSet.JrtChannel, kv.Key.A), kv.Value))
            .OrderBy(r => r.BranchCode, StringComparer.Ordinal).ThenBy(r => r.Business, StringComparer.Ordinal).ThenBy(r => r.Cause, StringComparer.Ordinal)
            .ThenBy(r => r.Channel, StringComparer.Ordinal).ToList();
        int BandOf(int band) => banded.Where(b => b.Band == band).Sum(b => b.Count);
        var timeliness = new PrcTimeliness(banded.Sum(b => b.Count), BandOf(0), BandOf(1), BandOf(2), BandOf(3));
        var outcomes = Enum.GetValues<ComplaintOutcome>().Select(o => new ComplaintReturnOutcomeCount(o, banded.Where(b => b.Outcome == o).Sum(b => b.Count))).ToList();
        var remedies = await RemediesAsync(s, Decided, ct);
        return new PrcReturn(await HeaderAsync(s, taxonomyIds, ct), counts.Values.Sum(), rows, timeliness, outcomes, Money(remedies.Values.SelectMany(r => r)));
    }

    private async Task<FcaReturn> FcaAsync(Scope s, CancellationToken ct)
    {
        var received = new Dictionary<string, int>(StringComparer.Ordinal);
        var taxonomyIds = new HashSet<long>();
        var decided = new List<DecidedRow>();
        foreach (var zone in s.Zones)
        {
            foreach (var g in await Received(s, zone).GroupBy(r => new { r.Complaint.FcaProductGroup, r.Complaint.TaxonomyId })
                .Select(g => new { Group = g.Key.FcaProductGroup, g.Key.TaxonomyId, Count = g.Count() }).ToListAsync(ct))
            {
                received[g.Group ?? ""] = received.GetValueOrDefault(g.Group ?? "") + g.Count;
                taxonomyIds.Add(g.TaxonomyId);
            }

            decided.AddRange(await DecidedAsync(s, zone, ct));
        }

        var remedies = await RemediesAsync(s, Decided, ct);
        taxonomyIds.UnionWith(decided.Select(d => d.TaxonomyId));
        var calculators = new Dictionary<long, DeadlineCalculator>();
        foreach (var branchId in decided.Select(d => d.BranchId).Distinct())
        {
            calculators[branchId] = new DeadlineCalculator((await clocks.CalendarForBranchAsync(branchId, ct)).Calendar);
        }

        var offered = (await db.Set<Product>().AsNoTracking().Where(p => p.Status != ProductStatus.Withdrawn).Select(p => p.Category).Distinct().ToListAsync(ct))
            .Where(FcaGroupOf.ContainsKey).Select(c => FcaGroupOf[c]).ToHashSet(StringComparer.Ordinal);
        var names = await CodeNamesAsync(ct);
        var groups = new List<FcaGroupRow>();
        foreach (var code in names.Codes(ComplaintCodeSet.FcaProductGroup))
        {
            var closed = decided.Where(d => d.FcaGroup == code).ToList();
            var hasBusiness = offered.Contains(code) || received.ContainsKey(code) || closed.Count > 0;
            if (!hasBusiness)
            {
                groups.Add(new FcaGroupRow(code, names.Name(ComplaintCodeSet.FcaProductGroup, code), false, null, null, null, null, null, null, null, null));
                continue;
            }

            int within3 = 0, within8Weeks = 0, upheld = 0;
            foreach (var d in closed)
            {
                if (ComplaintDeadlines.SummaryResolutionDue(calculators[d.BranchId], d.ReceivedAt) is { } summaryDue && d.OutcomeAt <= summaryDue)
                {
                    within3++;
                }
                else if (d.OutcomeAt <= (d.DueAt ?? s.EndOfDay(d.BranchId, s.LocalDay(d.BranchId, d.ReceivedAt).PlusDays(56))))
                {
                    within8Weeks++;
                }

                var own = remedies.GetValueOrDefault(d.Id, []);
                if (d.Outcome is ComplaintOutcome.Upheld or ComplaintOutcome.PartlyUpheld || own.Any(r => r.Kind == RemedyKind.Goodwill))
                {
                    upheld++;
                }
            }

            var percent = closed.Count == 0 ? 0m : Math.Round(100m * upheld / closed.Count, 2, MidpointRounding.AwayFromZero);
            groups.Add(new FcaGroupRow(code, names.Name(ComplaintCodeSet.FcaProductGroup, code), true, received.GetValueOrDefault(code), closed.Count,
                within3, within8Weeks, closed.Count - within3 - within8Weeks, upheld, percent, Money(closed.SelectMany(d => remedies.GetValueOrDefault(d.Id, [])))));
        }

        return new FcaReturn(await HeaderAsync(s, taxonomyIds, ct), groups);
    }

    private async Task<Outcome<CfpbExtract>> CfpbAsync(Scope s, CancellationToken ct)
    {
        var found = new List<(ExtractRow Row, Product? Product)>();
        foreach (var zone in s.Zones)
        {
            var received = Received(s, zone);
            if (found.Count + await received.CountAsync(ct) > MaxExtractRows)
            {
                return new ComplaintInvalid(new Dictionary<string, string[]>
                {
                    ["to"] = [FormattableString.Invariant($"More than {MaxExtractRows} complaints in the period; shorten it. 期间内投诉超过 {MaxExtractRows} 件，请缩短期间。")],
                });
            }

            var rows = await (from r in received
                              join c in db.Set<Case>() on r.Complaint.CaseId equals c.Id
                              select new ExtractRow(r.Complaint.Id, c.Reference, r.BranchId, r.Complaint.ReceivedAt, r.Complaint.JrtCause, r.Complaint.ProductId,
                                  r.Complaint.Outcome, r.Complaint.OutcomeAt, r.Complaint.RegulatoryDueAt, r.Complaint.FcaProductGroup, r.Complaint.TaxonomyId)).ToListAsync(ct);
            var productIds = rows.Select(r => r.ProductId).OfType<long>().Distinct().ToList();
            var products = await db.Set<Product>().AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
            found.AddRange(rows.Select(r => (r, r.ProductId is { } pid ? products.GetValueOrDefault(pid) : null)));
        }

        var remedies = await RemediesAsync(s, Received, ct);
        var names = await CodeNamesAsync(ct);
        var extract = found.Select(f =>
        {
            var (r, product) = f;
            var own = remedies.GetValueOrDefault(r.Id, []);
            var received = s.LocalDay(r.BranchId, r.ReceivedAt);
            DateOnly? responseOn = r.OutcomeAt is { } at ? ToDateOnly(s.LocalDay(r.BranchId, at)) : null;
            bool? timely = r.OutcomeAt is not { } decidedAt ? null
                : decidedAt <= (r.DueAt ?? s.EndOfDay(r.BranchId, received.PlusDays(15)));
            return new CfpbRow(r.Id, r.CaseReference, ToDateOnly(received), CfpbProduct(product?.Category, r.FcaGroup), product?.NameEn is { Length: > 0 } en ? en : product?.Name,
                names.NameEn(ComplaintCodeSet.JrtCause, r.JrtCause),
                CfpbResponse(r.Outcome, own.Any(m => RemedyIsMoney(m)), own.Any(m => !RemedyIsMoney(m))), responseOn, timely);
        }).OrderBy(r => r.Received).ThenBy(r => r.ComplaintId).ToList();
        return new CfpbExtract(await HeaderAsync(s, [.. found.Select(f => f.Row.TaxonomyId)], ct), extract);
    }

    /// <summary>
    /// The return the query asks for, with the format it is wanted in. Refused: without <see cref="Permission.ComplaintReturnsRead"/>
    /// or for a branch the reader may not see (403); an unknown regime or format, a missing or malformed day, a last day before
    /// the first, a period over <see cref="MaxDays"/> days, an unknown branch (400, at the field).
    /// </summary>
    public async Task<Outcome<ComplaintReturnReading>> ReadAsync(ComplaintReturnQuery q, CancellationToken ct = default)
    {
        var checkedQuery = await CheckAsync(q, ct);
        if (checkedQuery.Error is { } refused)
        {
            return refused;
        }

        var (s, format) = checkedQuery.Value;
        switch (s.Regime)
        {
            case ComplaintReturnRegime.Prc:
                var prc = await PrcAsync(s, ct);
                return new ComplaintReturnReading(format, prc.Header, prc, null, null);
            case ComplaintReturnRegime.Fca:
                var fca = await FcaAsync(s, ct);
                return new ComplaintReturnReading(format, fca.Header, null, fca, null);
            default:
                var cfpb = await CfpbAsync(s, ct);
                if (cfpb.Error is { } tooLarge)
                {
                    return tooLarge;
                }

                return new ComplaintReturnReading(format, cfpb.Value!.Header, null, null, cfpb.Value);
        }
    }

    /// <summary>The branches the reader may ask for a return of (for the page's choice).</summary>
    public async Task<IReadOnlyList<(long Id, string Code, string Name)>> BranchesAsync(CancellationToken ct = default)
    {
        var mine = user.BranchIds.ToList();
        var all = user.HasInstitutionScope;
        return [.. (await db.Set<Branch>().AsNoTracking().Where(b => all || mine.Contains(b.Id)).OrderBy(b => b.Code).ToListAsync(ct))
            .Select(b => (b.Id, b.Code, Chinese ? Either(b.Name, b.NameEn) : Either(b.NameEn, b.Name)))];
    }

    private static bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    private static string Either(string first, string second) => string.IsNullOrEmpty(first) ? second : first;

    private static bool RemedyIsMoney(ApprovedRemedy r) => ComplaintRemedy.IsMoney(r.Kind) && r.Amount is > 0;

    private static DateOnly ToDateOnly(LocalDate d) => new(d.Year, d.Month, d.Day);

    /// <summary>The request checked: who may read, the regime, the period, the branch; refusals at their fields.</summary>
    private async Task<Outcome<(Scope Scope, ComplaintReturnFormat Format)>> CheckAsync(ComplaintReturnQuery q, CancellationToken ct)
    {
        if (!user.Can(Permission.ComplaintReturnsRead))
        {
            return new ComplaintActionForbidden();
        }

        var errors = new Dictionary<string, string[]>();
        var expected = Named<ComplaintReturnRegime>(q.Regime, out var r) ? r : (ComplaintReturnRegime?)null;
        if (expected is null)
        {
            errors["regime"] = ["Choose prc, fca or cfpb. 请选择 prc、fca 或 cfpb。"];
        }

        var format = ComplaintReturnFormat.Json;
        if (!string.IsNullOrEmpty(q.Format))
        {
            if (Named<ComplaintReturnFormat>(q.Format, out var named))
            {
                format = named;
            }
            else
            {
                errors["format"] = ["Choose json, xlsx or csv. 请选择 json、xlsx 或 csv。"];
            }
        }

        var from = Day(errors, "from", q.From);
        var to = Day(errors, "to", q.To);
        if (from is { } f && to is { } t)
        {
            if (f > t)
            {
                errors["to"] = ["The last day cannot be before the first. 截止日不能早于起始日。"];
            }
            else if (t.DayNumber - f.DayNumber + 1 > MaxDays)
            {
                errors["to"] = [FormattableString.Invariant($"A return covers at most {MaxDays} days. 报表期间最长 {MaxDays} 天。")];
            }
        }

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

        if (errors.Count > 0)
        {
            return new ComplaintInvalid(errors);
        }

        if (branchId is { } own && !user.CanSeeBranch(own))
        {
            return new ComplaintActionForbidden();
        }

        var mine = user.BranchIds.ToList();
        var all = user.HasInstitutionScope && branchId is null;
        var branches = await db.Set<Branch>().AsNoTracking().Where(b => branchId != null ? b.Id == branchId : all || mine.Contains(b.Id))
            .Select(b => new BranchInfo(b.Id, b.Code, b.Name, b.NameEn, b.TimeZone)).ToDictionaryAsync(b => b.Id, ct);
        var zoneOf = branches.Values.ToDictionary(b => b.Id, b => DateTimeZoneProviders.Tzdb.GetZoneOrNull(b.TimeZone) ?? DateTimeZone.Utc);
        var zones = branches.Values.GroupBy(b => zoneOf[b.Id]).Select(g =>
            new ZoneBounds([.. g.Select(b => b.Id)], Start(g.Key, from!.Value), Start(g.Key, to!.Value.AddDays(1)), null)).ToList();
        if (db.Database.IsNpgsql() && zones.Count > 0)
        {
            // PostgreSQL works out each complaint's local day itself (AT TIME ZONE its branch's zone): one pass over every zone.
            var local = (from!.Value.ToDateTime(TimeOnly.MinValue), to!.Value.AddDays(1).ToDateTime(TimeOnly.MinValue));
            zones = [new ZoneBounds([.. branches.Keys], zones.Min(z => z.Start), zones.Max(z => z.End), local)];
        }
        var regime = expected!.Value switch
        {
            ComplaintReturnRegime.Prc => SlaPresets.PrcCode,
            ComplaintReturnRegime.Fca => SlaPresets.FcaCode,
            ComplaintReturnRegime.Cfpb => null,
        };
        return (new Scope(expected!.Value, regime, new ComplaintReturnPeriod(from!.Value, to!.Value), branchId, branches, zones, zoneOf), format);
    }

    /// <summary>A value of <typeparamref name="T"/> named in letters (any case); numbers are not names.</summary>
    private static bool Named<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && text!.All(char.IsAsciiLetter);

    /// <summary>A required day of the period: empty is refused at its field, the rest as every typed day is.</summary>
    private static DateOnly? Day(Dictionary<string, string[]> errors, string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors[field] = [field == "from" ? "Give the first day of the period (yyyy-mm-dd). 请填写起始日（年-月-日）。" : "Give the last day of the period (yyyy-mm-dd). 请填写截止日（年-月-日）。"];
            return null;
        }

        return Platform.Api.BusinessDates.ParseDay(text, field, errors);
    }

    private static DateTimeOffset Start(DateTimeZone zone, DateOnly day) =>
        zone.AtStartOfDay(new LocalDate(day.Year, day.Month, day.Day)).ToInstant().ToDateTimeOffset();

    /// <summary>Complaints of the zone's branches (under the return's regime) received in the period.</summary>
    private IQueryable<ScopedComplaint> Received(Scope s, ZoneBounds zone)
    {
        var (start, end) = (zone.Start, zone.End);
        var inZone = InZone(s, zone).Where(r => r.Complaint.ReceivedAt >= start && r.Complaint.ReceivedAt < end);
        if (zone.Local is not var (first, after))
        {
            return inZone;
        }

        return inZone.Where(r => TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.ReceivedAt.UtcDateTime, r.TimeZone) >= first
            && TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.ReceivedAt.UtcDateTime, r.TimeZone) < after);
    }

    private IQueryable<ScopedComplaint> InZone(Scope s, ZoneBounds zone)
    {
        var branchIds = zone.BranchIds;
        var regime = s.RegimeCode;
        // The complaint's own copy of its case's branch (migration 0037): no join with the cases.
        return from x in db.Set<Complaint>().AsNoTracking()
               join b in db.Set<Branch>() on x.BranchId equals b.Id
               where branchIds.Contains(x.BranchId) && (regime == null || x.Regime == regime)
               select new ScopedComplaint { Complaint = x, BranchId = x.BranchId, TimeZone = b.TimeZone };
    }

    /// <summary>Complaints of the zone's branches whose outcome was recorded in the period (a decision cleared by a review is not counted).</summary>
    private IQueryable<ScopedComplaint> Decided(Scope s, ZoneBounds zone)
    {
        var (start, end) = (zone.Start, zone.End);
        var inZone = InZone(s, zone).Where(r => r.Complaint.Outcome != null && r.Complaint.OutcomeAt >= start && r.Complaint.OutcomeAt < end);
        if (zone.Local is not var (first, after))
        {
            return inZone;
        }

        return inZone.Where(r => TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.OutcomeAt!.Value.UtcDateTime, r.TimeZone) >= first
            && TimeZoneInfo.ConvertTimeBySystemTimeZoneId(r.Complaint.OutcomeAt!.Value.UtcDateTime, r.TimeZone) < after);
    }

    private async Task<List<DecidedRow>> DecidedAsync(Scope s, ZoneBounds zone, CancellationToken ct) =>
        await Decided(s, zone)
            .Select(r => new DecidedRow(r.Complaint.Id, r.BranchId, r.Complaint.ReceivedAt, r.Complaint.OutcomeAt!.Value, r.Complaint.Outcome!.Value,
                r.Complaint.RegulatoryDueAt, r.Complaint.FcaProductGroup, r.Complaint.TaxonomyId))
            .ToListAsync(ct);

    /// <summary>
    /// The approved remedies of the complaints <paramref name="which"/> selects (received or decided in the period), by complaint, in one
    /// query per zone (a pending remedy is not redress).
    /// </summary>
    private async Task<Dictionary<long, List<ApprovedRemedy>>> RemediesAsync(Scope s, Func<Scope, ZoneBounds, IQueryable<ScopedComplaint>> which, CancellationToken ct)
    {
        var result = new Dictionary<long, List<ApprovedRemedy>>();
        foreach (var zone in s.Zones)
        {
            var remedies = from m in db.Set<ComplaintRemedy>().AsNoTracking().Where(m => m.Status == RemedyStatus.Approved)
                           join r in which(s, zone) on m.ComplaintId equals r.Complaint.Id
                           select new ApprovedRemedy(m.ComplaintId, m.Kind, m.Amount, m.Currency);
            foreach (var r in await remedies.ToListAsync(ct))
            {
                (result.TryGetValue(r.ComplaintId, out var list) ? list : result[r.ComplaintId] = []).Add(r);
            }
        }

        return result;
    }

    /// <summary>Money remedies summed per currency.</summary>
    private static List<ComplaintReturnMoney> Money(IEnumerable<ApprovedRemedy> remedies) =>
        [.. remedies.Where(RemedyIsMoney).GroupBy(r => r.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ComplaintReturnMoney(g.Key, g.Sum(r => r.Amount!.Value)))];

    /// <summary>The return's provenance: the taxonomy versions of the complaints it counted, the presets in force, the rules.</summary>
    private async Task<ComplaintReturnHeader> HeaderAsync(Scope s, HashSet<long> taxonomyIds, CancellationToken ct)
    {
        var taxonomies = await db.Set<ComplaintTaxonomy>().AsNoTracking().Where(t => taxonomyIds.Contains(t.Id)).OrderBy(t => t.Number)
            .Select(t => new ComplaintReturnTaxonomy(t.Number, t.PublishedOn, t.Citation)).ToListAsync(ct);
        var codes = s.RegimeCode is { } one ? new[] { one } : [SlaPresets.PrcCode, SlaPresets.FcaCode, SlaPresets.CfpbCode];
        var presets = new List<ComplaintReturnPreset>();
        if (s.Zones.Count > 0)
        {
            var (first, last) = (s.Zones.Min(z => z.Start), s.Zones.Max(z => z.End));
            foreach (var standard in await db.Set<SlaStandard>().AsNoTracking().Include(x => x.Versions).Where(x => codes.Contains(x.Code)).OrderBy(x => x.Code).ToListAsync(ct))
            {
                var atStart = StandardResolver.InForce(standard.Versions, first);
                presets.AddRange(standard.Versions.Where(v => v == atStart || (v.EffectiveFrom > first && v.EffectiveFrom < last)).OrderBy(v => v.Number)
                    .Select(v => new ComplaintReturnPreset(standard.Code, v.Number, v.EffectiveFrom, v.Citation.Split('\n')[0])));
            }
        }

        return new ComplaintReturnHeader(s.Regime, s.Period, s.BranchId, s.BranchId is { } b ? s.Branches[b].Code : null, time.GetUtcNow(), new ComplaintReturnVersions(taxonomies, presets, RulesVersion));
    }

    /// <summary>The names of every code of every taxonomy version, the newest version's name first (the reader's language).</summary>
    private async Task<CodeNames> CodeNamesAsync(CancellationToken ct)
    {
        var rows = await (from c in db.Set<ComplaintCode>().AsNoTracking()
                          join t in db.Set<ComplaintTaxonomy>() on c.TaxonomyId equals t.Id
                          orderby t.Number descending, c.Id
                          select new { c.CodeSet, c.Code, c.Name, c.NameEn, t.Number }).ToListAsync(ct);
        var newest = rows.Count == 0 ? 0 : rows[0].Number;
        return new CodeNames(
            rows.GroupBy(r => (r.CodeSet, r.Code)).ToDictionary(g => g.Key, g => (g.First().Name, g.First().NameEn)),
            rows.Where(r => r.Number == newest).GroupBy(r => r.CodeSet).ToDictionary(g => g.Key, g => g.Select(r => r.Code).ToList()));
    }

    private sealed record BranchInfo(long Id, string Code, string Name, string NameEn, string TimeZone);

    /// <summary>
    /// Branches whose period is one UTC interval [<see cref="Start"/>, <see cref="End"/>) (one time zone); or, with <see cref="Local"/>,
    /// branches of several zones read in one pass: the interval covers them all and each complaint's local time (in its branch's zone)
    /// must also lie in [first day, day after the last).
    /// </summary>
    private sealed record ZoneBounds(List<long> BranchIds, DateTimeOffset Start, DateTimeOffset End, (DateTime First, DateTime After)? Local);

    private sealed record Scope(
        ComplaintReturnRegime Regime, string? RegimeCode, ComplaintReturnPeriod Period, long? BranchId, Dictionary<long, BranchInfo> Branches, List<ZoneBounds> Zones,
        Dictionary<long, DateTimeZone> ZoneOf)
    {
        private readonly Dictionary<long, DateTimeZone> zoneOf = ZoneOf;

        public LocalDate LocalDay(long branchId, DateTimeOffset at) => Instant.FromDateTimeOffset(at).InZone(zoneOf[branchId]).Date;

        /// <summary>The end of <paramref name="day"/> in the branch's zone (the start of the next day).</summary>
        public DateTimeOffset EndOfDay(long branchId, LocalDate day) => zoneOf[branchId].AtStartOfDay(day.PlusDays(1)).ToInstant().ToDateTimeOffset();

        public string BranchName(long id) => Chinese ? Either(Branches[id].Name, Branches[id].NameEn) : Either(Branches[id].NameEn, Branches[id].Name);
    }

    private sealed class ScopedComplaint
    {
        public required Complaint Complaint { get; init; }

        public long BranchId { get; init; }

        public string TimeZone { get; init; } = "";
    }

    private sealed record DecidedRow(
        long Id, long BranchId, DateTimeOffset ReceivedAt, DateTimeOffset OutcomeAt, ComplaintOutcome Outcome, DateTimeOffset? DueAt, string? FcaGroup, long TaxonomyId);

    private sealed record ExtractRow(
        long Id, string CaseReference, long BranchId, DateTimeOffset ReceivedAt, string JrtCause, long? ProductId, ComplaintOutcome? Outcome, DateTimeOffset? OutcomeAt,
        DateTimeOffset? DueAt, string? FcaGroup, long TaxonomyId);

    private sealed record ApprovedRemedy(long ComplaintId, RemedyKind Kind, decimal? Amount, string Currency);

    private sealed record CodeNames(Dictionary<(ComplaintCodeSet, string), (string Name, string NameEn)> ByCode, Dictionary<ComplaintCodeSet, List<string>> Current)
    {
        public string Name(ComplaintCodeSet set, string code) =>
            ByCode.TryGetValue((set, code), out var n) ? (Chinese ? Either(n.Name, n.NameEn) : Either(n.NameEn, n.Name)) : code;

        public string NameEn(ComplaintCodeSet set, string code) => ByCode.TryGetValue((set, code), out var n) ? Either(n.NameEn, n.Name) : code;

        public IReadOnlyList<string> Codes(ComplaintCodeSet set) => Current.GetValueOrDefault(set, []);
    }
}
