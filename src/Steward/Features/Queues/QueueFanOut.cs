using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>This node's identity in the queue's PostgreSQL channel, and the format of a notification ("node:branch:sequence").</summary>
public sealed class QueueFanOut
{
    public const string Channel = "steward_queue";

    public string NodeId { get; } = Guid.NewGuid().ToString("N");

    public static string Payload(string node, long branchId, long? sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{node}:{branchId}:{sequence}");

    public static (string Node, long BranchId, long? Sequence)? Parse(string payload)
    {
        var parts = payload.Split(':');
        return parts.Length == 3 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var branch)
            ? (parts[0], branch, long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null)
            : null;
    }
}

/// <summary>
/// On PostgreSQL, listens on <see cref="QueueFanOut.Channel"/> and tells this node's boards of changes made through other
/// nodes. A lost connection is opened again after a second; on every (re)connect all boards are told to read their state
/// again, since notifications sent while it was down are gone (NOTIFY is not stored). Does nothing on SQLite (one node).
/// </summary>
public sealed class QueueNotifyListener(IServiceScopeFactory scopes, IHubContext<QueueBoardHub> hub, QueueFanOut fanOut, ILogger<QueueNotifyListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string? connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
            connectionString = db.IsPostgres ? db.Database.GetConnectionString() : null;
        }

        if (connectionString is null)
        {
            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Forward(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + QueueFanOut.Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                await hub.Clients.All.SendAsync("changed", null, stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Queue notifications from other nodes are interrupted; listening again in a second");
                // Infrastructure back-off on the wall clock, not business time.
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Forward(string payload)
    {
        if (QueueFanOut.Parse(payload) is not { } n || n.Node == fanOut.NodeId)
        {
            return;
        }

        _ = hub.Clients.Group(QueueBoardHub.Group(n.BranchId)).SendAsync("changed", n.Sequence);
    }
}
