using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Sla.Deadlines;
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
    Webhooks.WebhookEvents webhooks,
    TimeProvider time,
    IOptions<SlaOptions> options)
{
    private const int MaxBatchesPerPass = 200;

    /// <summary>Due clocks recorded per transaction.</summary>
    private const int ChunkSize = 100;

    private readonly Dictionary<long, SlaCalendarChoice> calendarCache = [];
    private readonly Dictionary<(string, long), List<(long Id, string? Email, string? Culture)>> staffCache = [];

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
                .Select(k => new DueClock(k.Id, k.CaseId, k.Cycle, k.TargetType, k.Layer, k.Warning1At, k.Warning2At, k.DueAt, k.WarningPercent1, k.WarningPercent2, k.Status))
                .ToListAsync(ct);
            var fresh = due.Where(d => seen.Add(d.Id)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            foreach (var chunk in fresh.Chunk(ChunkSize))
            {
                examined += chunk.Length;
                var (a, n, m) = await ProcessAsync(chunk, now, o, ct);
                alerts += a;
                notes += n;
                mails += m;
            }
        }

        return new SlaSweepResult(examined, alerts, notes, mails, watch.Elapsed.TotalMilliseconds);
    }

    private sealed record DueClock(
        long Id, long CaseId, int Cycle, SlaTargetType TargetType, SlaLayer Layer, DateTimeOffset? Warning1At, DateTimeOffset? Warning2At,
        DateTimeOffset? DueAt, int WarningPercent1, int WarningPercent2, SlaClockStatus Status);

    /// <summary>One level of one clock that has been reached, with the people to tell if this node claims it.</summary>
    private sealed record Claim(DueClock Clock, SlaAlertLevel Level, DateTimeOffset At, List<(long Id, string? Email, string? Culture)> Recipients);

    /// <summary>
    /// Records the reached levels of a chunk of due clocks in one transaction: one insert of every (clock, cycle, level)
    /// with <c>ON CONFLICT DO NOTHING RETURNING</c> (the rows it returns are the ones this node claimed, and only those
    /// are announced), the breaches as tracked changes (audited), the next alert instants in one update, one commit.
    /// A burst of deadlines (30-day complaint deadlines all end at 24:00) costs a handful of round trips per chunk
    /// instead of about ten per clock. The insert lists its rows ordered by clock and level, so two nodes sweeping
    /// overlapping chunks wait for each other in the same order and cannot deadlock.
    /// </summary>
    private async Task<(int Alerts, int Notifications, int Emails)> ProcessAsync(DueClock[] chunk, DateTimeOffset now, SlaOptions o, CancellationToken ct)
    {
        var plans = chunk.Select(clock => (Clock: clock, Levels: Levels(clock, o))).ToList();
        var caseIds = chunk.Select(c => c.CaseId).Distinct().ToList();
        var cases = await db.Set<Case>().AsNoTracking().Where(c => caseIds.Contains(c.Id))
            .Select(c => new CaseInfo(c.Id, c.Reference, c.BranchId, c.TeamId, c.AssigneeId)).ToDictionaryAsync(c => c.Id, ct);
        var claims = new List<Claim>();
        foreach (var (clock, levels) in plans)
        {
            var info = cases[clock.CaseId];
            foreach (var (level, at) in levels.Where(l => l.At <= now && (l.Level is SlaAlertLevel.Breach or SlaAlertLevel.Compliance || clock.DueAt is null || l.At < clock.DueAt)))
            {
                claims.Add(new Claim(clock, level, at, await RecipientsAsync(level, info.BranchId, info.TeamId, info.AssigneeId, ct)));
            }
        }

        claims = [.. claims.OrderBy(c => c.Clock.Id).ThenBy(c => c.Level)];
        int alerts = 0, notes = 0, mails = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await ClaimAsync(claims, now, ct);
        foreach (var (clock, level, at, recipients) in claims.Where(c => claimed.Contains((c.Clock.Id, c.Level))))
        {
            var info = cases[clock.CaseId];
            var calendar = await CalendarAsync(info.BranchId, ct);
            alerts++;
            var (kind, zh, en) = Texts(level, clock, info.Reference, at, calendar.Calendar.Zone, o);
            notifications.Raise(recipients.Select(r => r.Id), kind, zh, en, "/Cases/" + info.Id.ToString(CultureInfo.InvariantCulture));
            if (level is not SlaAlertLevel.Compliance)
            {
                await webhooks.RaiseAsync(level == SlaAlertLevel.Breach ? Webhooks.WebhookEventTypes.SlaBreached : Webhooks.WebhookEventTypes.SlaWarning, new
                {
                    caseId = info.Id, reference = info.Reference, branchId = info.BranchId, teamId = info.TeamId, assigneeId = info.AssigneeId,
                    clockId = clock.Id, cycle = clock.Cycle, target = clock.TargetType, layer = clock.Layer, level, reachedAt = at, dueAt = clock.DueAt,
                }, ct);
            }
            notes += recipients.Select(r => r.Id).Distinct().Count();
            if (level is SlaAlertLevel.Breach or SlaAlertLevel.Compliance)
            {
                // No escalation e-mails at night: delivery waits for the next working period of the branch calendar.
                var deliverAt = calendar.Calendar.NextWorkingInstant(Instant.FromDateTimeOffset(now)).ToDateTimeOffset();
                // Each in the language the person chose (their staff setting; none: Chinese, the working language), never both.
                foreach (var r in recipients.Where(r => !string.IsNullOrWhiteSpace(r.Email)).DistinctBy(r => r.Email!.ToUpperInvariant()))
                {
                    var text = Platform.Localization.Cultures.Of(r.Culture) == Platform.Localization.Cultures.English ? en : zh;
                    notifications.Send(OutboxChannel.Email, r.Email!, text, text, deliverAt);
                    mails++;
                }
            }
        }

        // Breaches are tracked changes, so that each is in the audit log (actor: system) like every other change of a clock.
        var breaching = chunk.Where(c => c.Status == SlaClockStatus.Running && c.DueAt is { } d && d <= now).ToDictionary(c => c.Id, c => c.DueAt!.Value);
        if (breaching.Count > 0)
        {
            var ids = breaching.Keys.ToList();
            foreach (var tracked in await db.Set<SlaClock>().Where(k => ids.Contains(k.Id) && k.Status == SlaClockStatus.Running).ToListAsync(ct))
            {
                if (tracked.DueAt == breaching[tracked.Id])
                {
                    tracked.Status = SlaClockStatus.Breached;
                    tracked.BreachedAt = tracked.DueAt;
                    // An agent resolving the case at this moment must not get a stale-version error because of the sweep.
                    db.KeepVersion(tracked);
                }
            }
        }

        await ScheduleAsync(plans.Select(p => (p.Clock.Id, p.Levels.Where(l => l.At > now).Select(l => (DateTimeOffset?)l.At).Min())).ToList(), now, ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // A clock changed since it was read (another node recorded the breach first, or a user re-targeted the case):
            // nothing of this chunk is kept; the next pass looks at its clocks again with what is stored then.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (0, 0, 0);
        }

        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (alerts, notes, mails);
    }

    private sealed record CaseInfo(long Id, string Reference, long BranchId, long? TeamId, long? AssigneeId);

    /// <summary>Every alert instant of a clock: the two warnings, the deadline and the compliance escalation after it.</summary>
    private static List<(SlaAlertLevel Level, DateTimeOffset At)> Levels(DueClock clock, SlaOptions o)
    {
        var levels = new List<(SlaAlertLevel Level, DateTimeOffset At)>(4);
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

        return levels;
    }

    /// <summary>
    /// Inserts the alerts in one statement and returns the (clock, level) pairs this call inserted; a pair another node
    /// (or an earlier pass) already holds is skipped by the unique key (clock, cycle, level).
    /// </summary>
    private async Task<HashSet<(long ClockId, SlaAlertLevel Level)>> ClaimAsync(List<Claim> claims, DateTimeOffset now, CancellationToken ct)
    {
        var claimed = new HashSet<(long, SlaAlertLevel)>();
        if (claims.Count == 0)
        {
            return claimed;
        }

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        var sql = new System.Text.StringBuilder("INSERT INTO case_sla_alerts (clock_id, case_id, cycle, level, due_at, raised_at, recipients) VALUES ");
        void Add(string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        Add("@now", Db(now));
        for (var i = 0; i < claims.Count; i++)
        {
            var (clock, level, at, recipients) = claims[i];
            var ids = string.Join(',', recipients.Select(r => r.Id.ToString(CultureInfo.InvariantCulture)));
            var n = i.ToString(CultureInfo.InvariantCulture);
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@k{n}, @c{n}, @y{n}, @l{n}, @d{n}, @now, @r{n})");
            Add("@k" + n, clock.Id);
            Add("@c" + n, clock.CaseId);
            Add("@y" + n, clock.Cycle);
            Add("@l" + n, level.ToString());
            Add("@d" + n, Db(at));
            Add("@r" + n, ids.Length > 2000 ? ids[..2000] : ids);
        }

        sql.Append(" ON CONFLICT (clock_id, cycle, level) DO NOTHING RETURNING clock_id, level");
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add((reader.GetInt64(0), Enum.Parse<SlaAlertLevel>(reader.GetString(1))));
        }

        return claimed;
    }

    /// <summary>
    /// Moves each clock's <c>next_alert_at</c> to its next instant after <paramref name="now"/> (null: nothing left), in
    /// one statement, only where it has not moved since it was read (bookkeeping, not versioned or audited).
    /// </summary>
    private async Task ScheduleAsync(List<(long Id, DateTimeOffset? Next)> next, DateTimeOffset now, CancellationToken ct)
    {
        var sql = new System.Text.StringBuilder("UPDATE case_sla_clocks SET next_alert_at = CASE id");
        var parameters = new List<object?>();
        foreach (var (id, at) in next)
        {
            // PostgreSQL types an untyped null as text; the cast keeps a chunk whose clocks are all finished valid.
            var then = "{" + (parameters.Count + 1).ToString(CultureInfo.InvariantCulture) + "}";
            sql.Append(" WHEN {").Append(parameters.Count.ToString(CultureInfo.InvariantCulture)).Append("} THEN ")
                .Append(db.IsPostgres ? "CAST(" + then + " AS timestamptz)" : then);
            parameters.Add(id);
            parameters.Add(at is { } a ? Db(a) : null);
        }

        sql.Append(CultureInfo.InvariantCulture, $" END WHERE next_alert_at <= {{{parameters.Count}}} AND id IN (");
        parameters.Add(Db(now));
        sql.Append(string.Join(", ", next.Select((_, i) => "{" + (parameters.Count + i).ToString(CultureInfo.InvariantCulture) + "}"))).Append(')');
        parameters.AddRange(next.Select(n => (object?)n.Id));
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters!, ct);
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
    private async Task<List<(long Id, string? Email, string? Culture)>> RecipientsAsync(SlaAlertLevel level, long branchId, long? teamId, long? assigneeId, CancellationToken ct)
    {
        var result = new List<(long Id, string? Email, string? Culture)>();
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

    private async Task<List<(long Id, string? Email, string? Culture)>> StaffAsync(string kind, long key, CancellationToken ct)
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
        var rows = await query.OrderBy(s => s.Id).Select(s => new { s.Id, s.Email, s.Culture }).ToListAsync(ct);
        return staffCache[(kind, key)] = rows.Select(r => (r.Id, r.Email, r.Culture)).ToList();
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
