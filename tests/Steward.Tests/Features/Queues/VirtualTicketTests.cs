using System.Net;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Queues;

public sealed class VirtualTicketTests
{
    [Theory, BothDatabases]
    public async Task Page_PositionTwo_SaysSecondNext_ThenNextAfterACall_ThenTheCounter(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var counter = await w.AddCounterAsync(3, false, a.Id);
        var (_, desk) = await w.StaffAtCounterAsync(counter.Id);
        var first = await w.IssueAsync(a.Id);
        var second = await w.IssueAsync(a.Id, phone: "13800000000");
        Assert.NotNull(second.PublicToken);
        var en = WaitEstimateTests.Anonymous(app, "en");
        var zh = WaitEstimateTests.Anonymous(app, "zh-CN");
        var url = $"/Queues/Public/Ticket/{second.PublicToken}";

        var (status, html) = await en.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("A002", html, StringComparison.Ordinal);
        Assert.Contains("You are second next", html, StringComparison.Ordinal);
        Assert.Contains("再过一位就轮到您", (await zh.GetAsync(url)).Html, StringComparison.Ordinal);

        Assert.Equal(first.Id, (await w.CallAsync(desk))!.Id);
        Assert.Contains("You are next", (await en.GetAsync(url)).Html, StringComparison.Ordinal);
        Assert.Contains("下一位就是您", (await zh.GetAsync(url)).Html, StringComparison.Ordinal);
        var api = await (await app.AnonymousClient().GetAsync($"/api/v1/queue/tickets/{second.PublicToken}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, api.GetProperty("position").GetInt32());
        // Nothing personal: no customer, no class, no id to walk the other tickets with.
        Assert.False(api.TryGetProperty("customerId", out _));
        Assert.False(api.TryGetProperty("priority", out _));
        Assert.False(api.TryGetProperty("id", out _));

        await w.ActAsync(desk, first.Id, "serve");
        await w.ActAsync(desk, first.Id, "finish");
        Assert.Equal(second.Id, (await w.CallAsync(desk))!.Id);
        Assert.Contains("Please go to counter 3", (await en.GetAsync(url)).Html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Page_UnknownOrMalformedToken_IsNotFound(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var a = await w.AddServiceTypeAsync("A");
        var ticket = await w.IssueAsync(a.Id);
        var en = WaitEstimateTests.Anonymous(app, "en");

        Assert.Equal(HttpStatusCode.NotFound, (await en.GetAsync($"/Queues/Public/Ticket/{ticket.Id}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await en.GetAsync($"/Queues/Public/Ticket/{new string('x', 40)}")).Status);
        await (await app.AnonymousClient().GetAsync("/api/v1/queue/tickets/nosuchtoken")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
