using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Queues;

/// <summary>One branch visit of a customer who identified themselves at the kiosk, with the wait and the service measured from its events.</summary>
public sealed record CustomerQueueVisit(
    long TicketId, string Number, string BranchCode, string ServiceName, string ServiceNameEn, DateTimeOffset IssuedAt, string Zone,
    TicketStatus Status, TicketOutcome? Outcome, int? WaitedMinutes, int? ServedMinutes);

/// <summary>
/// The customer page's queue visits (issue 12's 360 view, issue 14's visits): the last ten, only at branches the reader may see
/// (a visit at another branch is that branch's business); wait = first call − issue, service = end − serving start.
/// </summary>
public sealed class CustomerQueueVisitsViewComponent(StewardDbContext db, CurrentUser user) : ViewComponent
{
    public const int Shown = 10;

    public async Task<IViewComponentResult> InvokeAsync(long customerId)
    {
        var ct = HttpContext.RequestAborted;
        if (!await CustomerDirectory.Within(db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds).AnyAsync(c => c.Id == customerId, ct))
        {
            return Content("");
        }

        var tickets = db.Set<QueueTicket>().AsNoTracking().Where(t => t.CustomerId == customerId);
        if (!user.HasInstitutionScope)
        {
            var branches = user.BranchIds.ToList();
            tickets = tickets.Where(t => branches.Contains(t.BranchId));
        }

        var rows = await tickets.OrderByDescending(t => t.IssuedAt).ThenByDescending(t => t.Id).Take(Shown)
            .Join(db.Set<QueueServiceType>(), t => t.ServiceTypeId, s => s.Id, (t, s) => new { t, s.Name, s.NameEn })
            .Join(db.Set<Branch>(), x => x.t.BranchId, b => b.Id, (x, b) => new { x.t, x.Name, x.NameEn, b.Code, b.TimeZone })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.t.Id).ToList();
        var events = (await db.Set<QueueTicketEvent>().AsNoTracking().Where(e => ids.Contains(e.TicketId)).ToListAsync(ct))
            .GroupBy(e => e.TicketId).ToDictionary(g => g.Key, g => g.OrderBy(e => e.At).ThenBy(e => e.Id).ToList());
        var visits = rows.OrderByDescending(r => r.t.IssuedAt).ThenByDescending(r => r.t.Id).Select(r =>
        {
            var trail = events.GetValueOrDefault(r.t.Id) ?? [];
            var called = trail.FirstOrDefault(e => e.Kind == TicketEventKind.Called)?.At;
            var serving = trail.FirstOrDefault(e => e.Kind == TicketEventKind.Serving)?.At;
            var ended = trail.LastOrDefault(e => e.Kind is TicketEventKind.Finished)?.At;
            return new CustomerQueueVisit(r.t.Id, r.t.Number, r.Code, r.Name, r.NameEn, r.t.IssuedAt, r.TimeZone, r.t.Status, r.t.Outcome,
                called is { } c ? (int)Math.Round((c - r.t.IssuedAt).TotalMinutes) : null,
                serving is { } s && ended is { } e ? (int)Math.Round((e - s).TotalMinutes) : null);
        }).ToList();
        return View("/Features/Queues/_CustomerQueueVisits.cshtml", visits);
    }
}
