using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Platform.Database;

namespace Steward.Features.Mail;

/// <summary>How a connection to a mail server is secured.</summary>
public enum MailSecurity
{
    /// <summary>Plain text: only to this machine (a relay or test server on loopback).</summary>
    None,

    /// <summary>Plain connection upgraded with STARTTLS (IMAP 143, SMTP 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (IMAPS 993, SMTPS 465).</summary>
    SslOnConnect,
}

public enum MailPollStatus
{
    Ok,
    Failed,
}

/// <summary>
/// A mailbox of a branch (or of one of its teams): where Steward reads mail from customers (IMAP) and sends its answers
/// (SMTP). The passwords are encrypted with the personal-data key ring and never leave Steward again (docs/decisions/0053).
/// Audited; the poll bookkeeping (last poll, its status and error) is outside the audit log.
/// </summary>
public sealed class Mailbox : IAuditable, IVersioned
{
    public long Id { get; set; }

    /// <summary>The address customers write to, and the sender of Steward's answers.</summary>
    public string Address { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public long BranchId { get; set; }

    /// <summary>The team whose cases answer from this mailbox (null: the branch's).</summary>
    public long? TeamId { get; set; }

    public string ImapHost { get; set; } = "";

    public int ImapPort { get; set; }

    public MailSecurity ImapSecurity { get; set; }

    public string ImapUser { get; set; } = "";

    [AuditRedacted]
    public string ImapPasswordCipher { get; set; } = "";

    public string Folder { get; set; } = "INBOX";

    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; }

    public MailSecurity SmtpSecurity { get; set; }

    /// <summary>Empty: the SMTP server takes mail without a login (a relay on the host).</summary>
    public string SmtpUser { get; set; } = "";

    [AuditRedacted]
    public string? SmtpPasswordCipher { get; set; }

    public bool Enabled { get; set; }

    [NotVersioned]
    public DateTimeOffset? LastPollAt { get; set; }

    [NotVersioned]
    public MailPollStatus? LastPollStatus { get; set; }

    [NotVersioned]
    public string? LastPollError { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>What became of one message read from a mailbox.</summary>
public enum InboundMailOutcome
{
    /// <summary>A new case (channel e-mail).</summary>
    CaseCreated,

    /// <summary>A customer message on the case it answers.</summary>
    MessageAdded,

    /// <summary>An automatic answer (Auto-Submitted, X-Autoreply, Precedence bulk/auto_reply): recorded, no case, never answered.</summary>
    AutoReply,

    /// <summary>A delivery status report (bounce): the address it names is flagged; no case.</summary>
    Bounce,

    /// <summary>Not usable (malformed, no sender): recorded with the reason, the poller goes on.</summary>
    Rejected,

    /// <summary>A message with a Message-ID this mailbox already took (the same mail delivered twice).</summary>
    Duplicate,
}

/// <summary>
/// One message read from a mailbox, recorded in the transaction that acts on it: (mailbox, UIDVALIDITY, UID) is unique, so of
/// two nodes (or a retry after a crash between fetch and commit) exactly one writes the case.
/// </summary>
public sealed class InboundMail
{
    public long Id { get; set; }

    public long MailboxId { get; set; }

    public long UidValidity { get; set; }

    public long Uid { get; set; }

    /// <summary>The Message-ID header without angle brackets (null when the message had none).</summary>
    public string? MessageId { get; set; }

    public InboundMailOutcome Outcome { get; set; }

    public long? CaseId { get; set; }

    public long? CaseMessageId { get; set; }

    /// <summary>The sender's address, encrypted, and its blind index (how the customer was matched).</summary>
    public string? SenderCipher { get; set; }

    public string? SenderIndex { get; set; }

    public string? Subject { get; set; }

    /// <summary>The HTML body after HtmlSanitizer (no script, no event handlers), when the message had one.</summary>
    public string? HtmlBody { get; set; }

    /// <summary>Why it was rejected, and what was refused of it (an attachment too large or of a refused kind).</summary>
    public string? Reason { get; set; }

    public long Size { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>An address a delivery status report said does not take mail: flagged, with how often and why.</summary>
public sealed class BouncedAddress
{
    public long Id { get; set; }

    public string AddressIndex { get; set; } = "";

    public string AddressCipher { get; set; } = "";

    public int Bounces { get; set; }

    public DateTimeOffset FirstBouncedAt { get; set; }

    public DateTimeOffset LastBouncedAt { get; set; }

    public string? LastReason { get; set; }
}

/// <summary>Bound from <c>Mail</c>.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Seconds between passes of the poller over every enabled mailbox.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 60;

    /// <summary>Messages taken from one mailbox in one pass (the rest wait for the next).</summary>
    [Range(1, 100000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Seconds a connection to a mail server may take before it is given up.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The mailbox that sends when a case's branch and team have none (null: such mail fails and is retried).</summary>
    public long? DefaultMailboxId { get; set; }
}

internal sealed class MailboxConfiguration : IEntityTypeConfiguration<Mailbox>
{
    public void Configure(EntityTypeBuilder<Mailbox> builder)
    {
        builder.ToTable("mailboxes");
        builder.HasIndex(m => m.Address).IsUnique();
        builder.HasIndex(m => m.BranchId);
        builder.HasIndex(m => m.TeamId);
        builder.Property(m => m.Address).HasMaxLength(200);
        builder.Property(m => m.DisplayName).HasMaxLength(100);
        builder.Property(m => m.ImapHost).HasMaxLength(200);
        builder.Property(m => m.ImapUser).HasMaxLength(200);
        builder.Property(m => m.ImapPasswordCipher).HasMaxLength(400);
        builder.Property(m => m.Folder).HasMaxLength(200);
        builder.Property(m => m.SmtpHost).HasMaxLength(200);
        builder.Property(m => m.SmtpUser).HasMaxLength(200);
        builder.Property(m => m.SmtpPasswordCipher).HasMaxLength(400);
        builder.Property(m => m.LastPollError).HasMaxLength(2000);
        builder.HasOne<Branch>().WithMany().HasForeignKey(m => m.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class InboundMailConfiguration : IEntityTypeConfiguration<InboundMail>
{
    public void Configure(EntityTypeBuilder<InboundMail> builder)
    {
        builder.ToTable("mail_inbound");
        builder.HasIndex(m => new { m.MailboxId, m.UidValidity, m.Uid }).IsUnique();
        builder.HasIndex(m => m.MessageId);
        builder.HasIndex(m => m.CaseId);
        builder.Property(m => m.MessageId).HasMaxLength(400);
        builder.Property(m => m.SenderCipher).HasMaxLength(600);
        builder.Property(m => m.SenderIndex).HasMaxLength(64);
        builder.Property(m => m.Subject).HasMaxLength(400);
        builder.Property(m => m.HtmlBody).HasMaxLength(200000);
        builder.Property(m => m.Reason).HasMaxLength(2000);
        builder.HasOne<Mailbox>().WithMany().HasForeignKey(m => m.MailboxId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class BouncedAddressConfiguration : IEntityTypeConfiguration<BouncedAddress>
{
    public void Configure(EntityTypeBuilder<BouncedAddress> builder)
    {
        builder.ToTable("mail_bounced_addresses");
        builder.HasIndex(b => b.AddressIndex).IsUnique();
        builder.Property(b => b.AddressIndex).HasMaxLength(64);
        builder.Property(b => b.AddressCipher).HasMaxLength(600);
        builder.Property(b => b.LastReason).HasMaxLength(2000);
    }
}
