using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Identity;

namespace Steward.Features.Notifications;

/// <summary>
/// A message to one staff member in the UI (the bell), e.g. "case SV-… will breach its deadline in
/// 2 hours". Written in both languages when raised, because the reader's language is not known then.
/// Notifications are derived from audited changes and are not audited themselves.
/// </summary>
public sealed class Notification
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    /// <summary>A stable code, e.g. <c>sla.warning</c>, <c>sla.breach</c>, <c>case.assigned</c>.</summary>
    public string Kind { get; set; } = "";

    public string TextZh { get; set; } = "";

    public string TextEn { get; set; } = "";

    /// <summary>A local URL the notification opens, e.g. <c>/Cases/42</c>.</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

public enum OutboxChannel
{
    Email,
    Sms,
    Webhook,
}

/// <summary>
/// Something to send outside Steward, written in the same transaction as the change that causes it
/// and delivered afterwards with retries by <see cref="OutboxDeliveryJob"/>.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    public OutboxChannel Channel { get; set; }

    public string Recipient { get; set; } = "";

    public string Subject { get; set; } = "";

    public string Body { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Set when delivery gave up after the last attempt.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>A node that claimed the message holds it until this instant.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public string? LockedBy { get; set; }

    /// <summary>The case an e-mail is about (its reference goes in the subject; the mailbox of its branch or team sends it).</summary>
    public long? CaseId { get; set; }

    /// <summary>An e-mail's own Message-ID (no angle brackets), fixed when it is written so that every retry sends the same one and an answer to it finds its case.</summary>
    public string? MessageId { get; set; }

    /// <summary>The Message-ID an e-mail answers (the customer's last message), for In-Reply-To and References.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>The References header of an answer: the thread's Message-IDs, space-separated, in angle brackets.</summary>
    public string? References { get; set; }

    /// <summary>An automatic message (an acknowledgment): sent with <c>Auto-Submitted: auto-replied</c> so that no robot answers it.</summary>
    public bool AutoSubmitted { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.HasIndex(n => new { n.StaffId, n.ReadAt, n.Id });
        builder.Property(n => n.Kind).HasMaxLength(40);
        builder.Property(n => n.TextZh).HasMaxLength(1000);
        builder.Property(n => n.TextEn).HasMaxLength(1000);
        builder.Property(n => n.Link).HasMaxLength(400);
        builder.HasOne<Staff>().WithMany().HasForeignKey(n => n.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasIndex(m => new { m.DeliveredAt, m.FailedAt, m.NextAttemptAt });
        builder.Property(m => m.Recipient).HasMaxLength(400);
        builder.Property(m => m.Subject).HasMaxLength(400);
        builder.Property(m => m.Body).HasMaxLength(20000);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        builder.Property(m => m.LockedBy).HasMaxLength(100);
        builder.HasIndex(m => m.MessageId);
        builder.Property(m => m.References).HasMaxLength(2000);
    }
}
