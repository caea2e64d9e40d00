using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

/// <summary>
/// The SLA of one case for people and programs: the explanation (<see cref="GetAsync"/>), extensions and the PRC
/// restart, plus the "at risk" list. Scope follows the case rules: a case outside one's scope is 404.
/// </summary>
public sealed partial class CaseSlaService(
    StewardDbContext db,
    CaseService cases,
    SlaClockService clocks,
    NotificationService notifications,
    CurrentUser user,
    TimeProvider time)
{
    private static readonly OffsetDateTimePattern LocalPattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<+HH:mm>");

    public async Task<Outcome<CaseSlaDto>> GetAsync(long caseId, string language, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        var now = time.GetUtcNow();
        var lang = ExplanationText.Language(language);
        var calendar = await clocks.CalendarForBranchAsync(c.BranchId, ct);
        var zone = calendar.Calendar.Zone;
        var engine = new DeadlineCalculator(calendar.Calendar);
        var rows = await clocks.LoadAsync(c.Id, ct);
        var standardIds = rows.Select(r => r.StandardId).Distinct().ToList();
        var versionIds = rows.Select(r => r.StandardVersionId).Distinct().ToList();
        var standards = await db.Set<SlaStandard>().AsNoTracking().Where(s => standardIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var versions = await db.Set<SlaStandardVersion>().AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Select(v => new { v.Id, v.EffectiveFrom, v.Citation }).ToDictionaryAsync(v => v.Id, ct);

        var list = new List<SlaClockDto>();
        foreach (var k in rows.OrderBy(r => r.TargetType).ThenBy(r => r.Layer))
        {
            var timeline = SlaClockService.Timeline(k);
            var result = engine.Calculate(timeline);
            var usageAt = k.Status switch
            {
                SlaClockStatus.Met => k.MetAt ?? now,
                SlaClockStatus.Cancelled => k.CancelledAt ?? now,
                _ => now,
            };
            var usage = engine.GetUsage(timeline, Instant.FromDateTimeOffset(usageAt < k.StartedAt ? k.StartedAt : usageAt));
            standards.TryGetValue(k.StandardId, out var standard);
            versions.TryGetValue(k.StandardVersionId, out var version);
            var name = ExplanationText.Text(lang, "sla.target." + k.TargetType);
            list.Add(new SlaClockDto(
                k.Id, k.TargetType, k.Layer, name, k.Cycle,
                new SlaStandardRef(k.StandardId, k.StandardCode, standard is null ? k.StandardCode : lang == "en" ? standard.NameEn : standard.Name, k.StandardVersionNumber,
                    version?.EffectiveFrom ?? default, k.Layer, k.Layer == SlaLayer.Regulatory ? version?.Citation : null),
                k.RuleMatch,
                ExplanationText.FormatTarget(k.Target, lang),
                k.Amount, k.Unit, k.Target.Clock, k.Status, k.StartedAt, k.DueAt,
                k.DueAt is { } due ? Local(due, zone) : null,
                k.DueAt is { } due2 ? DeadlineText.When(Instant.FromDateTimeOffset(due2), zone, lang) : null,
                k.MetAt, k.BreachedAt,
                (long)usage.Used.TotalMinutes, (long)usage.Remaining.TotalMinutes - (long)usage.Overrun.TotalMinutes, decimal.Round(usage.Percent, 1),
                ExplanationText.FormatDuration(usage.Used, lang),
                usage.IsBreached ? "-" + ExplanationText.FormatDuration(usage.Overrun, lang) : ExplanationText.FormatDuration(usage.Remaining, lang),
                Left(usage, k.Target.Clock, calendar.Calendar, lang),
                k.Pauses.OrderBy(p => p.FromAt).Select(p => new SlaPauseDto(p.FromAt, p.ToAt, p.Reason, Local(p.FromAt, zone), p.ToAt is { } to ? Local(to, zone) : null)).ToList(),
                k.Changes.OrderBy(x => x.At).Select(x => new SlaChangeDto(x.At, x.Cause, ExplanationText.FormatTarget(new SlaTarget(x.Amount, x.Unit, x.RollForward), lang), x.ExtensionId)).ToList(),
                Steps(k, result.Steps.Select(s => ExplanationText.Render(s, zone, lang)), zone, lang),
                k.RestartReason, k.RestartedAt,
                k.MaxExtension is { } max ? k.RuleAmount + max : null,
                k.ExtensionNeedsApproval, k.ExtensionNoticeToCustomer));
        }

        var extensions = await ExtensionsAsync(c.Id, rows, ct);
        var calendarName = calendar.NameFor(lang) ?? ExplanationText.Text(lang, "sla.clock.fallbackCalendar");
        return new CaseSlaDto(c.Id, c.Reference, zone.Id, calendar.CalendarId, calendarName, calendar.IsFallback, now, list, extensions);
    }

    /// <summary>
    /// Open clocks of the cases in one's scope, soonest deadline first (negative minutes = breached). With
    /// <paramref name="withinHours"/>, only clocks overdue or with at most that many hours left: working hours on a
    /// business clock, hours on a calendar clock.
    /// </summary>
    public async Task<IReadOnlyList<AtRiskItem>> AtRiskAsync(int limit, CancellationToken ct = default, int? withinHours = null, string? language = null)
    {
        var lang = ExplanationText.Language(language ?? CultureInfo.CurrentUICulture.Name);
        var viewer = await cases.ViewerAsync(ct);
        var visible = cases.Visible(viewer);
        var now = time.GetUtcNow();
        var rows = await db.Set<SlaClock>().AsNoTracking().Include(k => k.Pauses).Include(k => k.Changes)
            .Where(k => (k.Status == SlaClockStatus.Running || k.Status == SlaClockStatus.Breached) && k.DueAt != null)
            .Join(visible, k => k.CaseId, c => c.Id, (k, c) => new { Clock = k, c.Reference, c.Subject, c.AssigneeId, c.BranchId })
            .OrderBy(x => x.Clock.DueAt).ThenBy(x => x.Clock.Id)
            .Take(Math.Clamp(limit, 1, 500))
            .ToListAsync(ct);
        var assigneeIds = rows.Where(r => r.AssigneeId != null).Select(r => r.AssigneeId!.Value).Distinct().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => assigneeIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var calendars = new Dictionary<long, SlaCalendarChoice>();
        var items = new List<AtRiskItem>();
        foreach (var row in rows)
        {
            if (!calendars.TryGetValue(row.BranchId, out var calendar))
            {
                calendars[row.BranchId] = calendar = await clocks.CalendarForBranchAsync(row.BranchId, ct);
            }

            var k = row.Clock;
            var at = now < k.StartedAt ? k.StartedAt : now;
            var usage = new DeadlineCalculator(calendar.Calendar).GetUsage(SlaClockService.Timeline(k), Instant.FromDateTimeOffset(at));
            if (withinHours is { } hours && !usage.IsBreached && usage.Remaining > Duration.FromHours(hours))
            {
                continue;
            }

            items.Add(new AtRiskItem(
                k.CaseId, row.Reference, row.Subject, row.AssigneeId, row.AssigneeId is { } a && names.TryGetValue(a, out var n) ? n : null,
                k.Id, k.TargetType, k.Layer, k.Status, k.DueAt!.Value, Local(k.DueAt!.Value, calendar.Calendar.Zone),
                (long)Math.Floor((k.DueAt!.Value - now).TotalMinutes), decimal.Round(usage.Percent, 1),
                DeadlineText.When(Instant.FromDateTimeOffset(k.DueAt!.Value), calendar.Calendar.Zone, lang), Left(usage, k.Target.Clock, calendar.Calendar, lang),
                k.Target.Clock));
        }

        return items;
    }

    private static List<string> Steps(SlaClock k, IEnumerable<string> engine, DateTimeZone zone, string lang)
    {
        var steps = new List<string>();
        if (k.RestartReason is { } reason && k.RestartedAt is { } at)
        {
            steps.Add(string.Format(CultureInfo.InvariantCulture, ExplanationText.Text(lang, "sla.clock.restartStep"),
                ExplanationText.FormatInstant(Instant.FromDateTimeOffset(at), zone, lang), reason));
        }

        steps.AddRange(engine);
        return steps;
    }

    private async Task<List<SlaExtensionDto>> ExtensionsAsync(long caseId, List<SlaClock> rows, CancellationToken ct)
    {
        var list = await db.Set<SlaExtension>().AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync(ct);
        return list.Select(e => Dto(e, rows.Single(k => k.Id == e.ClockId))).ToList();
    }

    private async Task<Case?> VisibleCaseAsync(long caseId, CancellationToken ct, bool tracked = false)
    {
        var viewer = await cases.ViewerAsync(ct);
        var query = cases.Visible(viewer).Where(c => c.Id == caseId);
        return await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
    }

    private static string Left(SlaUsage usage, Steward.Features.Sla.Deadlines.SlaClock kind, BusinessCalendar calendar, string lang) =>
        DeadlineText.Left(usage.IsBreached ? -usage.Overrun : usage.Remaining, kind, DeadlineText.WorkingDay(calendar), lang);

    internal static string Local(DateTimeOffset at, DateTimeZone zone) => LocalPattern.Format(Instant.FromDateTimeOffset(at).InZone(zone).ToOffsetDateTime());
}
