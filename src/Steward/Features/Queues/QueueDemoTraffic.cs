using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>
/// A past branch day of visits at every demo branch (issue 14's demo: history from the first start), so that the customer
/// page's visits and every view derived from the events have data. Arrivals follow an hourly rate (a morning and an
/// afternoon peak, 09:00–17:00 local, the last weekday before the demo's today); about a third of the visitors identify
/// themselves at the kiosk (their visits then show on their customer page); each ticket is served at the free counter that
/// serves its type, with its events (issued, called, serving, finished — or called, recalled, no-show; or left) at their
/// instants. Each ticket carries the waiting-time estimate <see cref="WaitEstimate"/> would have made at its issue (from the
/// day's visits finished before it, with every counter of its type open), so the manager view has its accuracy from the start.
/// Seeded, so every start shows the same day.
/// </summary>
public static class QueueDemoTraffic
{
    /// <summary>Arrivals per hour from 09:00 to 16:00 (the last ticket before 17:00).</summary>
    private static readonly int[] ArrivalsPerHour = [6, 12, 10, 7, 9, 11, 8, 5];

    private static readonly (string Prefix, int Weight, int MinService, int MaxService)[] Mix =
        [("A", 40, 3, 9), ("B", 25, 8, 18), ("C", 15, 15, 30), ("D", 10, 10, 20), ("E", 10, 8, 16)];

    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var branch in await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Id).ToListAsync(ct))
        {
            if (await db.Set<QueueTicket>().AnyAsync(t => t.BranchId == branch.Id, ct))
            {
                continue;
            }

            var types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branch.Id).ToDictionaryAsync(s => s.Prefix, ct);
            var counters = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.BranchId == branch.Id).OrderBy(c => c.Number).ToListAsync(ct);
            if (types.Count == 0 || counters.Count == 0)
            {
                continue;
            }

            var customers = await db.Set<Customer>().AsNoTracking().Where(c => c.HomeBranchId == branch.Id).OrderBy(c => c.Id).Take(60)
                .Select(c => new { c.Id, c.Tier, c.IsVulnerable }).ToListAsync(ct);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(branch.TimeZone);
            var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime).AddDays(-1);
            while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            {
                day = day.AddDays(-1);
            }

            DateTimeOffset Local(int minuteOfDay)
            {
                var local = day.ToDateTime(new TimeOnly(minuteOfDay / 60, minuteOfDay % 60));
                return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
            }

            var random = new Random(2026 + (int)branch.Id);
            var arrivals = new List<int>();
            for (var hour = 0; hour < ArrivalsPerHour.Length; hour++)
            {
                arrivals.AddRange(Enumerable.Range(0, ArrivalsPerHour[hour]).Select(_ => (9 + hour) * 60 + random.Next(60)));
            }

            var freeAt = counters.ToDictionary(c => c.Id, _ => Local(9 * 60));
            var sequences = new Dictionary<long, int>();
            var tickets = new List<(QueueTicket Ticket, List<QueueTicketEvent> Events)>();
            // Per ticket so far: its type, until when it waited (its call, or leaving), and its counter time once finished.
            var past = new List<(long TypeId, DateTimeOffset WaitedUntil, DateTimeOffset? EndedAt, double? CounterMinutes)>();
            foreach (var minute in arrivals.Order())
            {
                var roll = random.Next(100);
                var mix = Mix.First(m => (roll -= m.Weight) < 0);
                if (!types.TryGetValue(mix.Prefix, out var type))
                {
                    continue;
                }

                var serving = counters.Where(c => QueueIds.Parse(c.ServiceTypeIds).Contains(type.Id)).ToList();
                if (serving.Count == 0)
                {
                    continue;
                }

                var customer = customers.Count > 0 && random.Next(3) == 0 ? customers[random.Next(customers.Count)] : null;
                var issued = Local(minute);
                var sequence = sequences[type.Id] = sequences.GetValueOrDefault(type.Id) + 1;
                var ticket = new QueueTicket
                {
                    BranchId = branch.Id, ServiceTypeId = type.Id, IssuedServiceTypeId = type.Id, BusinessDate = day, Sequence = sequence,
                    Number = type.Prefix + sequence.ToString("D3", System.Globalization.CultureInfo.InvariantCulture),
                    Priority = customer is null ? QueuePriority.Normal : customer.IsVulnerable ? QueuePriority.Vulnerable : customer.Tier >= CustomerTier.Gold ? QueuePriority.Vip : QueuePriority.Normal,
                    CustomerId = customer?.Id, IssuedAt = issued, WaitingSince = issued,
                };
                var events = new List<QueueTicketEvent> { new() { Kind = TicketEventKind.Issued, At = issued, ServiceTypeId = type.Id } };
                var recent = past.Where(p => p.TypeId == type.Id && p.EndedAt <= issued).OrderByDescending(p => p.EndedAt).Take(20).Select(p => p.CounterMinutes!.Value).ToList();
                var position = 1 + past.Count(p => p.TypeId == type.Id && p.WaitedUntil > issued);
                ticket.EstimatedWaitMinutes = WaitEstimate.Minutes(position, recent.Count == 0 ? null : recent.Average(), serving.Count, type.TargetWaitMinutes);
                var counter = serving.MinBy(c => freeAt[c.Id])!;
                var called = freeAt[counter.Id] > issued ? freeAt[counter.Id] : issued.AddMinutes(1);
                if (random.Next(100) < 3 && called - issued > TimeSpan.FromMinutes(10))
                {
                    // Left before being served: never answered, gone after a while (a walk-away).
                    var gone = issued.AddMinutes(10 + random.Next(10));
                    (ticket.Status, ticket.EndedAt) = (TicketStatus.Left, gone);
                    events.Add(new() { Kind = TicketEventKind.Left, At = gone, ServiceTypeId = type.Id });
                }
                else if (random.Next(100) < 5)
                {
                    // Called twice, no answer: a no-show; the counter goes on two minutes later.
                    (ticket.Status, ticket.CounterId, ticket.CalledAt, ticket.CallCount, ticket.EndedAt) = (TicketStatus.NoShow, counter.Id, called, 2, called.AddMinutes(2));
                    events.Add(new() { Kind = TicketEventKind.Called, At = called, CounterId = counter.Id, ServiceTypeId = type.Id });
                    events.Add(new() { Kind = TicketEventKind.Recalled, At = called.AddMinutes(1), CounterId = counter.Id, ServiceTypeId = type.Id });
                    events.Add(new() { Kind = TicketEventKind.NoShow, At = called.AddMinutes(2), CounterId = counter.Id, ServiceTypeId = type.Id });
                    freeAt[counter.Id] = called.AddMinutes(2);
                }
                else
                {
                    var start = called.AddMinutes(1);
                    var end = start.AddMinutes(mix.MinService + random.Next(mix.MaxService - mix.MinService + 1));
                    var outcome = random.Next(100) < 88 ? TicketOutcome.Completed : random.Next(2) == 0 ? TicketOutcome.FollowUpNeeded : TicketOutcome.Referred;
                    (ticket.Status, ticket.CounterId, ticket.CalledAt, ticket.CallCount, ticket.EndedAt, ticket.Outcome) = (TicketStatus.Finished, counter.Id, called, 1, end, outcome);
                    events.Add(new() { Kind = TicketEventKind.Called, At = called, CounterId = counter.Id, ServiceTypeId = type.Id });
                    events.Add(new() { Kind = TicketEventKind.Serving, At = start, CounterId = counter.Id, ServiceTypeId = type.Id });
                    events.Add(new() { Kind = TicketEventKind.Finished, At = end, CounterId = counter.Id, ServiceTypeId = type.Id, Outcome = outcome });
                    freeAt[counter.Id] = end;
                }

                tickets.Add((ticket, events));
                past.Add((type.Id, ticket.CalledAt ?? ticket.EndedAt!.Value, ticket.Status == TicketStatus.Finished ? ticket.EndedAt : null,
                    ticket.Status == TicketStatus.Finished ? (ticket.EndedAt!.Value - ticket.CalledAt!.Value).TotalMinutes : null));
            }

            db.AddRange(tickets.Select(t => t.Ticket));
            db.AddRange(sequences.Select(s => new QueueDaySequence { ServiceTypeId = s.Key, BusinessDate = day, LastSequence = s.Value }));
            await db.SaveChangesAsync(ct);
            foreach (var (ticket, events) in tickets)
            {
                events.ForEach(e => e.TicketId = ticket.Id);
                db.AddRange(events);
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}
