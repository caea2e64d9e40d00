using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>
/// The waiting-time estimate (decision 0044): position × mean recent counter time ÷ open counters serving the type, in whole
/// minutes rounded up. "Counter time" of a visit is called → finished (walk-up and service: how long the counter is taken),
/// averaged over the <see cref="QueueOptions.EstimateSampleSize"/> latest visits of the type at the branch finished within
/// <see cref="QueueOptions.EstimateHistoryDays"/>. With no such visit the estimate is the type's target wait. Counters open
/// are those with someone signed in that serve the type; with none open it counts one (the branch is about to open).
/// Position is the ticket's place among the waiting tickets of its type (1 = next); classes and counters shared with other
/// types are not modelled — the measured error (<see cref="QueueStatsReader"/>) shows what that costs.
/// </summary>
public static class WaitEstimate
{
    public static int Minutes(int position, double? meanCounterMinutes, int openCounters, int targetWaitMinutes) =>
        meanCounterMinutes is { } mean
            ? (int)Math.Ceiling(Math.Round(Math.Max(1, position) * mean / Math.Max(1, openCounters), 6))
            : targetWaitMinutes;
}

/// <summary>What the estimate of one service type needs now: its recent mean counter time, counters open, target wait.</summary>
public sealed record ServiceLoad(long ServiceTypeId, double? MeanCounterMinutes, int SampleSize, int OpenCounters, int TargetWaitMinutes)
{
    public int EstimateFor(int position) => WaitEstimate.Minutes(position, MeanCounterMinutes, OpenCounters, TargetWaitMinutes);
}

/// <summary>Reads the <see cref="ServiceLoad"/> of a branch's service types from the tickets and counters.</summary>
public sealed class WaitEstimator(StewardDbContext db, IOptions<QueueOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<long, ServiceLoad>> LoadsAsync(long branchId, IEnumerable<QueueServiceType> types, CancellationToken ct = default)
    {
        var since = time.GetUtcNow().AddDays(-options.Value.EstimateHistoryDays);
        var open = (await db.Set<QueueCounter>().AsNoTracking().Where(c => c.BranchId == branchId && c.IsActive && c.StaffId != null).Select(c => c.ServiceTypeIds).ToListAsync(ct))
            .Select(QueueIds.Parse).ToList();
        var loads = new Dictionary<long, ServiceLoad>();
        foreach (var type in types)
        {
            var recent = await db.Set<QueueTicket>().AsNoTracking()
                .Where(t => t.BranchId == branchId && t.ServiceTypeId == type.Id && t.Status == TicketStatus.Finished && t.CalledAt != null && t.EndedAt != null && t.EndedAt >= since)
                .OrderByDescending(t => t.EndedAt).ThenByDescending(t => t.Id).Take(options.Value.EstimateSampleSize)
                .Select(t => new { CalledAt = t.CalledAt!.Value, EndedAt = t.EndedAt!.Value }).ToListAsync(ct);
            double? mean = recent.Count == 0 ? null : recent.Average(r => (r.EndedAt - r.CalledAt).TotalMinutes);
            loads[type.Id] = new ServiceLoad(type.Id, mean, recent.Count, open.Count(ids => ids.Contains(type.Id)), type.TargetWaitMinutes);
        }

        return loads;
    }

    public async Task<ServiceLoad> LoadAsync(QueueServiceType type, CancellationToken ct = default) => (await LoadsAsync(type.BranchId, [type], ct))[type.Id];
}
