using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Steward.Features.Queues;
using Steward.Platform.Database;

namespace Steward.Tests.Features.Queues;

/// <summary>A change made through one node reaches the boards connected to another node on the same PostgreSQL (LISTEN/NOTIFY).</summary>
public sealed class QueueFanOutTests
{
    /// <summary>Stands in for node B's SignalR hub: every "changed" it is asked to send, with its group, in order.</summary>
    private sealed class RecordingHub : IHubContext<QueueBoardHub>
    {
        public Channel<(string Group, object? Sequence)> Sent { get; } = Channel.CreateUnbounded<(string, object?)>();

        public IHubClients Clients => new Recipients(this);

        public IGroupManager Groups => throw new NotSupportedException();

        /// <summary>Waits (30 s at most, real time) for the next "changed" to <paramref name="group"/>, skipping others.</summary>
        public async Task<object?> NextAsync(string group)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (true)
            {
                var (g, sequence) = await Sent.Reader.ReadAsync(timeout.Token);
                if (g == group)
                {
                    return sequence;
                }
            }
        }
    }

    private sealed class Recipients(RecordingHub hub) : IHubClients
    {
        public IClientProxy All => new Proxy(hub, "*");

        public IClientProxy Group(string groupName) => new Proxy(hub, groupName);

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => new Proxy(hub, "*");

        public IClientProxy Client(string connectionId) => new Proxy(hub, connectionId);

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => new Proxy(hub, "clients");

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => new Proxy(hub, groupName);

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => new Proxy(hub, "groups");

        public IClientProxy User(string userId) => new Proxy(hub, userId);

        public IClientProxy Users(IReadOnlyList<string> userIds) => new Proxy(hub, "users");

        private sealed class Proxy(RecordingHub hub, string group) : IClientProxy
        {
            public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
            {
                if (method == "changed")
                {
                    hub.Sent.Writer.TryWrite((group, args.FirstOrDefault()));
                }

                return Task.CompletedTask;
            }
        }
    }

    [Fact]
    public async Task CallThroughNodeA_IsAnnouncedToTheBoardsOfNodeB_WithTheCallSequence()
    {
        var w = await QueueWorld.StartAsync(DatabaseProvider.Postgres);
        await using var app = w.App;
        var hub = new RecordingHub();
        await using var nodeB = app.StartSecondNode(services =>
        {
            services.RemoveAll<IHubContext<QueueBoardHub>>();
            services.AddSingleton<IHubContext<QueueBoardHub>>(hub);
        });

        // Node B's listener tells all its boards to read again once it listens: from then on nothing is missed.
        Assert.Null(await hub.NextAsync("*"));

        var a = await w.AddServiceTypeAsync("A");
        var (_, desk) = await w.StaffAtCounterAsync((await w.AddCounterAsync(1, false, a.Id)).Id);
        var group = QueueBoardHub.Group(w.Branch.Id);
        Assert.Null(await hub.NextAsync(group)); // the sign-in at the counter (no call sequence)
        await w.IssueAsync(a.Id);
        Assert.Null(await hub.NextAsync(group)); // the ticket

        // The branch's first call is its call sequence 1; its second (a recall) 2.
        var ticket = (await w.CallAsync(desk))!;
        Assert.Equal(1L, await hub.NextAsync(group));
        await w.ActAsync(desk, ticket.Id, "recall");
        Assert.Equal(2L, await hub.NextAsync(group));
    }
}
