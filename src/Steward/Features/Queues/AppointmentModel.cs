using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Queues;

/// <summary>Where a booking is; <see cref="Booked"/> holds a place in its slot, <see cref="Cancelled"/> frees it.</summary>
public enum AppointmentStatus
{
    Booked,

    /// <summary>Checked in within its window (early margin before the start … grace after it): an appointment-priority ticket.</summary>
    CheckedIn,

    /// <summary>Arrived after the grace: a walk-in ticket in normal order.</summary>
    Late,

    /// <summary>Not checked in by the end of the grace (marked by the appointment job).</summary>
    NoShow,

    Cancelled,
}

/// <summary>
/// A booked appointment (预约): a place in one slot of a service type at a branch. Slots themselves are not rows — they are
/// computed from the branch calendar's opening hours (<see cref="AppointmentSlots"/>). The phone is encrypted with a blind
/// index (as on customer files); the manage link's token is stored as its SHA-256 only. Audited: every booking, cancel,
/// check-in, reminder and no-show is in the chain (decision 0050).
/// </summary>
public sealed class QueueAppointment : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    public long ServiceTypeId { get; set; }

    /// <summary>Six characters from an alphabet without look-alikes, typed at the kiosk to check in.</summary>
    public string Reference { get; set; } = "";

    public string TokenHash { get; set; } = "";

    public string CustomerName { get; set; } = "";

    [AuditRedacted]
    public string? PhoneCipher { get; set; }

    public string? PhoneIndex { get; set; }

    /// <summary>The customer file whose phone matched, if one did.</summary>
    public long? CustomerId { get; set; }

    /// <summary>The language of the booking (zh-CN or en): the reminder is written in it.</summary>
    public string Language { get; set; } = "zh-CN";

    /// <summary>The branch's local date of the slot.</summary>
    public DateOnly BusinessDate { get; set; }

    public DateTimeOffset SlotStart { get; set; }

    public DateTimeOffset SlotEnd { get; set; }

    public AppointmentStatus Status { get; set; }

    /// <summary>Staff who booked it for the customer (null: the customer booked it on the public page or API).</summary>
    public long? BookedByStaffId { get; set; }

    public DateTimeOffset? ReminderSentAt { get; set; }

    public DateTimeOffset? CheckedInAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>Staff who cancelled it for the customer (null: the customer did, from the manage link).</summary>
    public long? CancelledByStaffId { get; set; }

    /// <summary>Why staff cancelled it (required of them; the customer is told).</summary>
    public string? CancelReason { get; set; }

    public DateTimeOffset? NoShowAt { get; set; }

    /// <summary>The ticket it became at check-in.</summary>
    public long? TicketId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

/// <summary>A slot that has been booked at least once: its row is the lock a booking takes before counting the places.</summary>
public sealed class QueueAppointmentSlotLock
{
    public long ServiceTypeId { get; set; }

    /// <summary>The slot's start in Unix seconds.</summary>
    public long SlotUnix { get; set; }

    /// <summary>How many bookings have taken the lock (a touch counter; the places are counted from the bookings).</summary>
    public int Bookings { get; set; }
}

internal sealed class QueueAppointmentConfiguration : IEntityTypeConfiguration<QueueAppointment>
{
    public void Configure(EntityTypeBuilder<QueueAppointment> builder)
    {
        builder.ToTable("queue_appointments");
        builder.HasIndex(a => a.Reference).IsUnique();
        builder.HasIndex(a => a.TokenHash).IsUnique();
        builder.HasIndex(a => new { a.ServiceTypeId, a.SlotStart });
        builder.HasIndex(a => new { a.BranchId, a.BusinessDate });
        builder.HasIndex(a => new { a.Status, a.SlotStart });
        builder.HasIndex(a => a.PhoneIndex);
        builder.HasIndex(a => a.CustomerId);
        builder.HasIndex(a => a.TicketId);
        builder.Property(a => a.Reference).HasMaxLength(12);
        builder.Property(a => a.TokenHash).HasMaxLength(64);
        builder.Property(a => a.CustomerName).HasMaxLength(100);
        builder.Property(a => a.PhoneCipher).HasMaxLength(200);
        builder.Property(a => a.PhoneIndex).HasMaxLength(64);
        builder.Property(a => a.Language).HasMaxLength(10);
        builder.Property(a => a.Status).HasMaxLength(20);
        builder.Property(a => a.CancelReason).HasMaxLength(500);
        builder.HasOne<Branch>().WithMany().HasForeignKey(a => a.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueServiceType>().WithMany().HasForeignKey(a => a.ServiceTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueTicket>().WithMany().HasForeignKey(a => a.TicketId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class QueueAppointmentSlotLockConfiguration : IEntityTypeConfiguration<QueueAppointmentSlotLock>
{
    public void Configure(EntityTypeBuilder<QueueAppointmentSlotLock> builder)
    {
        builder.ToTable("queue_appointment_slot_locks");
        builder.HasKey(l => new { l.ServiceTypeId, l.SlotUnix });
        builder.HasOne<QueueServiceType>().WithMany().HasForeignKey(l => l.ServiceTypeId).OnDelete(DeleteBehavior.Cascade);
    }
}
