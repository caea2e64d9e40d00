using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Clocks;

public sealed record SlaStandardRef(long Id, string Code, string Name, int Version, DateTimeOffset EffectiveFrom, SlaLayer Layer, string? Citation);

public sealed record SlaPauseDto(DateTimeOffset From, DateTimeOffset? To, string Reason, string? FromLocal, string? ToLocal);

public sealed record SlaChangeDto(DateTimeOffset At, SlaChangeCause Cause, string Target, long? ExtensionId);

public sealed record SlaClockDto(
    long Id,
    SlaTargetType TargetType,
    SlaLayer Layer,
    string Name,
    int Cycle,
    SlaStandardRef Standard,
    string Rule,
    string Target,
    int Amount,
    SlaUnit Unit,
    Steward.Features.Sla.Calendars.SlaClock Clock,
    SlaClockStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? DueAt,
    string? DueLocal,
    string? DueText,
    DateTimeOffset? MetAt,
    DateTimeOffset? BreachedAt,
    long UsedMinutes,
    long RemainingMinutes,
    decimal PercentUsed,
    string UsedText,
    string RemainingText,
    IReadOnlyList<SlaPauseDto> Pauses,
    IReadOnlyList<SlaChangeDto> Changes,
    IReadOnlyList<string> Steps,
    string? RestartReason,
    DateTimeOffset? RestartedAt,
    int? MaxAmount,
    bool ExtensionNeedsApproval,
    bool ExtensionNoticeToCustomer);

public sealed record SlaExtensionDto(
    long Id, long ClockId, SlaTargetType TargetType, SlaLayer Layer, int OldAmount, int NewAmount, SlaUnit Unit, string Reason,
    SlaExtensionStatus Status, long? RequestedById, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy, DateTimeOffset? DecidedAt,
    string? DecisionNote, int Version);

public sealed record CaseSlaDto(
    long CaseId, string Reference, string Zone, long? CalendarId, string CalendarName, bool FallbackCalendar, DateTimeOffset Now,
    IReadOnlyList<SlaClockDto> Clocks, IReadOnlyList<SlaExtensionDto> Extensions);

public sealed record AtRiskItem(
    long CaseId, string Reference, string Subject, long? AssigneeId, string? AssigneeName, long ClockId, SlaTargetType TargetType, SlaLayer Layer,
    SlaClockStatus Status, DateTimeOffset DueAt, string DueLocal, long MinutesLeft, decimal PercentUsed);

public sealed record SlaExtensionRequest(SlaTargetType? TargetType, SlaLayer? Layer, int? NewAmount, int? AddAmount, string? Reason);

public sealed record SlaDecisionRequest(string? Note, int? Version);

public sealed record SlaRestartRequest(SlaTargetType? TargetType, SlaLayer? Layer, string? Reason);

public sealed record ExtensionAboveMaximumError(int Requested, int Maximum, SlaUnit Unit) : Error(
    "extension-above-maximum",
    "The extension exceeds the rule's maximum 延期超过规则允许的上限",
    $"At most {Maximum} {Unit} in total (requested {Requested}). 总时限最多 {Maximum}（申请 {Requested}）。")
{
    public override int Status => StatusCodes.Status422UnprocessableEntity;
}

/// <summary>
/// The SLA of one case for people and programs: the explanation (<see cref="GetAsync"/>), extensions and the PRC
/// restart, plus the "at risk" list. Scope follows the case rules: a case outside one's scope is 404.
/// </summary>
public sealed class CaseSlaService(
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
                k.DueAt is { } due2 ? ExplanationText.FormatInstant(Instant.FromDateTimeOffset(due2), zone, lang) : null,
                k.MetAt, k.BreachedAt,
                (long)usage.Used.TotalMinutes, (long)usage.Remaining.TotalMinutes - (long)usage.Overrun.TotalMinutes, decimal.Round(usage.Percent, 1),
                ExplanationText.FormatDuration(usage.Used, lang),
                usage.IsBreached ? "-" + ExplanationText.FormatDuration(usage.Overrun, lang) : ExplanationText.FormatDuration(usage.Remaining, lang),
                k.Pauses.OrderBy(p => p.FromAt).Select(p => new SlaPauseDto(p.FromAt, p.ToAt, p.Reason, Local(p.FromAt, zone), p.ToAt is { } to ? Local(to, zone) : null)).ToList(),
                k.Changes.OrderBy(x => x.At).Select(x => new SlaChangeDto(x.At, x.Cause, ExplanationText.FormatTarget(new SlaTarget(x.Amount, x.Unit, x.RollForward), lang), x.ExtensionId)).ToList(),
                Steps(k, result.Steps.Select(s => ExplanationText.Render(s, zone, lang)), zone, lang),
                k.RestartReason, k.RestartedAt,
                k.MaxExtension is { } max ? k.RuleAmount + max : null,
                k.ExtensionNeedsApproval, k.ExtensionNoticeToCustomer));
        }

        var extensions = await ExtensionsAsync(c.Id, rows, ct);
        var calendarName = calendar.Name ?? ExplanationText.Text(lang, "sla.clock.fallbackCalendar");
        return new CaseSlaDto(c.Id, c.Reference, zone.Id, calendar.CalendarId, calendarName, calendar.IsFallback, now, list, extensions);
    }

    /// <summary>Open clocks of the cases in one's scope, soonest deadline first (negative minutes = breached).</summary>
    public async Task<IReadOnlyList<AtRiskItem>> AtRiskAsync(int limit, CancellationToken ct = default)
    {
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
            items.Add(new AtRiskItem(
                k.CaseId, row.Reference, row.Subject, row.AssigneeId, row.AssigneeId is { } a && names.TryGetValue(a, out var n) ? n : null,
                k.Id, k.TargetType, k.Layer, k.Status, k.DueAt!.Value, Local(k.DueAt!.Value, calendar.Calendar.Zone),
                (long)Math.Floor((k.DueAt!.Value - now).TotalMinutes), decimal.Round(usage.Percent, 1)));
        }

        return items;
    }

    /// <summary>
    /// Asks for a longer target: <c>newAmount</c> (total) or <c>addAmount</c>, never beyond the rule's amount + its
    /// maximum extension. Pending until someone else approves, unless the rule needs no approval.
    /// </summary>
    public async Task<Outcome<SlaExtensionDto>> RequestExtensionAsync(long caseId, SlaExtensionRequest r, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        if (!user.Can(Permission.CasesWork) || user.StaffId is null)
        {
            return Forbidden("Only case workers ask for extensions. 只有案件处理人员可以申请延期。");
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var type = r.TargetType ?? SlaTargetType.Resolution;
        var clock = all.FirstOrDefault(k => k.TargetType == type && k.Layer == (r.Layer ?? SlaLayer.Institution) && k.IsOpen);
        if (clock is null)
        {
            return Invalid("targetType", "The case has no running clock of that target and layer. 该案件没有此目标的计时。");
        }

        var reason = r.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000)
        {
            return Invalid("reason", "Give a reason (at most 2000 characters). 请说明原因（最多 2000 字）。");
        }

        var requested = r.NewAmount ?? (r.AddAmount is { } add ? clock.Amount + add : 0);
        if (requested <= clock.Amount)
        {
            return Invalid("newAmount", $"The new target must be longer than the current {clock.Amount}. 新时限须长于当前时限。");
        }

        if (clock.MaxExtension is not { } max)
        {
            return new ConflictError("not-extendable", "This target cannot be extended 此目标不可延期", "The rule allows no extension. 规则不允许延期。");
        }

        if (requested > clock.RuleAmount + max)
        {
            return new ExtensionAboveMaximumError(requested, clock.RuleAmount + max, clock.Unit);
        }

        if (await db.Set<SlaExtension>().AnyAsync(e => e.ClockId == clock.Id && e.Status == SlaExtensionStatus.Pending, ct))
        {
            return new ConflictError("extension-pending", "An extension is already pending 已有待审批的延期申请", "Decide the pending request first. 请先处理待审批的申请。");
        }

        var now = time.GetUtcNow();
        var extension = new SlaExtension
        {
            CaseId = c.Id, ClockId = clock.Id, OldAmount = clock.Amount, NewAmount = requested, Reason = reason, Status = SlaExtensionStatus.Pending,
            RequestedById = user.StaffId, RequestedByName = Name(), RequestedAt = now,
        };
        db.Add(extension);
        if (!clock.ExtensionNeedsApproval)
        {
            await ApplyAsync(c, all, clock, extension, now, ct);
        }
        else
        {
            var deciders = await DecidersAsync(c, ct);
            notifications.Raise(deciders.Where(id => id != user.StaffId), "sla.extension",
                $"案件 {c.Reference} 申请延期，待审批", $"Case {c.Reference}: extension requested, awaiting approval", "/Cases/" + c.Id.ToString(CultureInfo.InvariantCulture));
        }

        await db.SaveChangesAsync(ct);
        return Dto(extension, clock);
    }

    /// <summary>Approves (or rejects) a pending extension: team leads, branch managers and compliance, never the requester.</summary>
    public async Task<Outcome<SlaExtensionDto>> DecideAsync(long caseId, long extensionId, bool approve, SlaDecisionRequest r, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        var extension = await db.Set<SlaExtension>().SingleOrDefaultAsync(e => e.Id == extensionId && e.CaseId == c.Id, ct);
        if (extension is null)
        {
            return new NotFoundError("extension-not-found", "No such extension request 延期申请不存在", "The request does not exist. 延期申请不存在。");
        }

        if (!user.Roles.Any(role => role is StaffRole.TeamLead or StaffRole.BranchManager or StaffRole.Compliance))
        {
            return Forbidden("Team leads, branch managers and compliance decide extensions. 只有组长、网点负责人和合规人员可以审批延期。");
        }

        if (extension.RequestedById == user.StaffId)
        {
            return new ForbiddenError("approver-is-requester", "You cannot decide your own request 不能审批自己的申请",
                "Another team lead, branch manager or compliance officer must decide it. 须由其他组长、网点负责人或合规人员审批。");
        }

        if (r.Version is { } v && v != extension.Version)
        {
            return Problems.StaleVersion();
        }

        if (extension.Status != SlaExtensionStatus.Pending)
        {
            return new ConflictError("extension-decided", "The request was already decided 申请已处理", "Reload to see the decision. 请刷新查看结果。");
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var clock = all.Single(k => k.Id == extension.ClockId);
        var now = time.GetUtcNow();
        extension.DecidedById = user.StaffId;
        extension.DecidedByName = Name();
        extension.DecidedAt = now;
        extension.DecisionNote = r.Note?.Trim() is { Length: > 0 } note ? (note.Length > 2000 ? note[..2000] : note) : null;
        if (approve)
        {
            if (!clock.IsOpen)
            {
                return new ConflictError("clock-stopped", "The clock has stopped 计时已结束", "The target was met or cancelled. 目标已完成或已取消。");
            }

            if (clock.MaxExtension is not { } max || extension.NewAmount > clock.RuleAmount + max)
            {
                return new ExtensionAboveMaximumError(extension.NewAmount, clock.RuleAmount + (clock.MaxExtension ?? 0), clock.Unit);
            }

            await ApplyAsync(c, all, clock, extension, now, ct);
        }
        else
        {
            extension.Status = SlaExtensionStatus.Rejected;
        }

        if (extension.RequestedById is { } requester)
        {
            notifications.Raise([requester], "sla.extension",
                $"案件 {c.Reference} 的延期申请已{(approve ? "批准" : "驳回")}", $"Case {c.Reference}: extension {(approve ? "approved" : "rejected")}", "/Cases/" + c.Id.ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.StaleVersion();
        }

        return Dto(extension, clock);
    }

    /// <summary>PRC: new facts and reasons restart the complaint's handling period (default: the regulatory resolution clock).</summary>
    public async Task<Outcome<CaseSlaDto>> RestartAsync(long caseId, SlaRestartRequest r, string language, CancellationToken ct = default)
    {
        var c = await VisibleCaseAsync(caseId, ct, tracked: true);
        if (c is null)
        {
            return CaseService.NotFound();
        }

        if (!user.Can(Permission.CasesWork))
        {
            return Forbidden("Only case workers restart clocks. 只有案件处理人员可以重新计时。");
        }

        var reason = r.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 2000)
        {
            return Invalid("reason", "Say which new facts or reasons were received (at most 2000 characters). 请说明收到的新事实和理由（最多 2000 字）。");
        }

        var all = await clocks.LoadAsync(c.Id, ct);
        var clock = all.FirstOrDefault(k => k.TargetType == (r.TargetType ?? SlaTargetType.Resolution) && k.Layer == (r.Layer ?? SlaLayer.Regulatory) && k.IsOpen);
        if (clock is null)
        {
            return Invalid("targetType", "The case has no running clock of that target and layer. 该案件没有此目标的计时。");
        }

        var now = time.GetUtcNow();
        ClosePauses(clock, now);
        clocks.Restart(clock, now, reason);
        if (c.Waiting != CaseWaiting.None && SlaPauseReasons.Parse(clock.PauseReasons).Contains(c.Waiting.ToString()))
        {
            clock.Pauses.Add(new SlaClockPause { Cycle = clock.Cycle, FromAt = now, Reason = c.Waiting.ToString() });
            clock.Status = SlaClockStatus.Paused;
        }

        clocks.Finish(c, all, await clocks.CalendarForBranchAsync(c.BranchId, ct));
        await db.SaveChangesAsync(ct);
        return await GetAsync(caseId, language, ct);
    }

    private async Task ApplyAsync(Case c, List<SlaClock> all, SlaClock clock, SlaExtension extension, DateTimeOffset now, CancellationToken ct)
    {
        extension.Status = SlaExtensionStatus.Approved;
        if (extension.DecidedAt is null)
        {
            extension.DecidedById = extension.RequestedById;
            extension.DecidedByName = extension.RequestedByName;
            extension.DecidedAt = now;
        }

        if (extension.Id == 0)
        {
            await db.SaveChangesAsync(ct);
        }

        clock.Changes.Add(new SlaClockChange
        {
            Cycle = clock.Cycle, At = now, Cause = SlaChangeCause.Extension, Amount = extension.NewAmount, Unit = clock.Unit,
            RollForward = clock.RollForward, ExtensionId = extension.Id,
        });
        clock.Amount = extension.NewAmount;
        var calendar = await clocks.CalendarForBranchAsync(c.BranchId, ct);
        clocks.Finish(c, all, calendar);
        if (clock.ExtensionNoticeToCustomer && clock.DueAt is { } due)
        {
            // The customer is told on their timeline (public reply: the public status page shows it).
            var zone = calendar.Calendar.Zone;
            var body = $"您的案件处理期限已延长至 {ExplanationText.FormatInstant(Instant.FromDateTimeOffset(due), zone, "zh-CN")}。原因：{extension.Reason}\n"
                + $"The handling period of your case has been extended to {ExplanationText.FormatInstant(Instant.FromDateTimeOffset(due), zone, "en")}. Reason: {extension.Reason}";
            db.Add(new CaseMessage { CaseId = c.Id, Visibility = MessageVisibility.Public, Body = body, AuthorId = user.StaffId, AuthorName = Name(), CreatedAt = now });
            db.Add(new CaseEvent
            {
                CaseId = c.Id, OccurredAt = now, ActorId = user.StaffId, ActorName = Name(), Type = CaseEventType.ReplyAdded, Action = CaseAction.Reply,
                Detail = body.Length > 80 ? body[..80] + "…" : body,
            });
        }
    }

    /// <summary>The engine's steps, preceded by the PRC restart (when and why) so that the explanation says why the clock starts where it does.</summary>
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

    private async Task<List<long>> DecidersAsync(Case c, CancellationToken ct) =>
        await db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && (
                (c.TeamId != null && s.TeamId == c.TeamId && s.Roles.Any(r => r.Role == StaffRole.TeamLead))
                || (s.HomeBranchId == c.BranchId && s.Roles.Any(r => r.Role == StaffRole.BranchManager))))
            .Select(s => s.Id).ToListAsync(ct);

    private async Task<Case?> VisibleCaseAsync(long caseId, CancellationToken ct, bool tracked = false)
    {
        var viewer = await cases.ViewerAsync(ct);
        var query = cases.Visible(viewer).Where(c => c.Id == caseId);
        return await (tracked ? query : query.AsNoTracking()).SingleOrDefaultAsync(ct);
    }

    private string Name() => user.DisplayName.Length > 100 ? user.DisplayName[..100] : user.DisplayName;

    private static SlaExtensionDto Dto(SlaExtension e, SlaClock k) => new(
        e.Id, e.ClockId, k.TargetType, k.Layer, e.OldAmount, e.NewAmount, k.Unit, e.Reason, e.Status, e.RequestedById, e.RequestedByName, e.RequestedAt,
        e.DecidedByName, e.DecidedAt, e.DecisionNote, e.Version);

    private static void ClosePauses(SlaClock clock, DateTimeOffset at)
    {
        foreach (var pause in clock.Pauses.Where(p => p.ToAt is null))
        {
            pause.ToAt = at;
        }
    }

    internal static string Local(DateTimeOffset at, DateTimeZone zone) => LocalPattern.Format(Instant.FromDateTimeOffset(at).InZone(zone).ToOffsetDateTime());

    private static ForbiddenError Forbidden(string detail) => new("forbidden", "You may not do this 无权执行此操作", detail);

    private static InvalidError Invalid(string field, string message) =>
        new("invalid-request", "The request has errors 请求有误", message, new Dictionary<string, string[]> { [field] = [message] });
}
