using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Background;
using Steward.Platform.Database;

namespace Steward.Features.Notifications;

/// <summary>Delivers one outbox message; throws when it could not.</summary>
public interface IOutboxSender
{
    Task SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// The default sender writes messages to the log. No mail or SMS gateway is configured in this
/// deployment; an institution plugs in its own <see cref="IOutboxSender"/>.
/// </summary>
public sealed class LoggingOutboxSender(ILogger<LoggingOutboxSender> logger) : IOutboxSender
{
    public Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        logger.LogInformation("Outbox {Channel} to {Recipient}: {Subject}", message.Channel, message.Recipient, message.Subject);
        return Task.CompletedTask;
    }
}

public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 15;

    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;
}

/// <summary>
/// Claims due messages with a one-minute lease (so two nodes never send the same message at once,
/// and a crashed node's claim expires), sends them, and retries failures with exponential back-off
/// (1, 2, 4, … minutes) until <see cref="OutboxOptions.MaxAttempts"/>.
/// </summary>
public sealed class OutboxDeliveryJob(IOptions<OutboxOptions> options, TimeProvider time) : IPeriodicJob
{
    public const string JobName = "outbox";

    private static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<StewardDbContext>();
        var sender = services.GetRequiredService<IOutboxSender>();
        var now = time.GetUtcNow();
        var leaseUntil = now.AddMinutes(1);
        var due = await db.Set<OutboxMessage>()
            .Where(m => m.DeliveredAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.Id)
            .Take(options.Value.BatchSize)
            .Select(m => m.Id)
            .ToListAsync(cancellationToken);
        var claimed = new List<long>();
        foreach (var id in due)
        {
            // The claim is one conditional UPDATE: of two nodes racing for a message, one changes the row.
            var won = await db.Set<OutboxMessage>()
                .Where(m => m.Id == id && m.DeliveredAt == null && (m.LockedUntil == null || m.LockedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedUntil, leaseUntil).SetProperty(m => m.LockedBy, Node), cancellationToken);
            if (won == 1)
            {
                claimed.Add(id);
            }
        }

        foreach (var id in claimed)
        {
            var message = await db.Set<OutboxMessage>().AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
            try
            {
                await sender.SendAsync(message, cancellationToken);
                var sentAt = time.GetUtcNow();
                await db.Set<OutboxMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.DeliveredAt, sentAt).SetProperty(m => m.Attempts, message.Attempts + 1).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null),
                    cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var attempts = message.Attempts + 1;
                var failedAt = attempts >= options.Value.MaxAttempts ? time.GetUtcNow() : (DateTimeOffset?)null;
                var next = time.GetUtcNow().AddMinutes(Math.Pow(2, attempts - 1));
                var error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
                await db.Set<OutboxMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(
                    s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.FailedAt, failedAt)
                        .SetProperty(m => m.LastError, error).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null),
                    cancellationToken);
            }
        }
    }
}
