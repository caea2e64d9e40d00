using System.Net;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Queues.QueueTestData;

namespace Steward.Tests.Features.Queues;

public sealed class QueueStatsTests
{
    private static readonly DateOnly Friday = new(2026, 11, 20);
    private static readonly DateOnly Monday = new(2026, 11, 23);

    [Theory, BothDatabases]
    public async Task Stats_HandBuiltDay_CountsByOutcome_AndLongestWaitAtTheInstant(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");
        var c1 = await w.AddCounterAsync(1, false, a.Id, b.Id);
        await w.AddCounterAsync(2, false, a.Id);
        var (agent, _) = await w.StaffAtCounterAsync(c1.Id);

        // Monday: A001, A002 served; A003 no-show; A004 left; B001 transferred to A and served there; A005 waiting since 09:10,
        // A006 since 09:25, B002 since 09:30. Friday: one served, one never answered (still waiting at the day's end).
        await app.WithDbAsync(async db =>
        {
            var t = new List<QueueTicket>
            {
                Ticket(w.Branch.Id, a, Monday, 1, TicketStatus.Finished, Shanghai(Monday, 8, 50), Shanghai(Monday, 9, 0), Shanghai(Monday, 9, 5), c1.Id),
                Ticket(w.Branch.Id, a, Monday, 2, TicketStatus.Finished, Shanghai(Monday, 8, 55), Shanghai(Monday, 9, 5), Shanghai(Monday, 9, 12), c1.Id),
                Ticket(w.Branch.Id, a, Monday, 3, TicketStatus.NoShow, Shanghai(Monday, 9, 0), Shanghai(Monday, 9, 12), Shanghai(Monday, 9, 14), c1.Id),
                Ticket(w.Branch.Id, a, Monday, 4, TicketStatus.Left, Shanghai(Monday, 9, 1), null, Shanghai(Monday, 9, 20)),
                Ticket(w.Branch.Id, b, Monday, 1, TicketStatus.Finished, Shanghai(Monday, 9, 2), Shanghai(Monday, 9, 20), Shanghai(Monday, 9, 30), c1.Id),
                Ticket(w.Branch.Id, a, Monday, 5, TicketStatus.Waiting, Shanghai(Monday, 9, 10)),
                Ticket(w.Branch.Id, a, Monday, 6, TicketStatus.Waiting, Shanghai(Monday, 9, 25)),
                Ticket(w.Branch.Id, b, Monday, 2, TicketStatus.Waiting, Shanghai(Monday, 9, 30)),
                Ticket(w.Branch.Id, a, Friday, 1, TicketStatus.Finished, Shanghai(Friday, 9, 0), Shanghai(Friday, 9, 3), Shanghai(Friday, 9, 9), c1.Id),
                Ticket(w.Branch.Id, b, Friday, 1, TicketStatus.Waiting, Shanghai(Friday, 16, 50)),
            };
            t[4].ServiceTypeId = a.Id; // B001 now waits for, and was served as, A
            db.AddRange(t);
            await db.SaveChangesAsync();
            db.AddRange(
                Event(t[0], TicketEventKind.Called, Shanghai(Monday, 9, 0), c1.Id),
                Event(t[1], TicketEventKind.Called, Shanghai(Monday, 9, 5), c1.Id),
                Event(t[2], TicketEventKind.Called, Shanghai(Monday, 9, 12), c1.Id),
                Event(t[4], TicketEventKind.Called, Shanghai(Monday, 9, 10), c1.Id),
                Event(t[4], TicketEventKind.Transferred, Shanghai(Monday, 9, 15), c1.Id),
                Event(t[4], TicketEventKind.Called, Shanghai(Monday, 9, 20), c1.Id),
                Event(t[8], TicketEventKind.Called, Shanghai(Friday, 9, 3), c1.Id));
            await db.SaveChangesAsync();
        });

        app.Clock.SetUtcNow(Shanghai(Monday, 9, 40));
        var (managerStaff, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        var stats = await (await manager.GetAsync($"{w.Base}/stats")).ShouldBeAsync<QueueStatsDto>(HttpStatusCode.OK);

        Assert.Equal(new QueueOutcomeCountsDto(Issued: 8, Served: 3, NoShow: 1, Left: 1, Open: 3, Transferred: 1), stats.TodayOutcomes);
        // Live: A005 has waited 30 min (09:10 → 09:40), B002 10 min; Friday's stale ticket is not in today's queue.
        Assert.Equal("A005", stats.LongestWait!.Number);
        Assert.Equal(30, stats.LongestWait.Minutes);
        var typeA = stats.Types.Single(x => x.Prefix == "A");
        var typeB = stats.Types.Single(x => x.Prefix == "B");
        // Counter 1 (signed in) serves A and B; counter 2 (nobody on it) serves A.
        Assert.Equal((2, 30, 1), (typeA.Waiting, typeA.LongestWaitMinutes, typeA.OpenCounters));
        Assert.Equal((1, 10, 1), (typeB.Waiting, typeB.LongestWaitMinutes, typeB.OpenCounters));
        var open = Assert.Single(stats.Counters, c => c.Open);
        Assert.Equal((1, agent.DisplayName), (open.Number, open.StaffName));
        Assert.Equal(2, stats.Counters.Count);

        // History: 7 days, today first; Friday is 3 days back: 2 issued, 1 served, 1 never answered = left before service.
        Assert.Equal(7, stats.History.Count);
        Assert.Equal(Monday, stats.History[0].Date);
        var friday = stats.History.Single(d => d.Date == Friday);
        Assert.Equal(new QueueOutcomeCountsDto(2, 1, 0, 1, 0, 0), friday.Outcomes);
        Assert.Equal(3.0, friday.MeanWaitMinutes);
        // Monday's mean wait, issue → first call: A001 10, A002 10, A003 12, B001 8 → 10.
        Assert.Equal(10.0, stats.History[0].MeanWaitMinutes);

        // The page shows the same numbers.
        var page = await PageClient.SignInAsync(app, managerStaff.Username, language: "en");
        var (status, html) = await page.GetAsync($"/Queues/Manager?branchId={w.Branch.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"stats-longest\">30 min", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"today-served\">3<", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Stats_OtherBranchManager_NotFound_Agent_Forbidden_BadDays_Invalid(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var other = await app.CreateBranchAsync();
        var (_, foreignManager) = await app.SignInAsync(other.Id, StaffRole.BranchManager);
        var (_, agent) = await app.SignInAsync(w.Branch.Id, StaffRole.Agent);
        var (_, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        var (_, compliance) = await app.SignInAsync(other.Id, StaffRole.Compliance);

        await (await foreignManager.GetAsync($"{w.Base}/stats")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.GetAsync($"{w.Base}/stats")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var bad = await (await manager.GetAsync($"{w.Base}/stats?days=0")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("days", out _));
        await (await manager.GetAsync($"{w.Base}/stats")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // Institution-wide roles see every branch.
        await (await compliance.GetAsync($"{w.Base}/stats")).ShouldBeJsonAsync(HttpStatusCode.OK);
    }
}
