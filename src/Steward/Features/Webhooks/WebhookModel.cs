using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Webhooks;

/// <summary>
/// The events an endpoint can subscribe to (docs/decisions/0047-webhooks.md). The list is fixed in code: an event type is
/// a promise about a payload's shape, so a new one is a change of Steward, not a setting.
/// </summary>
public static class WebhookEventTypes
{
    public const string CaseCreated = "case.created";
    public const string CaseStatusChanged = "case.status_changed";
    public const string CaseClosed = "case.closed";
    public const string ComplaintAssessed = "complaint.assessed";
    public const string ComplaintCustomerResponded = "complaint.customer_responded";
    public const string ComplaintArchived = "complaint.archived";
    public const string SlaWarning = "sla.warning";
    public const string SlaBreached = "sla.breached";
    public const string SurveyResponseReceived = "survey.response_received";

    public static readonly IReadOnlyList<string> All =
    [
        CaseCreated, CaseStatusChanged, CaseClosed, ComplaintAssessed, ComplaintCustomerResponded, ComplaintArchived, SlaWarning, SlaBreached,
        SurveyResponseReceived,
    ];

    /// <summary>What an event type's description key starts with: the key is the prefix and the type (<c>webhooks.event.case.created</c>).</summary>
    public const string TextPrefix = "webhooks.event.";

    public static string TextKey(string type) => TextPrefix + type;
}

public enum WebhookPauseReason
{
    /// <summary>An administrator paused it.</summary>
    Manual,

    /// <summary>Steward paused it after <see cref="WebhookOptions.PauseAfterFailures"/> failed attempts in a row.</summary>
    Failures,
}

/// <summary>
/// A receiver an administrator registered: where Steward posts which events, signed with a secret that Steward generated
/// (shown once, at creation and at each rotation, and stored encrypted like personal data). A paused endpoint keeps
/// its deliveries waiting: nothing is lost while the receiver is mended, and resuming sends them. Audited.
/// </summary>
public sealed class WebhookEndpoint : IAuditable, IVersioned
{
    public long Id { get; set; }

    public string Url { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The subscribed <see cref="WebhookEventTypes"/>, comma-separated, in the list's order.</summary>
    [AuditValues(WebhookEventTypes.TextPrefix)]
    public string EventTypes { get; set; } = "";

    [AuditRedacted]
    public string SecretCipher { get; set; } = "";

    /// <summary>The administrator who registered it: told when Steward pauses it.</summary>
    public long OwnerId { get; set; }

    public DateTimeOffset? PausedAt { get; set; }

    public WebhookPauseReason? PauseReason { get; set; }

    /// <summary>Failed attempts since the last success (any delivery); bookkeeping of the delivery job, outside the audit log.</summary>
    [NotVersioned]
    public int ConsecutiveFailures { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Version { get; set; }

    public IReadOnlyList<string> Subscribed() => EventTypes.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// One event as it is sent: the exact JSON body, written once however many endpoints receive it, so that every delivery
/// and every replay of it sends the same bytes. <see cref="PublicId"/> is the payload's <c>id</c>.
/// </summary>
public sealed class WebhookEvent
{
    public long Id { get; set; }

    public string PublicId { get; set; } = "";

    public string Type { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }

    public string Payload { get; set; } = "";
}

public enum WebhookDeliveryStatus
{
    /// <summary>Not delivered yet: due at <see cref="WebhookDelivery.NextAttemptAt"/> (or waiting for its endpoint to be resumed).</summary>
    Pending,

    Delivered,

    /// <summary>Every attempt failed (<see cref="WebhookOptions.MaxAttempts"/>): a person may replay it.</summary>
    Failed,
}

/// <summary>
/// One event to one endpoint, written in the transaction of the change that raised the event and delivered afterwards by
/// <see cref="WebhookDispatcher"/>; its id is the <c>Steward-Delivery</c> header. A replay is a new delivery of the same event.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }

    public long EndpointId { get; set; }

    public long EventId { get; set; }

    public WebhookEvent? Event { get; set; }

    /// <summary>The delivery this one replays (a person asked for it again).</summary>
    public long? ReplayOfId { get; set; }

    public WebhookDeliveryStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>When it was delivered or given up.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    /// <summary>A node that claimed the delivery holds it until this instant (a crashed node's claim expires).</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }
}

public enum WebhookAttemptOutcome
{
    Succeeded,

    /// <summary>The receiver answered with a status outside 2xx.</summary>
    HttpError,

    /// <summary>No answer within <see cref="WebhookOptions.TimeoutSeconds"/>.</summary>
    Timeout,

    /// <summary>No connection (refused, unknown host, TLS failure…).</summary>
    ConnectionFailed,
}

/// <summary>One try of a delivery: when, how long it took, and what the receiver answered or what went wrong.</summary>
public sealed class WebhookAttempt
{
    public long Id { get; set; }

    public long DeliveryId { get; set; }

    public int Number { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public int DurationMs { get; set; }

    public WebhookAttemptOutcome Outcome { get; set; }

    public int? StatusCode { get; set; }

    public string? Error { get; set; }
}

/// <summary>Bound from <c>Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Seconds between passes of the delivery job.</summary>
    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 5;

    /// <summary>How long one attempt waits for the receiver's answer.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts of one delivery before it is given up (a person may still replay it).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles after each further one (60 s, 2 min, 4 min…), up to <see cref="MaxBackoffMinutes"/>.</summary>
    [Range(1, 3600)]
    public int BackoffSeconds { get; set; } = 60;

    [Range(1, 1440)]
    public int MaxBackoffMinutes { get; set; } = 240;

    /// <summary>Failed attempts in a row (across the endpoint's deliveries) after which Steward pauses the endpoint and tells its owner.</summary>
    [Range(1, 1000)]
    public int PauseAfterFailures { get; set; } = 10;

    /// <summary>Deliveries claimed at once by one node.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>Attempts of one batch under way at the same time.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.Property(e => e.Url).HasMaxLength(400);
        builder.Property(e => e.Description).HasMaxLength(200);
        builder.Property(e => e.EventTypes).HasMaxLength(1000);
        builder.Property(e => e.SecretCipher).HasMaxLength(200);
        builder.HasOne<Staff>().WithMany().HasForeignKey(e => e.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.HasIndex(e => e.PublicId).IsUnique();
        builder.Property(e => e.PublicId).HasMaxLength(40);
        builder.Property(e => e.Type).HasMaxLength(40);
        builder.Property(e => e.Payload).HasMaxLength(20000);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.EndpointId, d.Id });
        builder.HasIndex(d => d.EventId);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.Property(d => d.LockedBy).HasMaxLength(100);
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(d => d.Event).WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasIndex(a => a.DeliveryId);
        builder.Property(a => a.Error).HasMaxLength(2000);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}
