using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Sla.Clocks;

/// <summary>What one sweep pass did.</summary>
public sealed record SlaSweepResult(int ClocksExamined, int AlertsRaised, int Notifications, int Emails, double DurationMs);

/// <summary>Runs <see cref="SlaSweeper"/> every <see cref="SlaOptions.SweepIntervalSeconds"/> on every node.</summary>
public sealed class SlaSweepJob(IOptions<SlaOptions> options) : IPeriodicJob
{
    public const string JobName = "sla-sweep";

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);

    public Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<SlaSweeper>().RunAsync(cancellationToken);
}

/// <summary>
/// Finds clocks whose next alert instant has passed and records each level (warning 1, warning 2, breach, compliance
/// escalation) once per clock cycle. The claim is the insert into <c>case_sla_alerts</c> with its unique key
/// (clock, cycle, level) and <c>ON CONFLICT DO NOTHING</c>: when two nodes sweep at once, exactly one insert succeeds
/// and only that node raises the notifications, in the same transaction. Notifications are in-app at any hour; e-mails
/// to staff (breach and compliance levels) wait in the outbox until the next working period of the branch calendar.
/// </summary>
public sealed class SlaSweeper(
    StewardDbContext db,
    SlaClockService clocks,
    NotificationService notifications,
    TimeProvider time,
    IOptions<SlaOptions> options)
{
    private const int MaxBatchesPerPass = 200;

    private readonly Dictionary<long, SlaCalendarChoice> calendarCache = [];
    private readonly Dictionary<(string, long), List<(long Id, string? Email)>> staffCache = [];

    public async Task<SlaSweepResult> RunAsync(CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        var o = options.Value;
        int examined = 0, alerts = 0, notes = 0, mails = 0;
        var seen = new HashSet<long>();
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var due = await db.Set<SlaClock>().AsNoTracking()
                .Where(k => (k.Status == SlaClockStatus.Running || k.Status == SlaClockStatus.Breached) && k.NextAlertAt != null && k.NextAlertAt <= now)
                .OrderBy(k => k.NextAlertAt).ThenBy(k => k.Id)
                .Take(o.SweepBatchSize)
                .Select(k => new DueClock(k.Id, k.CaseId, k.Cycle, k.TargetType, k.Layer, k.Warning1At, k.Warning2At, k.DueAt, k.NextAlertAt, k.WarningPercent1, k.WarningPercent2, k.Status))
                .ToListAsync(ct);
            var fresh = due.Where(d => seen.Add(d.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var clock in fresh)
            {
                examined++;
                var (a, n, m) = await ProcessAsync(clock, now, o, ct);
                alerts += a;
                notes += n;
                mails += m;
            }
        }

        return new SlaSweepResult(examined, alerts, notes, mails, watch.Elapsed.TotalMilliseconds);
    }

    private sealed record DueClock(
        long Id, long CaseId, int Cycle, SlaTargetType TargetType, SlaLayer Layer, DateTimeOffset? Warning1At, DateTimeOffset? Warning2At,
        DateTimeOffset? DueAt, DateTimeOffset? NextAlertAt, int WarningPercent1, int WarningPercent2, SlaClockStatus Status);

    private async Task<(int Alerts, int Notifications, int Emails)> ProcessAsync(DueClock clock, DateTimeOffset now, SlaOptions o, CancellationToken ct)
    {
        var levels = new List<(SlaAlertLevel Level, DateTimeOffset At)>();
        if (clock.Warning1At is { } w1)
        {
            levels.Add((SlaAlertLevel.Warning1, w1));
        }

        if (clock.Warning2At is { } w2)
        {
            levels.Add((SlaAlertLevel.Warning2, w2));
        }

        if (clock.DueAt is { } dueAt)
        {
            levels.Add((SlaAlertLevel.Breach, dueAt));
            levels.Add((SlaAlertLevel.Compliance, dueAt.AddHours(o.ComplianceEscalationAfterHours)));
        }

        // A warning whose instant lies at or after the deadline (a retarget that is already breached) is not raised.
        var reached = levels.Where(l => l.At <= now && (l.Level is SlaAlertLevel.Breach or SlaAlertLevel.Compliance || clock.DueAt is null || l.At < clock.DueAt)).ToList();
        var next = levels.Where(l => l.At > now).Select(l => (DateTimeOffset?)l.At).Min();

        var info = await db.Set<Case>().AsNoTracking().Where(c => c.Id == clock.CaseId)
            .Select(c => new { c.Id, c.Reference, c.BranchId, c.TeamId, c.AssigneeId }).SingleAsync(ct);
        var calendar = await CalendarAsync(info.BranchId, ct);

        int alerts = 0, notes = 0, mails = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (level, at) in reached)
        {
            var recipients = await RecipientsAsync(level, info.BranchId, info.TeamId, info.AssigneeId, ct);
            var ids = string.Join(',', recipients.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
            var inserted = await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO case_sla_alerts (clock_id, case_id, cycle, level, due_at, raised_at, recipients) VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}) "
                + "ON CONFLICT (clock_id, cycle, level) DO NOTHING",
                [clock.Id, clock.CaseId, clock.Cycle, level.ToString(), Db(at), Db(now), ids.Length > 2000 ? ids[..2000] : ids], ct);
            if (inserted == 0)
            {
                continue;
            }

            alerts++;
            var (kind, zh, en) = Texts(level, clock, info.Reference, at, calendar.Calendar.Zone, o);
            notifications.Raise(recipients.Select(r => r.Id), kind, zh, en, "/Cases/" + info.Id.ToString(CultureInfo.InvariantCulture));
            notes += recipients.Select(r => r.Id).Distinct().Count();
            if (level is SlaAlertLevel.Breach or SlaAlertLevel.Compliance)
            {
                // No escalation e-mails at night: delivery waits for the next working period of the branch calendar.
                var deliverAt = calendar.Calendar.NextWorkingInstant(Instant.FromDateTimeOffset(now)).ToDateTimeOffset();
                foreach (var email in recipients.Select(r => r.Email).Where(e => !string.IsNullOrWhiteSpace(e)).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    notifications.Send(OutboxChannel.Email, email!, zh + " / " + en, zh + "\n" + en, deliverAt);
                    mails++;
                }
            }
        }

        if (clock.DueAt is { } deadline && deadline <= now && clock.Status == SlaClockStatus.Running)
        {
            // A tracked change, so that the breach is in the audit log (actor: system) like every other change of a clock.
            var tracked = await db.Set<SlaClock>().SingleOrDefaultAsync(k => k.Id == clock.Id, ct);
            if (tracked is { Status: SlaClockStatus.Running } && tracked.DueAt == deadline)
            {
                tracked.Status = SlaClockStatus.Breached;
                tracked.BreachedAt = deadline;
            }
        }

        if (next is { } n)
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE case_sla_clocks SET next_alert_at = {0} WHERE id = {1} AND next_alert_at <= {2}", [Db(n), clock.Id, Db(now)], ct);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE case_sla_clocks SET next_alert_at = NULL WHERE id = {0} AND next_alert_at <= {1}", [clock.Id, Db(now)], ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The clock changed since it was read (another node recorded the breach first, or a user re-targeted the
            // case): nothing of this clock is kept; the next pass looks at it again with what is stored then.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (0, 0, 0);
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (alerts, notes, mails);
    }

    private object Db(DateTimeOffset value) => db.IsPostgres ? value.ToUniversalTime() : value.UtcTicks;

    private async Task<SlaCalendarChoice> CalendarAsync(long branchId, CancellationToken ct)
    {
        if (!calendarCache.TryGetValue(branchId, out var choice))
        {
            calendarCache[branchId] = choice = await clocks.CalendarForBranchAsync(branchId, ct);
        }

        return choice;
    }

    /// <summary>
    /// Warnings: the assignee, or the team lead(s) when unassigned (branch managers when there is no team lead).
    /// Breach: assignee, team lead(s) and branch manager(s). Compliance: the compliance officers.
    /// </summary>
    private async Task<List<(long Id, string? Email)>> RecipientsAsync(SlaAlertLevel level, long branchId, long? teamId, long? assigneeId, CancellationToken ct)
    {
        var result = new List<(long Id, string? Email)>();
        if (level == SlaAlertLevel.Compliance)
        {
            result.AddRange(await StaffAsync("compliance", 0, ct));
            return result;
        }

        var assignee = assigneeId is { } a ? await StaffAsync("staff", a, ct) : [];
        var leads = teamId is { } t ? await StaffAsync("lead", t, ct) : [];
        var managers = await StaffAsync("manager", branchId, ct);
        if (level is SlaAlertLevel.Warning1 or SlaAlertLevel.Warning2)
        {
            result.AddRange(assignee.Count > 0 ? assignee : leads.Count > 0 ? leads : managers);
        }
        else
        {
            result.AddRange(assignee);
            result.AddRange(leads);
            result.AddRange(managers);
        }

        return result.DistinctBy(r => r.Id).ToList();
    }

    private async Task<List<(long Id, string? Email)>> StaffAsync(string kind, long key, CancellationToken ct)
    {
        if (staffCache.TryGetValue((kind, key), out var cached))
        {
            return cached;
        }

        var query = db.Set<Staff>().AsNoTracking().Where(s => s.IsActive);
        query = kind switch
        {
            "staff" => query.Where(s => s.Id == key),
            "lead" => query.Where(s => s.TeamId == key && s.Roles.Any(r => r.Role == StaffRole.TeamLead)),
            "manager" => query.Where(s => s.HomeBranchId == key && s.Roles.Any(r => r.Role == StaffRole.BranchManager)),
            _ => query.Where(s => s.Roles.Any(r => r.Role == StaffRole.Compliance)),
        };
        var rows = await query.OrderBy(s => s.Id).Select(s => new { s.Id, s.Email }).ToListAsync(ct);
        return staffCache[(kind, key)] = rows.Select(r => (r.Id, r.Email)).ToList();
    }

    private static (string Kind, string Zh, string En) Texts(SlaAlertLevel level, DueClock clock, string reference, DateTimeOffset at, DateTimeZone zone, SlaOptions o)
    {
        var targetZh = ExplanationText.Text("zh-CN", "sla.target." + clock.TargetType) + (clock.Layer == SlaLayer.Regulatory ? "（监管）" : "");
        var targetEn = ExplanationText.Text("en", "sla.target." + clock.TargetType) + (clock.Layer == SlaLayer.Regulatory ? " (regulatory)" : "");
        var due = clock.DueAt is { } d ? Instant.FromDateTimeOffset(d) : Instant.FromDateTimeOffset(at);
        var dueZh = ExplanationText.FormatInstant(due, zone, "zh-CN");
        var dueEn = ExplanationText.FormatInstant(due, zone, "en");
        var percent = (level == SlaAlertLevel.Warning1 ? clock.WarningPercent1 : clock.WarningPercent2).ToString(CultureInfo.InvariantCulture);
        var hours = o.ComplianceEscalationAfterHours.ToString(CultureInfo.InvariantCulture);
        return level switch
        {
            SlaAlertLevel.Warning1 or SlaAlertLevel.Warning2 =>
                ("sla.warning", $"案件 {reference} 的{targetZh}时限已用 {percent}%，截止 {dueZh}", $"Case {reference}: {targetEn} is {percent}% used, due {dueEn}"),
            SlaAlertLevel.Breach =>
                ("sla.breach", $"案件 {reference} 的{targetZh}已超时（截止 {dueZh}）", $"Case {reference}: {targetEn} breached (due {dueEn})"),
            SlaAlertLevel.Compliance =>
                ("sla.escalation", $"案件 {reference} 的{targetZh}超时已逾 {hours} 小时（截止 {dueZh}），请合规跟进", $"Case {reference}: {targetEn} overdue for {hours} h (due {dueEn}); compliance follow-up"),
        };
    }
}
