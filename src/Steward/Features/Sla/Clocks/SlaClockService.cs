using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;

namespace Steward.Features.Sla.Clocks;

/// <summary>
/// Starts, pauses, resumes, stops, re-targets and restarts the SLA clocks of cases. Called by
/// <see cref="SlaCaseObserver"/> inside the case's unit of work: it only adds and changes tracked rows and never saves.
/// Every change recomputes the clock from its stored timeline with the <see cref="DeadlineCalculator"/> and keeps
/// <see cref="Case.DueAt"/> = the earliest deadline of a counting clock.
/// </summary>
public sealed class SlaClockService(StewardDbContext db, StandardService standards, CalendarService calendars, IOptions<SlaOptions> options)
{
    /// <summary>The reason of the pause that covers the time a reopened case was resolved.</summary>
    public const string ResolvedPause = "Resolved";

    /// <summary>Built-in hours when no calendar exists at all (a fresh install without demo data).</summary>
    public static readonly WorkingPeriod FallbackHours = WorkingPeriod.Parse("09:00-17:30");

    public async Task<SlaCalendarChoice> CalendarForBranchAsync(long branchId, CancellationToken ct)
    {
        if (await calendars.GetForBranchAsync(branchId, ct) is { } snapshot)
        {
            return new SlaCalendarChoice(snapshot.Id, snapshot.Name, snapshot.Calendar, snapshot.NameEn);
        }

        var zone = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == branchId).Select(b => b.TimeZone).SingleOrDefaultAsync(ct);
        var tz = (zone is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone)) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        // No holidays at all, and it says so: every year counts as one whose holidays are not loaded.
        return new SlaCalendarChoice(null, null, new BusinessCalendar(tz, WeeklySchedule.MondayToFriday(FallbackHours), holidayYears: []));
    }

    /// <summary>One clock per resolved target (NextResponse starts later, when the customer answers), from receipt.</summary>
    public async Task StartAsync(Case c, CancellationToken ct)
    {
        var at = c.CreatedAt;
        var resolution = await ResolveAsync(c, at, ct);
        var calendar = await CalendarForBranchAsync(c.BranchId, ct);
        var clocks = new List<SlaClock>();
        foreach (var target in resolution.Where(t => t.Type != SlaTargetType.NextResponse))
        {
            var clock = NewClock(c.Id, target, at, calendar.CalendarId);
            db.Add(clock);
            clocks.Add(clock);
        }

        foreach (var clock in clocks)
        {
            Recompute(clock, calendar.Calendar);
        }

        c.DueAt = EarliestDue(clocks);
    }

    /// <summary>Pauses, resumes, stops and reopens clocks as the case moves.</summary>
    public async Task TransitionAsync(Case c, CaseTransition t, CancellationToken ct)
    {
        var clocks = await LoadAsync(c.Id, ct);
        var calendar = await CalendarForBranchAsync(c.BranchId, ct);
        var at = t.At;
        if (t.To == CaseStatus.Cancelled)
        {
            foreach (var clock in clocks.Where(k => k.IsOpen))
            {
                ClosePauses(clock, at);
                clock.Status = SlaClockStatus.Cancelled;
                clock.CancelledAt = at;
                clock.NextAlertAt = null;
            }
        }
        else if (t.To == CaseStatus.Resolved)
        {
            // The resolution is communicated: every clock still counting is met now (a case resolved without an
            // earlier reply meets its first response with the resolution).
            foreach (var clock in clocks.Where(k => k.IsOpen))
            {
                Meet(clock, at);
            }
        }
        else if (t.Action == CaseAction.Reopen)
        {
            // Resolution restarts with the time used kept: the time the case was resolved is a pause.
            foreach (var clock in clocks.Where(k => k.TargetType == SlaTargetType.Resolution && k.Status == SlaClockStatus.Met && k.MetAt is not null))
            {
                clock.Pauses.Add(new SlaClockPause { Cycle = clock.Cycle, FromAt = clock.MetAt!.Value, ToAt = at, Reason = ResolvedPause });
                clock.MetAt = null;
                clock.Status = clock.BreachedAt is null ? SlaClockStatus.Running : SlaClockStatus.Breached;
            }
        }
        else if (t.FromWaiting == CaseWaiting.None && t.ToWaiting != CaseWaiting.None)
        {
            var reason = t.ToWaiting.ToString();
            foreach (var clock in clocks.Where(k => k.IsOpen && k.Status != SlaClockStatus.Paused && SlaPauseReasons.Parse(k.PauseReasons).Contains(reason)))
            {
                clock.Pauses.Add(new SlaClockPause { Cycle = clock.Cycle, FromAt = at, Reason = reason });
                clock.Status = SlaClockStatus.Paused;
            }
        }
        else if (t.FromWaiting != CaseWaiting.None && t.ToWaiting == CaseWaiting.None)
        {
            foreach (var clock in clocks.Where(k => k.Status == SlaClockStatus.Paused))
            {
                ClosePauses(clock, at);
                clock.Status = clock.BreachedAt is null ? SlaClockStatus.Running : SlaClockStatus.Breached;
            }

            if (t.FromWaiting == CaseWaiting.WaitingOnCustomer)
            {
                await StartNextResponseAsync(c, clocks, at, calendar, ct);
            }
        }

        if (t.Action == CaseAction.Start)
        {
            // The plan target is met when handling starts (UnderReview → InProgress): the reviewer has decided how the
            // case will be handled. See docs/decisions/0011-sla-clocks.md.
            foreach (var clock in clocks.Where(k => k.TargetType == SlaTargetType.Plan && k.IsOpen))
            {
                Meet(clock, at);
            }
        }

        Finish(c, clocks, calendar);
    }

    /// <summary>A public reply meets the first response and the pending next response.</summary>
    public async Task RepliedAsync(Case c, DateTimeOffset at, CancellationToken ct)
    {
        var clocks = await LoadAsync(c.Id, ct);
        var touched = false;
        foreach (var clock in clocks.Where(k => k.IsOpen && k.TargetType is SlaTargetType.FirstResponse or SlaTargetType.NextResponse))
        {
            Meet(clock, at);
            touched = true;
        }

        if (touched)
        {
            Finish(c, clocks, await CalendarForBranchAsync(c.BranchId, ct));
        }
    }

    /// <summary>
    /// Kind or priority changed: the resolver's new targets replace the old ones, keeping the time used (a target
    /// change in the clock's timeline). A target that no longer applies is cancelled; a new one starts now.
    /// </summary>
    public async Task RetargetAsync(Case c, DateTimeOffset at, CancellationToken ct)
    {
        var clocks = await LoadAsync(c.Id, ct);
        var calendar = await CalendarForBranchAsync(c.BranchId, ct);
        var resolution = await ResolveAsync(c, at, ct);
        foreach (var clock in clocks.Where(k => k.IsOpen))
        {
            var target = resolution.FirstOrDefault(r => r.Type == clock.TargetType && r.Layer == clock.Layer);
            if (target is null)
            {
                ClosePauses(clock, at);
                clock.Status = SlaClockStatus.Cancelled;
                clock.CancelledAt = at;
                continue;
            }

            // Compared with the rule's own target: an approved extension survives a re-classification that keeps the rule.
            if (target.Target != new SlaTarget(clock.RuleAmount, clock.Unit, clock.RollForward))
            {
                clock.Changes.Add(new SlaClockChange
                {
                    Cycle = clock.Cycle, At = at, Cause = SlaChangeCause.Retarget, Amount = target.Target.Amount,
                    Unit = target.Target.Unit, RollForward = target.Target.RollForwardWhenLastDayIsNonWorking, RuleId = target.Source.RuleId,
                });
                clock.Amount = target.Target.Amount;
                clock.Unit = target.Target.Unit;
                clock.RollForward = target.Target.RollForwardWhenLastDayIsNonWorking;
                clock.RuleAmount = target.Target.Amount;
            }

            ApplyRule(clock, target);
        }

        foreach (var target in resolution.Where(r => r.Type != SlaTargetType.NextResponse
            && !clocks.Any(k => k.TargetType == r.Type && k.Layer == r.Layer)))
        {
            var clock = NewClock(c.Id, target, at, calendar.CalendarId);
            if (c.Status == CaseStatus.Resolved)
            {
                // The resolution was communicated already: a target the new kind adds is met now, not counting down on
                // a resolved case; a reopen restarts the resolution like any other (the resolved time is a pause).
                Meet(clock, at);
            }

            db.Add(clock);
            clocks.Add(clock);
        }

        Finish(c, clocks, calendar);
    }

    /// <summary>
    /// PRC "new facts and reasons restart the handling period": the clock starts again now with the rule's target
    /// (extensions, pauses and changes of the earlier cycle stay on record but no longer count).
    /// </summary>
    public void Restart(SlaClock clock, DateTimeOffset at, string reason)
    {
        clock.Cycle++;
        clock.StartedAt = at;
        clock.InitialAmount = clock.RuleAmount;
        clock.InitialUnit = clock.Unit;
        clock.InitialRollForward = clock.RollForward;
        clock.Amount = clock.RuleAmount;
        clock.Status = SlaClockStatus.Running;
        clock.MetAt = null;
        clock.BreachedAt = null;
        clock.RestartReason = reason;
        clock.RestartedAt = at;
    }

    /// <summary>Recomputes every open clock and the case's due instant (after a restart or an extension).</summary>
    public void Finish(Case c, IReadOnlyList<SlaClock> clocks, SlaCalendarChoice calendar)
    {
        foreach (var clock in clocks)
        {
            Recompute(clock, calendar.Calendar);
        }

        c.DueAt = EarliestDue(clocks);
    }

    public Task<List<SlaClock>> LoadAsync(long caseId, CancellationToken ct) =>
        db.Set<SlaClock>().Include(k => k.Pauses).Include(k => k.Changes).Where(k => k.CaseId == caseId).OrderBy(k => k.Id).ToListAsync(ct);

    /// <summary>The engine's view of a clock's current cycle.</summary>
    public static SlaTimeline Timeline(SlaClock clock) => new(
        Instant.FromDateTimeOffset(clock.StartedAt),
        clock.InitialTarget,
        clock.Pauses.Where(p => p.Cycle == clock.Cycle).OrderBy(p => p.FromAt)
            .Select(p => new SlaPause(Instant.FromDateTimeOffset(p.FromAt), p.ToAt is { } to ? Instant.FromDateTimeOffset(to) : null)),
        clock.Changes.Where(x => x.Cycle == clock.Cycle).OrderBy(x => x.At).ThenBy(x => x.Id)
            .Select(x => new TargetChange(Instant.FromDateTimeOffset(x.At), new SlaTarget(x.Amount, x.Unit, x.RollForward))));

    /// <summary>
    /// Deadline and warning instants from the timeline; the next alert instant is the earliest level instant
    /// (levels already raised are skipped by the sweep's unique insert).
    /// </summary>
    public void Recompute(SlaClock clock, BusinessCalendar calendar)
    {
        if (!clock.IsOpen)
        {
            clock.NextAlertAt = null;
            return;
        }

        var engine = new DeadlineCalculator(calendar);
        var timeline = Timeline(clock);
        var result = engine.Calculate(timeline);
        clock.DueAt = result.Deadline?.ToDateTimeOffset();
        if (clock.Status == SlaClockStatus.Breached && clock.DueAt > clock.BreachedAt)
        {
            // Extended or re-targeted past the old deadline: counting again (the breach alert stays on record; the
            // sweep marks it breached again if the new deadline has passed too).
            clock.Status = SlaClockStatus.Running;
            clock.BreachedAt = null;
        }

        clock.Warning1At = Warning(engine, timeline, clock.WarningPercent1);
        clock.Warning2At = Warning(engine, timeline, clock.WarningPercent2);
        if (clock.DueAt is null)
        {
            clock.NextAlertAt = null;
            return;
        }

        DateTimeOffset?[] levels = [clock.Warning1At, clock.Warning2At, clock.DueAt];
        clock.NextAlertAt = levels.Where(l => l is not null).Min();
    }

    private static DateTimeOffset? Warning(DeadlineCalculator engine, SlaTimeline timeline, int percent) =>
        percent is > 0 and < 100 ? engine.CalculateWarning(timeline, percent).Deadline?.ToDateTimeOffset() : null;

    private async Task StartNextResponseAsync(Case c, List<SlaClock> clocks, DateTimeOffset at, SlaCalendarChoice calendar, CancellationToken ct)
    {
        var resolution = await ResolveAsync(c, at, ct);
        foreach (var target in resolution.Where(r => r.Type == SlaTargetType.NextResponse))
        {
            var clock = clocks.FirstOrDefault(k => k.TargetType == SlaTargetType.NextResponse && k.Layer == target.Layer);
            if (clock is null)
            {
                clock = NewClock(c.Id, target, at, calendar.CalendarId);
                db.Add(clock);
                clocks.Add(clock);
            }
            else if (!clock.IsOpen)
            {
                ApplyRule(clock, target);
                clock.RuleAmount = target.Target.Amount;
                clock.Unit = target.Target.Unit;
                clock.RollForward = target.Target.RollForwardWhenLastDayIsNonWorking;
                Restart(clock, at, "NextResponse");
                clock.RestartReason = null;
                clock.RestartedAt = null;
                clock.CancelledAt = null;
            }
        }
    }

    private async Task<IReadOnlyList<ResolvedTarget>> ResolveAsync(Case c, DateTimeOffset at, CancellationToken ct)
    {
        var tier = c.CustomerId is { } customerId
            ? await db.Set<Customer>().AsNoTracking().Where(x => x.Id == customerId).Select(x => (CustomerTier?)x.Tier).SingleOrDefaultAsync(ct) ?? CustomerTier.Standard
            : CustomerTier.Standard;
        // The case's branch decides the regulatory regime (its own preset, else the institution's; decision 0016).
        var outcome = await standards.ResolveTargetsAsync(c.Kind.ToString(), c.Priority.ToString(), tier.ToString(), c.Channel.ToString(), Instant.FromDateTimeOffset(at), c.BranchId, ct);
        return outcome.Succeeded ? outcome.Value!.Targets : [];
    }

    private static SlaClock NewClock(long caseId, ResolvedTarget target, DateTimeOffset at, long? calendarId)
    {
        var clock = new SlaClock
        {
            CaseId = caseId,
            TargetType = target.Type,
            Layer = target.Layer,
            InitialAmount = target.Target.Amount,
            InitialUnit = target.Target.Unit,
            InitialRollForward = target.Target.RollForwardWhenLastDayIsNonWorking,
            Amount = target.Target.Amount,
            Unit = target.Target.Unit,
            RollForward = target.Target.RollForwardWhenLastDayIsNonWorking,
            RuleAmount = target.Target.Amount,
            StartedAt = at,
            Status = SlaClockStatus.Running,
            CalendarId = calendarId,
        };
        ApplyRule(clock, target);
        return clock;
    }

    private static void ApplyRule(SlaClock clock, ResolvedTarget target)
    {
        clock.StandardId = target.Source.StandardId;
        clock.StandardCode = target.Source.StandardCode;
        clock.StandardVersionId = target.Source.StandardVersionId;
        clock.StandardVersionNumber = target.Source.VersionNumber;
        clock.RuleId = target.Source.RuleId;
        clock.RuleMatch = target.Source.Match.Length > 200 ? target.Source.Match[..200] : target.Source.Match;
        clock.MaxExtension = target.MaxExtension;
        clock.ExtensionNeedsApproval = target.ExtensionNeedsApproval;
        clock.ExtensionNoticeToCustomer = target.ExtensionNoticeToCustomer;
        clock.WarningPercent1 = target.WarningPercents.Count > 0 ? (int)target.WarningPercents[0] : 0;
        clock.WarningPercent2 = target.WarningPercents.Count > 1 ? (int)target.WarningPercents[1] : 0;
        clock.PauseReasons = SlaPauseReasons.Format(target.PauseReasons);
    }

    private static void Meet(SlaClock clock, DateTimeOffset at)
    {
        ClosePauses(clock, at);
        clock.Status = SlaClockStatus.Met;
        clock.MetAt = at;
        clock.NextAlertAt = null;
    }

    /// <summary>Ends every open pause of the clock at <paramref name="at"/>.</summary>
    internal static void ClosePauses(SlaClock clock, DateTimeOffset at)
    {
        foreach (var pause in clock.Pauses.Where(p => p.ToAt is null))
        {
            pause.ToAt = at;
        }
    }

    private static DateTimeOffset? EarliestDue(IEnumerable<SlaClock> clocks) =>
        clocks.Where(k => k.Status is SlaClockStatus.Running or SlaClockStatus.Breached && k.DueAt is not null).Select(k => k.DueAt).Min();

    internal SlaOptions Options => options.Value;
}
