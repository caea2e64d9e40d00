using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Steward.Features.Notifications;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Notifications;

public sealed class NotificationTests
{
    [Theory, BothDatabases]
    public async Task Raise_ShowsInTheRecipientsListInTheirLanguage_AndOnlyTheyCanMarkItRead(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, agentClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, otherClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        await app.WithDbAsync(async db =>
        {
            new NotificationService(db, app.Clock).Raise([agent.Id], "sla.warning", "案件即将超时", "The case is about to breach", "/Cases/1");
            await db.SaveChangesAsync();
        });

        agentClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var page = await (await agentClient.GetAsync("/api/v1/notifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, page.GetProperty("unread").GetInt32());
        var item = page.GetProperty("items")[0];
        Assert.Equal("The case is about to breach", item.GetProperty("text").GetString());
        var id = item.GetProperty("id").GetInt64();

        var others = await (await otherClient.GetAsync("/api/v1/notifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, others.GetProperty("items").GetArrayLength());
        await (await otherClient.PostAsync($"/api/v1/notifications/{id}/read", null)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await agentClient.PostAsync($"/api/v1/notifications/{id}/read", null)).StatusCode);
        var after = await (await agentClient.GetAsync("/api/v1/notifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, after.GetProperty("unread").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Outbox_WhenSendingFails_RetriesWithBackoff_ThenGivesUp(DatabaseProvider provider)
    {
        var sender = new FlakySender(failures: int.MaxValue);
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" },
            configureServices: s => s.Replace(ServiceDescriptor.Singleton<IOutboxSender>(sender)));
        await EnqueueAsync(app, "a@bank.example");
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();

        await host.RunOnceAsync(OutboxDeliveryJob.JobName);
        var first = await MessageAsync(app);
        Assert.Equal(1, first.Attempts);
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(1), first.NextAttemptAt);
        Assert.Null(first.FailedAt);

        await host.RunOnceAsync(OutboxDeliveryJob.JobName); // not due yet: nothing happens
        Assert.Equal(1, (await MessageAsync(app)).Attempts);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.RunOnceAsync(OutboxDeliveryJob.JobName);
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(2), (await MessageAsync(app)).NextAttemptAt);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.RunOnceAsync(OutboxDeliveryJob.JobName);
        var last = await MessageAsync(app);
        Assert.Equal(3, last.Attempts);
        Assert.NotNull(last.FailedAt);
        Assert.Null(last.DeliveredAt);
        Assert.Equal(3, sender.Calls);
    }

    [Theory, BothDatabases]
    public async Task Outbox_TwoNodesDeliveringAtOnce_SendEachMessageOnce(DatabaseProvider provider)
    {
        var sender = new FlakySender(failures: 0);
        await using var app = await StewardApp.StartAsync(provider, configureServices: s => s.Replace(ServiceDescriptor.Singleton<IOutboxSender>(sender)));
        await using var second = app.StartSecondNode();
        for (var i = 0; i < 30; i++)
        {
            await EnqueueAsync(app, $"customer{i}@mail.example");
        }

        await Task.WhenAll(
            app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(OutboxDeliveryJob.JobName),
            second.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(OutboxDeliveryJob.JobName));

        Assert.Equal(30, sender.Calls);
        Assert.Equal(30, sender.Recipients.Distinct().Count());
        Assert.Equal(30, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.DeliveredAt != null)));
    }

    [Theory, BothDatabases]
    public async Task PeriodicWork_RunsWhenTheClockPassesTheInterval(DatabaseProvider provider)
    {
        var sender = new FlakySender(failures: 0);
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Outbox:IntervalSeconds"] = "15" },
            configureServices: s => s.Replace(ServiceDescriptor.Singleton<IOutboxSender>(sender)));
        await EnqueueAsync(app, "z@bank.example");
        var completed = await app.AdvanceUntilPassAsync(TimeSpan.FromSeconds(15), OutboxDeliveryJob.JobName);

        Assert.Null(completed.Error);
        Assert.Equal(1, sender.Calls);
    }

    private static Task EnqueueAsync(StewardApp app, string recipient) => app.WithDbAsync(async db =>
    {
        new NotificationService(db, app.Clock).Send(OutboxChannel.Email, recipient, "您的投诉已受理", "正文");
        await db.SaveChangesAsync();
    });

    private static Task<OutboxMessage> MessageAsync(StewardApp app) =>
        app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().SingleAsync());

    private sealed class FlakySender(int failures) : IOutboxSender
    {
        private int calls;
        private readonly System.Collections.Concurrent.ConcurrentBag<string> recipients = [];

        public int Calls => calls;

        public IReadOnlyCollection<string> Recipients => recipients;

        public Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
        {
            recipients.Add(message.Recipient);
            return Interlocked.Increment(ref calls) <= failures ? throw new InvalidOperationException("gateway down") : Task.CompletedTask;
        }
    }
}
