using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Queues;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

public sealed class OutOfOrderCallTests
{
    [Theory, BothDatabases]
    public async Task CallOutOfOrder_WithReason_CallsThatTicket_CountsThePassedOver_AndIsAudited(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var counter = await w.AddCounterAsync(1, false, a.Id);
        var (staff, desk) = await w.StaffAtCounterAsync(counter.Id);
        var first = await w.IssueAsync(a.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await w.IssueAsync(a.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var third = await w.IssueAsync(a.Id);

        // No reason: 400 at the field, nothing called.
        var missing = await (await desk.PostJsonAsync($"{w.Base}/tickets/{third.Id}/call", new { reason = "  " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal("Waiting", (await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().SingleAsync(t => t.Id == third.Id))).Status.ToString());

        var called = await (await desk.PostJsonAsync($"{w.Base}/tickets/{third.Id}/call", new { reason = "Appointment kept 预约客户" })).ShouldBeAsync<TicketDto>(HttpStatusCode.OK);
        Assert.Equal(("A003", "Called", (int?)1), (called.Number, called.Status, called.CounterNumber));

        // A001 and A002 were passed over: each counted overtaken once; the record names A001 as the one the order would have called.
        var tickets = await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == first.Id || t.Id == second.Id).OrderBy(t => t.Id).ToListAsync());
        Assert.Equal([1, 1], tickets.Select(t => t.OvertakenCount));
        var record = await app.WithDbAsync(db => db.Set<QueueOutOfOrderCall>().AsNoTracking().SingleAsync());
        Assert.Equal((third.Id, counter.Id, staff.Id, "Appointment kept 预约客户", "A001", 2), (record.TicketId, record.CounterId, record.StaffId, record.Reason, record.NextInOrder, record.PassedOver));
        var audit = await app.WithDbAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(e => e.EntityType == "QueueOutOfOrderCall").ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal((AuditAction.Created, (long?)staff.Id, (long?)w.Branch.Id), (entry.Action, entry.ActorId, entry.BranchId));
        Assert.Contains("Appointment kept", entry.Changes, StringComparison.Ordinal);
        var events = await app.WithDbAsync(db => db.Set<QueueTicketEvent>().AsNoTracking().Where(e => e.TicketId == third.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal([TicketEventKind.Issued, TicketEventKind.Called], events);

        // Busy counter, and a ticket no longer waiting: 409.
        await (await desk.PostJsonAsync($"{w.Base}/tickets/{first.Id}/call", new { reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await w.ActAsync(desk, third.Id, "serve");
        await w.ActAsync(desk, third.Id, "finish");
        var again = await (await desk.PostJsonAsync($"{w.Base}/tickets/{third.Id}/call", new { reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ticket-wrong-state", again.GetProperty("code").GetString());
    }
}
