using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// The branch screen's live channel. A board joins its branch's group; on every change of the branch's queue each node tells
/// its connected boards <c>changed(sequence)</c> and the board reads <c>GET …/queue/board</c> again (after a reconnect too,
/// so nothing missed while offline is lost). Public like the board itself: it carries ticket numbers and counters only.
/// </summary>
[AllowAnonymous]
public sealed class QueueBoardHub : Hub
{
    public const string Path = "/hubs/queue-board";

    public Task Join(long branchId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(branchId));

    public static string Group(long branchId) => "branch-" + branchId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Tells the boards of a branch that its queue changed; <c>sequence</c> is the branch's call sequence when the change was a
/// call. Called after the change is committed. This node's boards are told at once; on PostgreSQL the change is also
/// published with <c>pg_notify</c> so that every other node's <see cref="QueueNotifyListener"/> tells its boards (decision 0034).
/// </summary>
public sealed class QueueNotifier(IHubContext<QueueBoardHub> hub, StewardDbContext db, QueueFanOut fanOut)
{
    public async Task ChangedAsync(long branchId, long? sequence, CancellationToken ct)
    {
        await hub.Clients.Group(QueueBoardHub.Group(branchId)).SendAsync("changed", sequence, ct);
        if (db.IsPostgres)
        {
            var payload = QueueFanOut.Payload(fanOut.NodeId, branchId, sequence);
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({QueueFanOut.Channel}, {payload})", ct);
        }
    }
}

/// <summary>The board's state: the latest calls (today, branch-local), and how many wait per service type.</summary>
public sealed class QueueBoardReader(StewardDbContext db, WaitEstimator estimator)
{
    public const int Calls = 8;

    public async Task<Outcome<BoardDto>> GetAsync(long branchId, CancellationToken ct = default)
    {
        var branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        if (branch is null)
        {
            return new QueueBranchNotFound(branchId);
        }

        var sequence = await db.Set<QueueBranchState>().AsNoTracking().Where(s => s.BranchId == branchId).Select(s => s.CallSequence).SingleOrDefaultAsync(ct);
        var calls = await db.Set<QueueTicketEvent>().AsNoTracking()
            .Where(e => e.Kind == TicketEventKind.Called || e.Kind == TicketEventKind.Recalled)
            .Join(db.Set<QueueTicket>().Where(t => t.BranchId == branchId), e => e.TicketId, t => t.Id, (e, t) => new { e, t })
            .Join(db.Set<QueueCounter>(), x => x.e.CounterId, c => c.Id, (x, c) => new { x.e, x.t, c })
            .OrderByDescending(x => x.e.Id).Take(Calls)
            .Select(x => new BoardCallDto(x.t.Number, x.c.Number, x.c.Name, x.c.NameEn, x.e.At, x.t.CallCount))
            .ToListAsync(ct);
        var types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branchId && s.IsActive).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        var waiting = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.BranchId == branchId && t.Status == TicketStatus.Waiting)
            .GroupBy(t => t.ServiceTypeId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var loads = await estimator.LoadsAsync(branchId, types, ct);
        return new BoardDto(branch.Id, branch.Name, branch.NameEn, sequence, calls,
            types.Select(s => new BoardWaitingDto(s.Id, s.Prefix, s.Name, s.NameEn, waiting.GetValueOrDefault(s.Id), loads[s.Id].EstimateFor(waiting.GetValueOrDefault(s.Id) + 1))).ToList());
    }
}
