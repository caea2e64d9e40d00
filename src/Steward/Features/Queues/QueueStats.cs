using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

public sealed record QueueStatsQuery
{
    public long Id { get; init; }

    /// <summary>How many branch days of history, today included (1–31, default 7).</summary>
    public int? Days { get; init; }
}

/// <summary>The branch manager's view of the queue at <see cref="AsOf"/>; days are the branch's local dates.</summary>
public sealed record QueueStatsDto(
    long BranchId, string BranchName, string BranchNameEn, string TimeZone, DateTimeOffset AsOf, DateOnly Today, int Days, IReadOnlyList<QueueTypeStatsDto> Types,
    QueueLongestWaitDto? LongestWait, IReadOnlyList<QueueCounterStatsDto> Counters, QueueOutcomeCountsDto TodayOutcomes, IReadOnlyList<QueueDayStatsDto> History,
    IReadOnlyList<AppointmentCountsDto>? TodayAppointments = null);

/// <summary>
/// One service type now (waiting, longest wait in whole minutes, counters open, mean counter time, the estimate for a ticket
/// taken now) and the accuracy of its estimates over the days shown: mean absolute error in minutes over the <c>EstimateCount</c>
/// tickets issued for it that have been called (actual wait = issue → first call).
/// </summary>
public sealed record QueueTypeStatsDto(
    long ServiceTypeId, string Prefix, string Name, string NameEn, int TargetWaitMinutes, int Waiting, int? LongestWaitMinutes, int OpenCounters,
    double? MeanCounterMinutes, int EstimateNow, double? EstimateMaeMinutes, int EstimateCount);

public sealed record QueueLongestWaitDto(string Number, long ServiceTypeId, DateTimeOffset WaitingSince, int Minutes);

public sealed record QueueCounterStatsDto(int Number, string Name, string NameEn, bool Open, string? StaffName, DateTimeOffset? Since, string? CurrentTicket);

/// <summary>
/// A day's tickets by where they ended: served (finished), no-show (called, never came), left before service (recorded as left,
/// or — on a past day — still waiting or called at its end: never answered), open (today: waiting or at a counter).
/// These four add up to <see cref="Issued"/>; <see cref="Transferred"/> counts tickets transferred at least once, whatever their end.
/// </summary>
public sealed record QueueOutcomeCountsDto(int Issued, int Served, int NoShow, int Left, int Open, int Transferred);

public sealed record QueueDayStatsDto(DateOnly Date, QueueOutcomeCountsDto Outcomes, double? MeanWaitMinutes, double? EstimateMaeMinutes, int EstimateCount);

/// <summary>
/// Reads <see cref="QueueStatsDto"/> from the tickets and their events (decision 0044). Branch managers and team leads see
/// their own branches, institution-wide roles every branch (<see cref="Permission.ReportsRead"/>, like the other reports).
/// </summary>
public sealed class QueueStatsReader(StewardDbContext db, CurrentUser user, WaitEstimator estimator, Appointments appointments, TimeProvider time)
{
    public async Task<Outcome<QueueStatsDto>> GetAsync(long branchId, int? days, CancellationToken ct = default)
    {
        if (!user.Can(Permission.ReportsRead))
        {
            return new QueueForbidden("Only managers and report readers see queue statistics. 仅管理人员可查看排队统计。");
        }

        var branch = user.CanSeeBranch(branchId) ? await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId, ct) : null;
        if (branch is null)
        {
            return new QueueBranchNotFound(branchId);
        }

        var span = days ?? 7;
        if (span is < 1 or > 31)
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["days"] = ["Days must be from 1 to 31. 天数须在 1 到 31 之间。"] });
        }

        var now = time.GetUtcNow();
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(branch.TimeZone) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date.ToDateOnly();
        var from = today.AddDays(1 - span);

        var types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branchId).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        var tickets = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.BranchId == branchId && t.BusinessDate >= from && t.BusinessDate <= today).ToListAsync(ct);
        var events = await db.Set<QueueTicketEvent>().AsNoTracking()
            .Where(e => e.Kind == TicketEventKind.Called || e.Kind == TicketEventKind.Transferred)
            .Join(db.Set<QueueTicket>().Where(t => t.BranchId == branchId && t.BusinessDate >= from && t.BusinessDate <= today), e => e.TicketId, t => t.Id, (e, t) => new { e.TicketId, e.Kind, e.At })
            .ToListAsync(ct);
        var firstCall = events.Where(e => e.Kind == TicketEventKind.Called).GroupBy(e => e.TicketId).ToDictionary(g => g.Key, g => g.Min(e => e.At));
        var transferred = events.Where(e => e.Kind == TicketEventKind.Transferred).Select(e => e.TicketId).ToHashSet();

        // The actual wait of a called ticket and the error of its estimate, in minutes.
        var measured = tickets.Where(t => firstCall.ContainsKey(t.Id))
            .Select(t => (Ticket: t, Wait: (firstCall[t.Id] - t.IssuedAt).TotalMinutes))
            .Select(x => (x.Ticket, x.Wait, Error: x.Ticket.EstimatedWaitMinutes is { } e ? Math.Abs(e - x.Wait) : (double?)null))
            .ToList();

        // Today's queue only: a ticket of a past day still waiting was never answered (counted as left in its day's history).
        var waiting = tickets.Where(t => t.Status == TicketStatus.Waiting && t.BusinessDate == today).ToList();
        var loads = await estimator.LoadsAsync(branchId, types, ct);
        var typeStats = types.Where(s => s.IsActive || waiting.Any(t => t.ServiceTypeId == s.Id)).Select(s =>
        {
            var mine = waiting.Where(t => t.ServiceTypeId == s.Id).ToList();
            var errors = measured.Where(m => m.Ticket.IssuedServiceTypeId == s.Id && m.Error is not null).Select(m => m.Error!.Value).ToList();
            var load = loads[s.Id];
            return new QueueTypeStatsDto(s.Id, s.Prefix, s.Name, s.NameEn, s.TargetWaitMinutes, mine.Count, mine.Count == 0 ? null : WholeMinutes(now - mine.Min(t => t.WaitingSince)),
                load.OpenCounters, Round(load.MeanCounterMinutes), load.EstimateFor(mine.Count + 1), errors.Count == 0 ? null : Round(errors.Average()), errors.Count);
        }).ToList();
        var longest = waiting.OrderBy(t => t.WaitingSince).ThenBy(t => t.Id).FirstOrDefault();

        var counters = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.BranchId == branchId && c.IsActive).OrderBy(c => c.Number).ToListAsync(ct);
        var staffIds = counters.Select(c => c.StaffId).OfType<long>().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        var counterIds = counters.Select(c => c.Id).ToList();
        var current = (await db.Set<QueueTicket>().AsNoTracking()
                .Where(t => t.CounterId != null && counterIds.Contains(t.CounterId.Value) && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving || t.Status == TicketStatus.Parked))
                .Select(t => new { CounterId = t.CounterId!.Value, t.Number, t.Id }).ToListAsync(ct))
            .GroupBy(t => t.CounterId).ToDictionary(g => g.Key, g => g.MaxBy(t => t.Id)!.Number);

        var history = Enumerable.Range(0, span).Select(i => today.AddDays(-i)).Select(day =>
        {
            var errors = measured.Where(m => m.Ticket.BusinessDate == day && m.Error is not null).Select(m => m.Error!.Value).ToList();
            var waits = measured.Where(m => m.Ticket.BusinessDate == day).Select(m => m.Wait).ToList();
            return new QueueDayStatsDto(day, Outcomes(tickets.Where(t => t.BusinessDate == day), day < today, transferred),
                waits.Count == 0 ? null : Round(waits.Average()), errors.Count == 0 ? null : Round(errors.Average()), errors.Count);
        }).ToList();

        return new QueueStatsDto(branch.Id, branch.Name, branch.NameEn, branch.TimeZone, now, today, span, typeStats,
            longest is null ? null : new QueueLongestWaitDto(longest.Number, longest.ServiceTypeId, longest.WaitingSince, WholeMinutes(now - longest.WaitingSince)),
            counters.Select(c => new QueueCounterStatsDto(c.Number, c.Name, c.NameEn, c.StaffId is not null, c.StaffId is { } id ? names.GetValueOrDefault(id) : null, c.StaffSince, current.GetValueOrDefault(c.Id))).ToList(),
            history[0].Outcomes, history, await appointments.CountsAsync(branchId, today, types, ct));
    }

    private static QueueOutcomeCountsDto Outcomes(IEnumerable<QueueTicket> day, bool past, HashSet<long> transferred)
    {
        var list = day.ToList();
        var neverAnswered = past ? list.Count(t => t.Status is TicketStatus.Waiting or TicketStatus.Called) : 0;
        var served = list.Count(t => t.Status == TicketStatus.Finished);
        var noShow = list.Count(t => t.Status == TicketStatus.NoShow);
        var left = list.Count(t => t.Status == TicketStatus.Left) + neverAnswered;
        return new QueueOutcomeCountsDto(list.Count, served, noShow, left, list.Count - served - noShow - left, list.Count(t => transferred.Contains(t.Id)));
    }

    /// <summary>Completed minutes (a wait of 29 min 59 s is 29).</summary>
    private static int WholeMinutes(TimeSpan span) => (int)Math.Floor(span.TotalMinutes);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 1, MidpointRounding.AwayFromZero) : null;
}
