using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>Reading tickets: the response record of one, with its events.</summary>
internal static class QueueTickets
{
    /// <param name="known">
    /// The ticket's service types and counter when the caller has them loaded already (a call: the counter's served types and the
    /// counter), so that the response costs no reads for them; each is read when missing or not the ticket's.
    /// </param>
    public static async Task<TicketDto> DtoAsync(StewardDbContext db, QueueTicket t, bool forStaff, CancellationToken ct,
        (IReadOnlyList<QueueServiceType> Types, QueueCounter Counter)? known = null)
    {
        var type = known?.Types.FirstOrDefault(s => s.Id == t.ServiceTypeId) is { } loaded
            ? new { loaded.Name, loaded.NameEn }
            : await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.Id == t.ServiceTypeId).Select(s => new { s.Name, s.NameEn }).SingleAsync(ct);
        var counter = t.CounterId is not { } cid ? null
            : known?.Counter.Id == cid ? known.Value.Counter.Number
            : await db.Set<QueueCounter>().AsNoTracking().Where(c => c.Id == cid).Select(c => (int?)c.Number).SingleAsync(ct);
        var ahead = t.Status == TicketStatus.Waiting
            ? await db.Set<QueueTicket>().AsNoTracking().CountAsync(o => o.ServiceTypeId == t.ServiceTypeId && o.Status == TicketStatus.Waiting && o.Id != t.Id && o.WaitingSince <= t.WaitingSince, ct)
            : 0;
        var events = forStaff
            ? await db.Set<QueueTicketEvent>().AsNoTracking().Where(e => e.TicketId == t.Id).OrderBy(e => e.Id)
                .Select(e => new TicketEventDto(e.Kind.ToString(), e.At, e.CounterId, e.StaffId, e.ServiceTypeId, e.Outcome == null ? null : e.Outcome.ToString())).ToListAsync(ct)
            : null;
        return new TicketDto(t.Id, t.Number, t.ServiceTypeId, type.Name, type.NameEn, t.Status.ToString(), t.IssuedAt, t.WaitingSince, ahead,
            forStaff ? t.Priority.ToString() : null, forStaff ? t.CustomerId : null, counter, t.CallCount, t.Outcome?.ToString(), events, t.EstimatedWaitMinutes);
    }
}
