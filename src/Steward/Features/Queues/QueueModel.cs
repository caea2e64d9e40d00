using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Queues;

/// <summary>A ticket's priority class, lowest first; the head start of each class is in <see cref="QueueOptions"/>.</summary>
public enum QueuePriority
{
    Normal,

    /// <summary>Gold, Platinum and Private customers identified at the kiosk.</summary>
    Vip,

    /// <summary>Aged 65 or more, disability, limited capacity or another recorded vulnerability (爱心).</summary>
    Vulnerable,

    /// <summary>An appointment checked in within its window (decision 0050): a head start like the others, under the same fairness bound.</summary>
    Appointment,
}

/// <summary>Where a ticket is in its visit; every change is also a <see cref="QueueTicketEvent"/>.</summary>
public enum TicketStatus
{
    Waiting,

    /// <summary>Called to a counter (possibly several times); the customer has not yet arrived there.</summary>
    Called,

    /// <summary>The customer is at the counter being served.</summary>
    Serving,

    /// <summary>On hold at its counter (the customer fetches a document); the same counter resumes it.</summary>
    Parked,

    Finished,

    /// <summary>Called <see cref="QueueOptions.NoShowAfterCalls"/> times without coming.</summary>
    NoShow,

    /// <summary>Left before receiving service.</summary>
    Left,
}

/// <summary>The period states of a visit as events (bcgov/queue-management's periods, Qmatic's visit events).</summary>
public enum TicketEventKind
{
    Issued,
    Called,
    Recalled,

    /// <summary>The customer walked up to the counter: the walk-up period (called → here) ends, serving begins.</summary>
    Serving,
    Parked,
    Resumed,
    Finished,
    NoShow,
    Transferred,
    Left,

    /// <summary>The ticket came from an appointment checked in (written right after <see cref="Issued"/>).</summary>
    CheckedIn,
}

/// <summary>What the counter records when it finishes a visit.</summary>
public enum TicketOutcome
{
    Completed,
    FollowUpNeeded,
    Referred,
    NotPossible,
}

/// <summary>A service a branch offers at its counters (cash, account opening, wealth consulting …), with its ticket letter.</summary>
public sealed class QueueServiceType : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>One upper-case letter A–Z, unique in the branch: the ticket numbers are this letter and three digits.</summary>
    public string Prefix { get; set; } = "A";

    /// <summary>The target wait in minutes (shown against the measured waits).</summary>
    public int TargetWaitMinutes { get; set; } = 15;

    /// <summary>A counter receives tickets of this type only while its staff holds a valid certificate of this type.</summary>
    public long? RequiredQualificationTypeId { get; set; }

    public int SortOrder { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The length of its appointment slots in minutes; null: <see cref="QueueOptions.AppointmentSlotMinutes"/>.</summary>
    public int? AppointmentSlotMinutes { get; set; }

    /// <summary>Places per appointment slot; null: <see cref="QueueOptions.AppointmentCapacity"/>; 0: no appointments.</summary>
    public int? AppointmentCapacity { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

/// <summary>A counter (窗口) of a branch and the service types it serves; <see cref="StaffId"/> is who is signed in to it.</summary>
public sealed class QueueCounter : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    /// <summary>The number on the counter and the board, unique in the branch.</summary>
    public int Number { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>Comma-separated ids of the <see cref="QueueServiceType"/>s it serves.</summary>
    public string ServiceTypeIds { get; set; } = "";

    /// <summary>爱心窗口: calls vulnerable customers first.</summary>
    public bool IsPriorityCounter { get; set; }

    /// <summary>A counter in the wealth sales zone (理财专区), where sales are recorded (双录).</summary>
    public bool IsWealthZone { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>The staff member signed in; unique, so one staff member is on one counter at a time.</summary>
    [NotVersioned]
    public long? StaffId { get; set; }

    [NotVersioned]
    public DateTimeOffset? StaffSince { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public IReadOnlyList<long> ServedTypeIds() => QueueIds.Parse(ServiceTypeIds);

    long? IBranchOwned.OwningBranchId => BranchId;
}

/// <summary>
/// One visit: a ticket and where it is. Not an <see cref="IAuditable"/> row: its <see cref="QueueTicketEvent"/>s, append-only,
/// with instant, counter and staff, are its trail (a branch issues thousands a day; decision 0034).
/// <see cref="Version"/> is the compare-and-set token of a call: two counters calling at once cannot both win it.
/// </summary>
public sealed class QueueTicket : IVersioned, ITimestamped
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    /// <summary>The type it waits for now (changes on a transfer).</summary>
    public long ServiceTypeId { get; set; }

    /// <summary>The type it was issued for: its number's letter and sequence belong to it.</summary>
    public long IssuedServiceTypeId { get; set; }

    /// <summary>The branch's local date it was issued on; numbers restart each local day.</summary>
    public DateOnly BusinessDate { get; set; }

    public int Sequence { get; set; }

    /// <summary>Letter and three digits, e.g. A001.</summary>
    public string Number { get; set; } = "";

    public QueuePriority Priority { get; set; }

    public long? CustomerId { get; set; }

    public TicketStatus Status { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>Where its wait is measured from: the issue instant, kept on a transfer.</summary>
    public DateTimeOffset WaitingSince { get; set; }

    public long? CounterId { get; set; }

    public long? StaffId { get; set; }

    /// <summary>Calls since it last waited (a transfer starts again from 0).</summary>
    public int CallCount { get; set; }

    public DateTimeOffset? CalledAt { get; set; }

    /// <summary>How many later tickets a counter that could serve it called before it (bounded by <see cref="QueueOptions.MaxOvertakes"/>).</summary>
    public int OvertakenCount { get; set; }

    public TicketOutcome? Outcome { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>
    /// The wait in whole minutes <see cref="WaitEstimate"/> promised when the ticket was issued (null on tickets older than
    /// the estimate); measured against the wait its first call records (decision 0044).
    /// </summary>
    public int? EstimatedWaitMinutes { get; set; }

    /// <summary>The unguessable token of the ticket's public page (its QR code); null on tickets issued before there was one.</summary>
    public string? PublicToken { get; set; }

    /// <summary>The appointment this ticket was checked in from (decision 0050).</summary>
    public long? AppointmentId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A period state of a visit, at its instant; never changed after it is written.</summary>
public sealed class QueueTicketEvent
{
    public long Id { get; set; }

    public long TicketId { get; set; }

    public TicketEventKind Kind { get; set; }

    public DateTimeOffset At { get; set; }

    public long? CounterId { get; set; }

    public long? StaffId { get; set; }

    /// <summary>The service type the ticket has after the event (the target of a transfer).</summary>
    public long ServiceTypeId { get; set; }

    public TicketOutcome? Outcome { get; set; }
}

/// <summary>The last ticket sequence of a service type on a branch day; incremented by one atomic upsert per ticket.</summary>
public sealed class QueueDaySequence
{
    public long ServiceTypeId { get; set; }

    public DateOnly BusinessDate { get; set; }

    public int LastSequence { get; set; }
}

internal static class QueueIds
{
    public static IReadOnlyList<long> Parse(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
            .Where(v => v > 0).Distinct().ToList();

    public static string Format(IEnumerable<long> ids) =>
        string.Join(',', ids.Distinct().Order().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

internal sealed class QueueServiceTypeConfiguration : IEntityTypeConfiguration<QueueServiceType>
{
    /// <summary>One letter per branch (migration 0024).</summary>
    public static readonly UniqueIndex OneLetterPerBranch = new("queue_service_types", "ix_queue_service_types_branch_id_prefix", "branch_id", "prefix");

    public void Configure(EntityTypeBuilder<QueueServiceType> builder)
    {
        builder.ToTable("queue_service_types");
        builder.HasIndex(s => new { s.BranchId, s.Prefix }).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(100);
        builder.Property(s => s.NameEn).HasMaxLength(100);
        builder.Property(s => s.Prefix).HasMaxLength(1);
        builder.HasOne<Branch>().WithMany().HasForeignKey(s => s.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QualificationType>().WithMany().HasForeignKey(s => s.RequiredQualificationTypeId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QueueCounterConfiguration : IEntityTypeConfiguration<QueueCounter>
{
    /// <summary>One staff member on one counter (migration 0024).</summary>
    public static readonly UniqueIndex OneCounterPerStaff = new("queue_counters", "ix_queue_counters_staff_id", "staff_id");

    /// <summary>One counter number per branch (migration 0024).</summary>
    public static readonly UniqueIndex OneNumberPerBranch = new("queue_counters", "ix_queue_counters_branch_id_number", "branch_id", "number");

    public void Configure(EntityTypeBuilder<QueueCounter> builder)
    {
        builder.ToTable("queue_counters");
        builder.HasIndex(c => new { c.BranchId, c.Number }).IsUnique();
        builder.HasIndex(c => c.StaffId).IsUnique();
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.NameEn).HasMaxLength(100);
        builder.Property(c => c.ServiceTypeIds).HasMaxLength(400);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.StaffId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class QueueTicketConfiguration : IEntityTypeConfiguration<QueueTicket>
{
    public void Configure(EntityTypeBuilder<QueueTicket> builder)
    {
        builder.ToTable("queue_tickets");
        builder.HasIndex(t => new { t.IssuedServiceTypeId, t.BusinessDate, t.Sequence }).IsUnique();
        builder.HasIndex(t => new { t.BranchId, t.Status, t.ServiceTypeId });
        builder.HasIndex(t => t.ServiceTypeId);
        builder.HasIndex(t => t.CounterId);
        builder.HasIndex(t => t.CustomerId);
        builder.HasIndex(t => t.PublicToken).IsUnique();
        builder.HasIndex(t => t.AppointmentId);
        builder.Property(t => t.Number).HasMaxLength(8);
        builder.Property(t => t.PublicToken).HasMaxLength(32);
        builder.HasOne<Branch>().WithMany().HasForeignKey(t => t.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueServiceType>().WithMany().HasForeignKey(t => t.ServiceTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueServiceType>().WithMany().HasForeignKey(t => t.IssuedServiceTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueCounter>().WithMany().HasForeignKey(t => t.CounterId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(t => t.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QueueTicketEventConfiguration : IEntityTypeConfiguration<QueueTicketEvent>
{
    public void Configure(EntityTypeBuilder<QueueTicketEvent> builder)
    {
        builder.ToTable("queue_ticket_events");
        builder.HasIndex(e => new { e.TicketId, e.At });
        builder.HasOne<QueueTicket>().WithMany().HasForeignKey(e => e.TicketId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class QueueDaySequenceConfiguration : IEntityTypeConfiguration<QueueDaySequence>
{
    public void Configure(EntityTypeBuilder<QueueDaySequence> builder)
    {
        builder.ToTable("queue_day_sequences");
        builder.HasKey(s => new { s.ServiceTypeId, s.BusinessDate });
        builder.HasOne<QueueServiceType>().WithMany().HasForeignKey(s => s.ServiceTypeId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A branch's call sequence: every call takes the branch's row (an atomic upsert) first, so calls in one branch are
/// one at a time on both databases, and the board orders calls by <see cref="CallSequence"/> (decision 0034).
/// </summary>
public sealed class QueueBranchState
{
    public long BranchId { get; set; }

    public long CallSequence { get; set; }
}

internal sealed class QueueBranchStateConfiguration : IEntityTypeConfiguration<QueueBranchState>
{
    public void Configure(EntityTypeBuilder<QueueBranchState> builder)
    {
        builder.ToTable("queue_branch_states");
        builder.HasKey(s => s.BranchId);
        builder.Property(s => s.BranchId).ValueGeneratedNever();
        builder.HasOne<Branch>().WithMany().HasForeignKey(s => s.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// A ticket called before its turn (a customer who cannot wait, an appointment kept, a colleague's hand-over), with the reason
/// the counter gave. Audited (unlike the ticket rows): an exception to the fair order is exactly what a review asks about.
/// <see cref="NextInOrder"/> is the ticket the fair order would have called; <see cref="PassedOver"/> how many waiting tickets
/// that came earlier it overtook (their overtake counters went up, as with any call).
/// </summary>
public sealed class QueueOutOfOrderCall : IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    public long TicketId { get; set; }

    public long CounterId { get; set; }

    public long StaffId { get; set; }

    public DateTimeOffset At { get; set; }

    public string Reason { get; set; } = "";

    public string? NextInOrder { get; set; }

    public int PassedOver { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

internal sealed class QueueOutOfOrderCallConfiguration : IEntityTypeConfiguration<QueueOutOfOrderCall>
{
    public void Configure(EntityTypeBuilder<QueueOutOfOrderCall> builder)
    {
        builder.ToTable("queue_out_of_order_calls");
        builder.HasIndex(c => c.TicketId);
        builder.HasIndex(c => new { c.BranchId, c.At });
        builder.HasIndex(c => c.CounterId);
        builder.Property(c => c.Reason).HasMaxLength(200);
        builder.Property(c => c.NextInOrder).HasMaxLength(8);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QueueTicket>().WithMany().HasForeignKey(c => c.TicketId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<QueueCounter>().WithMany().HasForeignKey(c => c.CounterId).OnDelete(DeleteBehavior.Restrict);
    }
}
