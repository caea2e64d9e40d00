using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Queues.QueueTestData;

namespace Steward.Tests.Features.Queues;

public sealed class WaitEstimateTests
{
    private static readonly DateOnly Friday = new(2026, 11, 20);
    private static readonly DateOnly Monday = new(2026, 11, 23);

    [Fact]
    public void Minutes_PositionTimesMeanOverCounters_RoundedUp_OrTargetWithoutHistory()
    {
        Assert.Equal(9, WaitEstimate.Minutes(3, 6, 2, 15));
        Assert.Equal(4, WaitEstimate.Minutes(1, 6.5, 2, 15)); // 3.25 → 4
        Assert.Equal(6, WaitEstimate.Minutes(1, 6, 0, 15)); // nobody signed in yet counts one counter
        Assert.Equal(15, WaitEstimate.Minutes(5, null, 2, 15));
    }

    [Theory, BothDatabases]
    public async Task Issue_WithHistoryAndTwoOpenCounters_StoresPositionTimesMeanOverCounters(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var b = await w.AddServiceTypeAsync("B");
        var c1 = await w.AddCounterAsync(1, false, a.Id);
        var c2 = await w.AddCounterAsync(2, false, a.Id, b.Id);
        await w.AddCounterAsync(3, false, a.Id); // nobody on it: not open
        await w.StaffAtCounterAsync(c1.Id);
        await w.StaffAtCounterAsync(c2.Id);

        // Friday's A visits took the counter 4, 6 and 8 minutes (called → finished): mean 6. One of 60 minutes a month ago
        // is outside the 14 days and does not count.
        await app.WithDbAsync(async db =>
        {
            db.AddRange(
                Ticket(w.Branch.Id, a, Friday, 1, TicketStatus.Finished, Shanghai(Friday, 9, 0), Shanghai(Friday, 9, 2), Shanghai(Friday, 9, 6), c1.Id),
                Ticket(w.Branch.Id, a, Friday, 2, TicketStatus.Finished, Shanghai(Friday, 9, 0), Shanghai(Friday, 9, 2), Shanghai(Friday, 9, 8), c2.Id),
                Ticket(w.Branch.Id, a, Friday, 3, TicketStatus.Finished, Shanghai(Friday, 9, 0), Shanghai(Friday, 9, 10), Shanghai(Friday, 9, 18), c1.Id),
                Ticket(w.Branch.Id, a, new DateOnly(2026, 10, 23), 1, TicketStatus.Finished, Shanghai(new DateOnly(2026, 10, 23), 9, 0), Shanghai(new DateOnly(2026, 10, 23), 9, 0), Shanghai(new DateOnly(2026, 10, 23), 10, 0), c1.Id));
            await db.SaveChangesAsync();
        });

        // Positions 1, 2, 3 at two open counters: 1×6/2 = 3, 2×6/2 = 6, 3×6/2 = 9. B has no history: its target wait, 15.
        var issued = new[] { await w.IssueAsync(a.Id), await w.IssueAsync(a.Id), await w.IssueAsync(a.Id) };
        Assert.Equal([3, 6, 9], issued.Select(t => t.EstimatedWaitMinutes));
        Assert.Equal(15, (await w.IssueAsync(b.Id)).EstimatedWaitMinutes);
        var stored = await app.WithDbAsync(db => db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == issued[2].Id).SingleAsync());
        Assert.Equal(9, stored.EstimatedWaitMinutes);
        Assert.NotNull(stored.PublicToken);
        Assert.Equal(22, stored.PublicToken!.Length);

        // The board: a ticket taken now would be 4th of A (4×6/2 = 12) and 2nd of B (no history: 15).
        var board = await (await app.AnonymousClient().GetAsync($"{w.Base}/board")).ShouldBeAsync<BoardDto>(HttpStatusCode.OK);
        Assert.Equal(12, board.Waiting.Single(x => x.Prefix == "A").EstimatedWaitMinutes);
        Assert.Equal(15, board.Waiting.Single(x => x.Prefix == "B").EstimatedWaitMinutes);
        var (_, boardHtml) = await Anonymous(app, "en").GetAsync($"/Queues/Public/Board/{w.Branch.Id}");
        Assert.Contains("12 min", boardHtml, StringComparison.Ordinal);

        // The kiosk's ticket (4th of A) shows it, with the QR code and the link to its public page.
        var kiosk = Anonymous(app, "en");
        var response = await kiosk.PostFormAsync($"/Queues/Public/Kiosk/{w.Branch.Id}", new() { ["serviceTypeId"] = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        // Post/redirect/get: the kiosk shows the ticket at a plain address, so a reload takes no second ticket.
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (status, html) = await kiosk.GetAsync(response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("A004", (await kiosk.GetAsync(response.Headers.Location!.OriginalString)).Html, StringComparison.Ordinal); // reloaded
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<QueueTicket>().CountAsync(t => t.ServiceTypeId == a.Id && t.Status == TicketStatus.Waiting)));
        Assert.Contains("A004", html, StringComparison.Ordinal);
        Assert.Contains("3 waiting before you", html, StringComparison.Ordinal);
        Assert.Contains("Estimated wait: about 12 min", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"ticket-qr\"", html, StringComparison.Ordinal);
        Assert.Contains("src=\"data:image/svg", html, StringComparison.Ordinal); // the "+" of svg+xml is HTML-encoded
        Assert.Contains("/Queues/Public/Ticket/", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Accuracy_TwoCalledTickets_IsTheMeanAbsoluteErrorOfTheirEstimates(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        await app.WithDbAsync(db => db.Set<QueueServiceType>().Where(s => s.Id == a.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.TargetWaitMinutes, 10)));
        var counter = await w.AddCounterAsync(1, false, a.Id);
        var (_, desk) = await w.StaffAtCounterAsync(counter.Id);

        // No history: both estimates are the target, 10 min. Called after 4 and 13 minutes: errors 6 and 3, MAE 4.5 over 2.
        var first = await w.IssueAsync(a.Id);
        var second = await w.IssueAsync(a.Id);
        Assert.Equal(10, first.EstimatedWaitMinutes);
        Assert.Equal(10, second.EstimatedWaitMinutes);
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(first.Id, (await w.CallAsync(desk))!.Id);
        await w.ActAsync(desk, first.Id, "serve");
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await w.ActAsync(desk, first.Id, "finish");
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(second.Id, (await w.CallAsync(desk))!.Id);

        var (_, manager) = await app.SignInAsync(w.Branch.Id, StaffRole.BranchManager);
        var stats = await (await manager.GetAsync($"{w.Base}/stats")).ShouldBeAsync<QueueStatsDto>(HttpStatusCode.OK);
        var type = stats.Types.Single(t => t.Prefix == "A");
        Assert.Equal(4.5, type.EstimateMaeMinutes);
        Assert.Equal(2, type.EstimateCount);
        Assert.Equal(5.0, type.MeanCounterMinutes); // the first visit: called 09:04, finished 09:09
        var today = stats.History[0];
        Assert.Equal(Monday, today.Date);
        Assert.Equal(4.5, today.EstimateMaeMinutes);
        Assert.Equal(8.5, today.MeanWaitMinutes); // (4 + 13) / 2
    }

    internal static PageClient Anonymous(StewardApp app, string language)
    {
        var page = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        page.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return page;
    }
}
