using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Customers;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Steward.Tests.Features.Queues;

/// <summary>
/// A branch day on the fake clock: random arrivals (fixed seed) of three service types, VIP and senior customers, four counters
/// (one 爱心 counter, one service needing a qualification), walk-ups, no-shows, transfers, and appointments booked through the
/// public API that arrive on time (checking in at the kiosk within their window), late (after the grace) or not at all.
/// Afterwards the stored events alone are checked against the promises: nobody waits beyond the bound while someone who came
/// later is called at a counter able to serve them, nobody is overtaken more than N times, no ticket is lost or called twice at
/// once, every visit's states are in order; an appointment on time became an appointment ticket within its window, a late one a
/// walk-in ticket waiting from its arrival, a missed one a no-show with no ticket.
/// </summary>
public sealed class QueueSimulationTests(ITestOutputHelper output)
{
    private const int Bound = 20;
    private const int MaxOvertakes = 3;

    private enum Desk
    {
        Idle,
        Called,
        Serving,
    }

    private enum Fate
    {
        OnTime,
        Late,
        Missed,
    }

    /// <summary>A booking and when (minute of the day) its customer comes; null: never.</summary>
    private sealed record Booking(AppointmentDto Appointment, Fate Fate, int? ArrivesAt);

    private sealed class Counter(int number, HttpClient client, IReadOnlySet<long> serves)
    {
        public int Number => number;

        public HttpClient Client => client;

        /// <summary>What this counter may be given (qualifications already applied), set by hand below.</summary>
        public IReadOnlySet<long> Serves => serves;

        public Desk State { get; set; }

        public TicketDto? Ticket { get; set; }

        public bool WillNotCome { get; set; }

        public int WalkUpAt { get; set; }

        public int DoneAt { get; set; }

        public long? TransferTo { get; set; }
    }

    [Theory, BothDatabases]
    public async Task BranchDay_RandomArrivals_NobodyWaitsPastTheBoundWhileLaterOnesAreServed_NoneLost_NoneCalledTwice(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider, new Dictionary<string, string?>
        {
            ["Queues:MaxWaitMinutes"] = Bound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queues:MaxOvertakes"] = MaxOvertakes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Queues:NoShowAfterCalls"] = "2",
            // The counters work the whole day on one sign-in.
            ["Security:SignIn:TokenLifetimeMinutes"] = "1440",
        });
        await using var app = w.App;
        var wm = await w.QualificationTypeIdAsync("BANKING-WM");
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");
        var c = await w.AddServiceTypeAsync("C", wm);
        long[] types = [a.Id, b.Id, c.Id];
        var gold = await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Gold, phone: "13800138101");
        var senior = await app.CreateCustomerAsync(w.Branch.Id, CustomerTier.Standard, phone: "13800138102");
        await app.WithDbAsync(db => db.Set<Customer>().Where(x => x.Id == senior.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.BirthDate, new DateOnly(1950, 5, 1))));

        // Counter 1 offers C too, but its staff lacks the qualification: it may receive A and B only.
        var counters = new List<Counter>();
        foreach (var (number, priority, offers, qualified, serves) in new (int, bool, long[], bool, long[])[]
        {
            (1, false, [a.Id, b.Id, c.Id], false, [a.Id, b.Id]),
            (2, false, [a.Id, b.Id], false, [a.Id, b.Id]),
            (3, false, [b.Id, c.Id], true, [b.Id, c.Id]),
            (4, true, [a.Id, b.Id, c.Id], true, [a.Id, b.Id, c.Id]),
        })
        {
            var (staff, client) = await w.StaffAtCounterAsync((await w.AddCounterAsync(number, priority, offers)).Id);
            if (qualified)
            {
                await w.GrantAsync(staff.Id, wm);
            }

            counters.Add(new Counter(number, client, serves.ToHashSet()));
        }

        var counterIds = await app.WithDbAsync(db => db.Set<QueueCounter>().AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Number));
        var random = new Random(20261123);
        var dayStart = app.Clock.GetUtcNow();
        var bookings = await BookAsync(w, [a.Id, b.Id, c.Id], dayStart, random);
        var checkIns = new Dictionary<long, CheckInDto>();
        var issued = 0;
        var transferredOnce = new HashSet<long>();
        var minute = 0;
        for (; minute < 900; minute++)
        {
            if (minute < 450)
            {
                var roll = random.NextDouble();
                var arrivals = roll < 0.05 ? 2 : roll < 0.5 ? 1 : 0;
                for (var i = 0; i < arrivals; i++)
                {
                    var t = random.NextDouble();
                    var type = t < 0.5 ? a.Id : t < 0.8 ? b.Id : c.Id;
                    var who = random.NextDouble();
                    await w.IssueAsync(type, who < 0.1 ? "13800138101" : who < 0.2 ? "13800138102" : null);
                    issued++;
                }
            }

            foreach (var booking in bookings.Where(x => x.ArrivesAt == minute))
            {
                var checkIn = await (await app.AnonymousClient().PostJsonAsync($"{w.Base}/appointments/check-in", new { reference = booking.Appointment.Reference }))
                    .ShouldBeAsync<CheckInDto>(HttpStatusCode.OK);
                checkIns[booking.Appointment.Id] = checkIn;
                issued++;
            }

            foreach (var desk in counters)
            {
                await StepAsync(w, desk, minute, random, types, transferredOnce);
            }

            if (minute >= 450 && counters.All(d => d.State == Desk.Idle)
                && await app.WithDbAsync(db => db.Set<QueueTicket>().AnyAsync(t => t.Status == TicketStatus.Waiting)) == false)
            {
                break;
            }

            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.True(minute < 900, "the day did not drain");
        var tickets = await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().ToDictionaryAsync(t => t.Id));
        var events = await app.WithDbAsync(db => db.Set<QueueTicketEvent>().AsNoTracking().OrderBy(e => e.Id).ToListAsync());

        // None lost: every ticket issued is stored, ended, and numbered once.
        Assert.Equal(issued, tickets.Count);
        Assert.All(tickets.Values, t => Assert.Contains(t.Status, new[] { TicketStatus.Finished, TicketStatus.NoShow }));
        Assert.Equal(tickets.Count, tickets.Values.Select(t => t.Number).Distinct().Count());

        // Every visit's states follow the life of a ticket, in time order; a ticket is called again only after a transfer.
        var next = new Dictionary<TicketEventKind, TicketEventKind[]>
        {
            [TicketEventKind.Issued] = [TicketEventKind.Called, TicketEventKind.CheckedIn],
            [TicketEventKind.CheckedIn] = [TicketEventKind.Called],
            [TicketEventKind.Transferred] = [TicketEventKind.Called],
            [TicketEventKind.Called] = [TicketEventKind.Recalled, TicketEventKind.Serving, TicketEventKind.NoShow],
            [TicketEventKind.Recalled] = [TicketEventKind.Recalled, TicketEventKind.Serving, TicketEventKind.NoShow],
            [TicketEventKind.Serving] = [TicketEventKind.Finished, TicketEventKind.Transferred],
        };
        foreach (var visit in events.GroupBy(e => e.TicketId))
        {
            var list = visit.ToList();
            Assert.Equal(TicketEventKind.Issued, list[0].Kind);
            Assert.Contains(list[^1].Kind, new[] { TicketEventKind.Finished, TicketEventKind.NoShow });
            for (var i = 1; i < list.Count; i++)
            {
                Assert.Contains(list[i].Kind, next[list[i - 1].Kind]);
                Assert.True(list[i].At >= list[i - 1].At);
            }

            Assert.Equal(tickets[visit.Key].IssuedAt, list[0].At);
        }

        // Fairness, from the events: at each call, the tickets waiting (issued or transferred, not yet called again) that the
        // calling counter could serve and that waited longer than the called one.
        var servedBy = counters.ToDictionary(d => counterIds.Single(kv => kv.Value == d.Number).Key, d => d.Serves);
        var waitingFrom = new Dictionary<long, (long Type, DateTimeOffset Since)>();
        var overtaken = tickets.Keys.ToDictionary(id => id, _ => 0);
        var longestWait = TimeSpan.Zero;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case TicketEventKind.Issued or TicketEventKind.Transferred:
                    waitingFrom[e.TicketId] = (e.ServiceTypeId, tickets[e.TicketId].WaitingSince);
                    break;
                case TicketEventKind.Called:
                    var called = waitingFrom[e.TicketId];
                    waitingFrom.Remove(e.TicketId);
                    longestWait = TimeSpan.FromTicks(Math.Max(longestWait.Ticks, (e.At - called.Since).Ticks));
                    foreach (var (other, wait) in waitingFrom)
                    {
                        if (!servedBy[e.CounterId!.Value].Contains(wait.Type)
                            || wait.Since > called.Since || (wait.Since == called.Since && other > e.TicketId))
                        {
                            continue;
                        }

                        Assert.True(e.At - wait.Since < TimeSpan.FromMinutes(Bound),
                            $"{tickets[other].Number} had waited {(e.At - wait.Since).TotalMinutes} min when {tickets[e.TicketId].Number} (later) was called at counter {counterIds[e.CounterId!.Value]}");
                        Assert.True(overtaken[other] < MaxOvertakes, $"{tickets[other].Number} overtaken a {MaxOvertakes + 1}th time");
                        overtaken[other]++;
                    }

                    break;
            }
        }

        Assert.Empty(waitingFrom);
        Assert.All(tickets.Values, t => Assert.Equal(overtaken[t.Id], t.OvertakenCount));

        // Appointments: on time → an appointment-priority ticket issued at the check-in, inside the window (15 minutes early to 10
        // late, the options' defaults); late → a walk-in ticket in normal order, waiting from the arrival; never came → no-show.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppointmentSweeper>().RunAsync();
        }

        var appointments = await app.WithDbAsync(db => db.Set<QueueAppointment>().AsNoTracking().Where(x => x.BranchId == w.Branch.Id).ToDictionaryAsync(x => x.Id));
        Assert.Equal(bookings.Count, appointments.Count);
        foreach (var booking in bookings)
        {
            var stored = appointments[booking.Appointment.Id];
            var slot = booking.Appointment.SlotStart;
            switch (booking.Fate)
            {
                case Fate.OnTime:
                    var ticket = tickets[stored.TicketId!.Value];
                    Assert.Equal(AppointmentStatus.CheckedIn, stored.Status);
                    Assert.Equal(QueuePriority.Appointment, ticket.Priority);
                    Assert.Equal(stored.CheckedInAt, ticket.IssuedAt);
                    Assert.InRange(ticket.IssuedAt, slot.AddMinutes(-15), slot.AddMinutes(10));
                    Assert.Equal(checkIns[stored.Id].Ticket.Number, ticket.Number);
                    Assert.Equal(new[] { TicketEventKind.Issued, TicketEventKind.CheckedIn }, events.Where(e => e.TicketId == ticket.Id).Take(2).Select(e => e.Kind));
                    break;
                case Fate.Late:
                    var walkIn = tickets[stored.TicketId!.Value];
                    Assert.Equal(AppointmentStatus.Late, stored.Status);
                    Assert.Equal(QueuePriority.Normal, walkIn.Priority);
                    Assert.Equal(dayStart.AddMinutes(booking.ArrivesAt!.Value), walkIn.WaitingSince);
                    Assert.True(walkIn.WaitingSince > slot.AddMinutes(10));
                    break;
                default:
                    Assert.Equal(AppointmentStatus.NoShow, stored.Status);
                    Assert.Null(stored.TicketId);
                    break;
            }
        }

        // Only check-ins made tickets from appointments, one each.
        Assert.Equal(checkIns.Count, tickets.Values.Count(t => appointments.Values.Any(x => x.TicketId == t.Id)));
        Assert.Equal(checkIns.Count, tickets.Values.Count(t => t.Priority == QueuePriority.Appointment) + bookings.Count(x => x.Fate == Fate.Late));

        // The day exercised what it claims to: priorities, overtakes up to the bound, no-shows, transfers, long waits.
        var noShows = tickets.Values.Count(t => t.Status == TicketStatus.NoShow);
        var transfers = events.Count(e => e.Kind == TicketEventKind.Transferred);
        output.WriteLine($"{provider}: {tickets.Count} tickets, {minute} minutes, {noShows} no-shows, {transfers} transfers, "
            + $"VIP {tickets.Values.Count(t => t.Priority == QueuePriority.Vip)}, vulnerable {tickets.Values.Count(t => t.Priority == QueuePriority.Vulnerable)}, "
            + $"max overtaken {overtaken.Values.Max()}, longest wait {longestWait.TotalMinutes} min; appointments {bookings.Count} "
            + $"(on time {bookings.Count(x => x.Fate == Fate.OnTime)}, late {bookings.Count(x => x.Fate == Fate.Late)}, missed {bookings.Count(x => x.Fate == Fate.Missed)})");
        Assert.True(tickets.Count > 150);
        Assert.True(noShows > 0 && transfers > 0);
        Assert.Contains(tickets.Values, t => t.Priority == QueuePriority.Vip);
        Assert.Contains(tickets.Values, t => t.Priority == QueuePriority.Vulnerable);
        Assert.Contains(overtaken.Values, v => v == MaxOvertakes);
        Assert.All(Enum.GetValues<Fate>(), f => Assert.Contains(bookings, x => x.Fate == f));
    }

    /// <summary>
    /// Books, through the public API, about half the places of each service type's slots that start between 09:30 and 15:00
    /// (local) of the simulated day, each by a customer who comes on time (15 minutes early at most, within the grace), late (12–40
    /// minutes after the start, past the 10-minute grace) or not at all.
    /// </summary>
    private static async Task<List<Booking>> BookAsync(QueueWorld w, long[] types, DateTimeOffset dayStart, Random random)
    {
        var bookings = new List<Booking>();
        var date = NodaTime.Instant.FromDateTimeOffset(dayStart).InZone(NodaTime.DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var client = w.App.AnonymousClient();
        foreach (var type in types)
        {
            var slots = await (await client.GetAsync($"{w.Base}/appointment-slots?serviceTypeId={type}&date={date}")).ShouldBeAsync<AppointmentSlotsDto>(HttpStatusCode.OK);
            foreach (var slot in slots.Slots.Where(s => s.Bookable && s.Start >= dayStart.AddMinutes(30) && s.Start < dayStart.AddHours(6)))
            {
                for (var place = 0; place < slot.Free; place++)
                {
                    if (random.NextDouble() < 0.5)
                    {
                        continue;
                    }

                    var phone = "1390013" + (bookings.Count + 1000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var booked = await (await client.PostJsonAsync($"{w.Base}/appointments", new { serviceTypeId = type, date, time = slot.Time, name = "预约客户", phone }))
                        .ShouldBeAsync<AppointmentDto>(HttpStatusCode.Created);
                    var startsAt = (int)(slot.Start - dayStart).TotalMinutes;
                    var roll = random.NextDouble();
                    bookings.Add(roll < 0.6 ? new Booking(booked, Fate.OnTime, startsAt + random.Next(-15, 10))
                        : roll < 0.85 ? new Booking(booked, Fate.Late, startsAt + random.Next(12, 41))
                        : new Booking(booked, Fate.Missed, null));
                }
            }
        }

        return bookings;
    }

    private static async Task StepAsync(QueueWorld w, Counter desk, int minute, Random random, long[] types, HashSet<long> transferredOnce)
    {
        switch (desk.State)
        {
            case Desk.Idle:
                if (await w.CallAsync(desk.Client) is { } ticket)
                {
                    desk.Ticket = ticket;
                    desk.State = Desk.Called;
                    desk.WillNotCome = random.NextDouble() < 0.08;
                    desk.WalkUpAt = minute + random.Next(0, 2);
                }

                break;
            case Desk.Called when desk.WillNotCome:
                if ((await w.ActAsync(desk.Client, desk.Ticket!.Id, "recall")).CallCount >= 2)
                {
                    await w.ActAsync(desk.Client, desk.Ticket.Id, "no-show");
                    desk.State = Desk.Idle;
                }

                break;
            case Desk.Called when minute >= desk.WalkUpAt:
                await w.ActAsync(desk.Client, desk.Ticket!.Id, "serve");
                desk.State = Desk.Serving;
                desk.DoneAt = minute + random.Next(3, 10);
                desk.TransferTo = random.NextDouble() < 0.1 && transferredOnce.Add(desk.Ticket.Id)
                    ? types.Where(t => t != desk.Ticket.ServiceTypeId).ElementAt(random.Next(0, 2))
                    : null;
                break;
            case Desk.Serving when minute >= desk.DoneAt:
                await w.ActAsync(desk.Client, desk.Ticket!.Id, desk.TransferTo is { } to ? "transfer" : "finish", desk.TransferTo is { } target ? new { serviceTypeId = target } : null);
                desk.State = Desk.Idle;
                break;
        }
    }
}
