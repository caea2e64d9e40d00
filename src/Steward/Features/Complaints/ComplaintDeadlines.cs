using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Features.Sla;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;

namespace Steward.Features.Complaints;

/// <summary>
/// The regulatory deadlines of a complaint under the regime of its case's branch, worked out by the SLA engine
/// (<see cref="DeadlineCalculator"/> on the branch's business calendar) from the complaint's receipt. The amounts come from
/// the regime's preset as data (the version in force at receipt, its Complaint / Resolution rule, so an administrator's new
/// version applies to complaints received after it); what a preset has no rule for is added here with its citation:
/// <list type="bullet">
/// <item>PRC — 《银行业保险业消费投诉处理管理办法》 (原中国银保监会令 2020 年第 3 号): a decision within 15 days of receipt
/// (calendar days, the day of receipt not counted; a last day on a public holiday rolls to the next working day, Civil Code
/// art. 201 and 203). Extensions to 30 / 60 days need approval and notice and are the SLA clock's (<see cref="SlaExtension"/>).</item>
/// <item>UK — FCA DISP 1.5: a complaint resolved by close of business on the third business day after the day of receipt may be
/// closed with a summary resolution communication; DISP 1.6.2R: otherwise a final response by the end of eight weeks after receipt.</item>
/// <item>US — CFPB company portal: a response within 15 days, a final response within 60 days.</item>
/// </list>
/// A branch without a regime (and an institution without one) has no regulatory deadline: the internal SLA still applies.
/// </summary>
public sealed class ComplaintDeadlines(StewardDbContext db, SlaClockService clocks)
{
    public const string Decision = "decision";
    public const string SummaryResolution = "summaryResolution";
    public const string FinalResponse = "finalResponse";
    public const string Response = "response";

    /// <summary>DISP 1.5: closed by close of business on the third business day after receipt, a summary resolution communication suffices.</summary>
    private static readonly SlaTarget FcaSummaryResolution = SlaTarget.BusinessDays(3);

    /// <summary>The code of the regulatory preset that applies to complaints of <paramref name="branchId"/> (the branch's own, else the institution's), or null.</summary>
    public Task<string?> RegimeOfBranchAsync(long branchId, CancellationToken ct) => SlaRegimes.CodeOfBranchAsync(db, branchId, ct);

    /// <summary>The regime's deadlines for a complaint received at <paramref name="receivedAt"/> in <paramref name="branchId"/>, earliest first.</summary>
    public async Task<IReadOnlyList<ComplaintDeadlineDto>> ForAsync(long branchId, string? regime, DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (regime is null)
        {
            return [];
        }

        var standard = await db.Set<SlaStandard>().AsNoTracking().Include(s => s.Versions).ThenInclude(v => v.Rules).AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Code == regime, ct);
        var version = standard is null ? null : StandardResolver.InForce(standard.Versions, receivedAt);
        if (version is null)
        {
            return [];
        }

        SlaRule? RuleOf(SlaTargetType type) => version.Rules.FirstOrDefault(r =>
            r.CaseKind == "Complaint" && r.TargetType == type && r.Priority is null && r.CustomerTier is null && r.Channel is null);

        var targets = new List<(string Kind, SlaTarget Target, string Citation)>();
        var resolution = RuleOf(SlaTargetType.Resolution);
        var citation = version.Citation.Split('\n')[0];
        switch (regime)
        {
            case SlaPresets.PrcCode when resolution is not null:
                targets.Add((Decision, Target(resolution), citation));
                break;
            case SlaPresets.FcaCode:
                targets.Add((SummaryResolution, FcaSummaryResolution, "FCA DISP 1.5: summary resolution communication by close of business on the third business day after receipt"));
                if (resolution is not null)
                {
                    targets.Add((FinalResponse, Target(resolution), "FCA DISP 1.6.2R: final response by the end of eight weeks after receipt"));
                }

                break;
            default:
                if (RuleOf(SlaTargetType.FirstResponse) is { } first)
                {
                    targets.Add((Response, Target(first), citation));
                }

                if (resolution is not null)
                {
                    targets.Add((regime == SlaPresets.PrcCode ? Decision : FinalResponse, Target(resolution), citation));
                }

                break;
        }

        var calendar = (await clocks.CalendarForBranchAsync(branchId, ct)).Calendar;
        var calculator = new DeadlineCalculator(calendar);
        var start = Instant.FromDateTimeOffset(receivedAt);
        var deadlines = new List<ComplaintDeadlineDto>();
        foreach (var (kind, target, cite) in targets)
        {
            if (calculator.Calculate(start, target).Deadline is { } due)
            {
                deadlines.Add(new ComplaintDeadlineDto(kind, due.ToDateTimeOffset(), LastDay(due, calendar.Zone), cite));
            }
        }

        return [.. deadlines.OrderBy(d => d.DueAt)];
    }

    /// <summary>
    /// DISP 1.5's summary resolution deadline (close of business on the third business day after the day of receipt) of a complaint
    /// received at <paramref name="receivedAt"/>, on the branch's calendar: the FCA return's "closed within three business days".
    /// </summary>
    public static DateTimeOffset? SummaryResolutionDue(DeadlineCalculator calculator, DateTimeOffset receivedAt) =>
        calculator.Calculate(Instant.FromDateTimeOffset(receivedAt), FcaSummaryResolution).Deadline?.ToDateTimeOffset();

    /// <summary>The last deadline of the list that closes the complaint (decision or final response): what lists sort by.</summary>
    public static DateTimeOffset? Governing(IReadOnlyList<ComplaintDeadlineDto> deadlines) =>
        deadlines.Where(d => d.Kind is Decision or FinalResponse).Select(d => (DateTimeOffset?)d.DueAt).LastOrDefault();

    private static SlaTarget Target(SlaRule rule) => new(rule.Amount, rule.Unit, rule.RollForward && rule.Unit == SlaUnit.CalendarDays);

    /// <summary>The local day a deadline closes: 24:00 belongs to the day before it.</summary>
    private static DateOnly LastDay(Instant due, DateTimeZone zone)
    {
        var local = due.InZone(zone).LocalDateTime;
        var day = local.TimeOfDay == LocalTime.Midnight ? local.Date.PlusDays(-1) : local.Date;
        return new DateOnly(day.Year, day.Month, day.Day);
    }
}
