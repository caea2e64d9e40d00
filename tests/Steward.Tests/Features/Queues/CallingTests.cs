using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

public sealed class CallingTests
{
    [Theory, BothDatabases]
    public async Task CallNext_TenCountersAtOnce_NeverHandOneTicketToTwo(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var desks = new List<HttpClient>();
        for (var n = 1; n <= 10; n++)
        {
            desks.Add((await w.StaffAtCounterAsync((await w.AddCounterAsync(n, false, a.Id)).Id)).Client);
        }

        // Round 1: 14 waiting, 10 counters call together → 10 different tickets. Round 2: 4 left → 4 calls get one, 6 get 204.
        var issued = new List<TicketDto>();
        for (var i = 0; i < 14; i++)
        {
            issued.Add(await w.IssueAsync(a.Id));
        }

        var first = await Task.WhenAll(desks.Select(d => w.CallAsync(d)));
        Assert.All(first, t => Assert.NotNull(t));
        Assert.Equal(10, first.Select(t => t!.Id).Distinct().Count());
        // The longest waiting go first: A001–A010, whichever counter got which.
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"A{i:000}"), first.Select(t => t!.Number).Order(StringComparer.Ordinal));
        Assert.Equal(10, first.Select(t => t!.CounterNumber).Distinct().Count());

        foreach (var (desk, ticket) in desks.Zip(first))
        {
            await w.ActAsync(desk, ticket!.Id, "serve");
            await w.ActAsync(desk, ticket.Id, "finish");
        }

        var second = await Task.WhenAll(desks.Select(d => w.CallAsync(d)));
        Assert.Equal(["A011", "A012", "A013", "A014"], second.OfType<TicketDto>().Select(t => t.Number).Order(StringComparer.Ordinal));
        Assert.Equal(6, second.Count(t => t is null));

        var calls = await app.WithDbAsync(db => db.Set<QueueTicketEvent>().AsNoTracking().Where(e => e.Kind == TicketEventKind.Called).ToListAsync());
        Assert.Equal(14, calls.Count);
        Assert.Equal(14, calls.Select(c => c.TicketId).Distinct().Count());
        var tickets = await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().ToListAsync());
        Assert.Equal(14, tickets.Count);
        Assert.All(tickets, t => Assert.Equal(calls.Single(c => c.TicketId == t.Id).CounterId, t.CounterId));
    }

    [Theory, BothDatabases]
    public async Task CallNext_Errors_NoCounter_UnknownServiceType_NotServed_AreProblems(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");
        var counter = await w.AddCounterAsync(1, false, a.Id);

        var (_, nobody) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        var noCounter = await (await nobody.PostJsonAsync($"{w.Base}/calls", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("no-counter", noCounter.GetProperty("code").GetString());
        var taken = await (await nobody.PostAsync($"{w.Base}/counters/{counter.Id}/sign-in", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(counter.Id, taken.GetProperty("counter").GetProperty("id").GetInt64());

        // One staff member on one counter: a second person is refused the taken counter.
        var (_, other) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        var busy = await (await other.PostAsync($"{w.Base}/counters/{counter.Id}/sign-in", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("counter-taken", busy.GetProperty("code").GetString());
        // …and one counter per staff member.
        var second = await w.AddCounterAsync(2, false, a.Id);
        var twice = await (await nobody.PostAsync($"{w.Base}/counters/{second.Id}/sign-in", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("already-on-counter", twice.GetProperty("code").GetString());

        var unknown = await (await nobody.PostJsonAsync($"{w.Base}/calls", new { serviceTypeId = 999_999 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("unknown-service-type", unknown.GetProperty("code").GetString());
        var notServed = await (await nobody.PostJsonAsync($"{w.Base}/calls", new { serviceTypeId = b.Id })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("service-type-not-served", notServed.GetProperty("code").GetString());

        var ticket = await w.IssueAsync(a.Id);
        Assert.Equal(ticket.Id, (await w.CallAsync(nobody))!.Id);
        await w.IssueAsync(a.Id);
        var holding = await (await nobody.PostJsonAsync($"{w.Base}/calls", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ticket-wrong-state", holding.GetProperty("code").GetString());
        Assert.Contains("A001", holding.GetProperty("detail").GetString());
        var badTransfer = await (await nobody.PostJsonAsync($"{w.Base}/tickets/{ticket.Id}/transfer", new { serviceTypeId = 999_999 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("unknown-service-type", badTransfer.GetProperty("code").GetString());

        // A customer of another branch's staff: the branch is outside the caller's scope.
        var elsewhere = await app.CreateBranchAsync();
        var (_, stranger) = await app.SignInAsync(elsewhere.Id, StaffRole.Agent);
        await (await stranger.PostJsonAsync($"{w.Base}/calls", new { })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task CallNext_ServiceTypeNeedingAQualification_GoesOnlyToCountersWhoseStaffHoldsIt(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var wm = await w.QualificationTypeIdAsync("BANKING-WM");
        var cash = await w.AddServiceTypeAsync("A");
        var wealth = await w.AddServiceTypeAsync("W", wm);
        var (_, unqualified) = await w.StaffAtCounterAsync((await w.AddCounterAsync(1, false, cash.Id, wealth.Id)).Id);
        var (adviser, qualified) = await w.StaffAtCounterAsync((await w.AddCounterAsync(2, false, cash.Id, wealth.Id)).Id);
        await w.GrantAsync(adviser.Id, wm);

        var w001 = await w.IssueAsync(wealth.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var a001 = await w.IssueAsync(cash.Id);

        // W001 waited longer, but counter 1's staff has no wealth-management qualification: it gets A001, and W001 waits.
        Assert.Equal(a001.Id, (await w.CallAsync(unqualified))!.Id);
        var desk = await (await unqualified.GetAsync($"{w.Base}/desk")).ShouldBeAsync<DeskDto>(HttpStatusCode.OK);
        Assert.Equal(["A"], desk.Serves.Select(s => s.Prefix));
        Assert.Equal(w001.Id, (await w.CallAsync(qualified))!.Id);
    }

    [Theory, BothDatabases]
    public async Task CallNext_VipWithinItsHeadStart_GoesFirst_ButNotPastATicketAtTheBound(DatabaseProvider provider)
    {
        // Head start VIP 10 min (default), bound 30 min.
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        await app.CreateCustomerAsync(w.Branch.Id, Steward.Features.Customers.CustomerTier.Private, phone: "13800138009");
        var (_, desk) = await w.StaffAtCounterAsync((await w.AddCounterAsync(1, false, a.Id)).Id);

        // 09:00 normal A001; 09:05 VIP A002: A002's virtual arrival is 08:55, before A001's 09:00 → A002 first.
        var a001 = await w.IssueAsync(a.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var a002 = await w.IssueAsync(a.Id, "13800138009");
        Assert.Equal(a002.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, a002.Id, "serve");
        await w.ActAsync(desk, a002.Id, "finish");
        Assert.Equal(a001.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, a001.Id, "serve");

        // 09:10 normal A003. At 09:40 (A003 waited 30 min = the bound) a VIP A004 comes: virtual 09:30 is before 09:10? No —
        // 09:30 is after 09:10, and besides A003 is due; A003 first.
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var a003 = await w.IssueAsync(a.Id);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var a004 = await w.IssueAsync(a.Id, "13800138009");
        await w.ActAsync(desk, a001.Id, "finish");
        Assert.Equal(a003.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, a003.Id, "serve");
        await w.ActAsync(desk, a003.Id, "finish");
        Assert.Equal(a004.Id, (await w.CallAsync(desk))!.Id);
    }

    [Theory, BothDatabases]
    public async Task CallNext_ATicketOvertakenMaxTimes_IsCalledBeforeAnyLaterOne(DatabaseProvider provider)
    {
        // At most 2 overtakes; VIP head start 10 minutes; bound far away (60).
        var w = await QueueWorld.StartAsync(provider, new Dictionary<string, string?> { ["Queues:MaxOvertakes"] = "2", ["Queues:MaxWaitMinutes"] = "60" });
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        await app.CreateCustomerAsync(w.Branch.Id, Steward.Features.Customers.CustomerTier.Gold, phone: "13800138010");
        var (_, desk) = await w.StaffAtCounterAsync((await w.AddCounterAsync(1, false, a.Id)).Id);

        // 09:00 normal A001, then VIPs at 09:01, 09:02, 09:03: each VIP's virtual arrival (08:51 …) is before 09:00.
        var a001 = await w.IssueAsync(a.Id);
        var vips = new List<TicketDto>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            vips.Add(await w.IssueAsync(a.Id, "13800138010"));
        }

        // VIP 1 and VIP 2 overtake A001 (count 2 = the maximum), then A001 goes before VIP 3.
        var order = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var t = (await w.CallAsync(desk))!;
            order.Add(t.Number);
            await w.ActAsync(desk, t.Id, "serve");
            await w.ActAsync(desk, t.Id, "finish");
        }

        Assert.Equal(["A002", "A003", "A001", "A004"], order);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<QueueTicket>().Where(t => t.Id == a001.Id).Select(t => t.OvertakenCount).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task Visit_RecallNoShowTransferFinish_KeepsEveryPeriodAsEventsInOrder(DatabaseProvider provider)
    {
        // No-show after 2 calls (default).
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");
        var (_, desk1) = await w.StaffAtCounterAsync((await w.AddCounterAsync(1, false, a.Id)).Id);
        var (_, desk2) = await w.StaffAtCounterAsync((await w.AddCounterAsync(2, false, b.Id)).Id);

        var gone = await w.IssueAsync(a.Id);
        var moved = await w.IssueAsync(a.Id);
        await w.CallAsync(desk1);
        var early = await (await desk1.PostAsync($"{w.Base}/tickets/{gone.Id}/no-show", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("no-show-too-early", early.GetProperty("code").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await w.ActAsync(desk1, gone.Id, "recall")).CallCount);
        Assert.Equal("NoShow", (await w.ActAsync(desk1, gone.Id, "no-show")).Status);

        // Counter 2 may not finish counter 1's ticket.
        Assert.Equal(moved.Id, (await w.CallAsync(desk1))!.Id);
        var foreign = await (await desk2.PostAsync($"{w.Base}/tickets/{moved.Id}/serve", null)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ticket-not-at-your-counter", foreign.GetProperty("code").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await w.ActAsync(desk1, moved.Id, "serve");
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var transferred = await w.ActAsync(desk1, moved.Id, "transfer", new { serviceTypeId = b.Id });
        Assert.Equal("Waiting", transferred.Status);
        Assert.Equal(moved.IssuedAt, transferred.WaitingSince);
        Assert.Equal(moved.Number, transferred.Number);

        Assert.Equal(moved.Id, (await w.CallAsync(desk2))!.Id);
        await w.ActAsync(desk2, moved.Id, "serve");
        await w.ActAsync(desk2, moved.Id, "park");
        await w.ActAsync(desk2, moved.Id, "resume");
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        var done = await w.ActAsync(desk2, moved.Id, "finish", new { outcome = "Referred" });
        Assert.Equal("Finished", done.Status);
        Assert.Equal("Referred", done.Outcome);
        Assert.Equal(["Issued", "Called", "Serving", "Transferred", "Called", "Serving", "Parked", "Resumed", "Finished"], done.Events!.Select(e => e.Kind));
        Assert.Equal(b.Id, done.Events![^1].ServiceTypeId);
        var at = done.Events!.Select(e => e.At).ToList();
        Assert.Equal(at.Order(), at);
        var t0 = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
        Assert.Equal([t0, t0.AddMinutes(1), t0.AddMinutes(2), t0.AddMinutes(5), t0.AddMinutes(5), t0.AddMinutes(5), t0.AddMinutes(5), t0.AddMinutes(5), t0.AddMinutes(9)], at);
    }
}
