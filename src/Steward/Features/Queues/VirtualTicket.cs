using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// The virtual ticket behind the QR code: found by its unguessable token only (a ticket number or id opens nothing), and
/// saying only what the paper ticket says plus where it is now — position among the waiting tickets of its type, the
/// estimate for that position now, the counter once called.
/// </summary>
public sealed class VirtualTicketReader(StewardDbContext db, WaitEstimator estimator)
{
    public async Task<Outcome<VirtualTicketDto>> GetAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 32)
        {
            return new VirtualTicketNotFound();
        }

        var ticket = await db.Set<QueueTicket>().AsNoTracking().SingleOrDefaultAsync(t => t.PublicToken == token, ct);
        if (ticket is null)
        {
            return new VirtualTicketNotFound();
        }

        var branch = await db.Set<Branch>().AsNoTracking().SingleAsync(b => b.Id == ticket.BranchId, ct);
        var type = await db.Set<QueueServiceType>().AsNoTracking().SingleAsync(s => s.Id == ticket.ServiceTypeId, ct);
        int? position = null, estimate = null, counter = null;
        if (ticket.Status == TicketStatus.Waiting)
        {
            position = 1 + await db.Set<QueueTicket>().AsNoTracking().CountAsync(
                o => o.ServiceTypeId == ticket.ServiceTypeId && o.Status == TicketStatus.Waiting && o.Id != ticket.Id
                    && (o.WaitingSince < ticket.WaitingSince || (o.WaitingSince == ticket.WaitingSince && o.Id < ticket.Id)), ct);
            estimate = (await estimator.LoadAsync(type, ct)).EstimateFor(position.Value);
        }
        else if (ticket.CounterId is { } cid && ticket.Status is TicketStatus.Called or TicketStatus.Serving or TicketStatus.Parked)
        {
            counter = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.Id == cid).Select(c => (int?)c.Number).SingleAsync(ct);
        }

        return new VirtualTicketDto(branch.Id, branch.Name, branch.NameEn, ticket.Number, type.Name, type.NameEn, ticket.Status.ToString(), position, estimate, counter, ticket.IssuedAt);
    }
}
