using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Sla.Clocks;

/// <summary>Where a clock is in its life.</summary>
public enum SlaClockStatus
{
    /// <summary>Counting; <see cref="SlaClock.DueAt"/> is the deadline.</summary>
    Running,

    /// <summary>Stopped while the case waits (a pause reason of the rule); no deadline until it resumes.</summary>
    Paused,

    /// <summary>The target was reached (<see cref="SlaClock.MetAt"/>); <see cref="SlaClock.BreachedAt"/> tells if it was late.</summary>
    Met,

    /// <summary>The deadline passed while the clock was running; it keeps counting until it is met.</summary>
    Breached,

    /// <summary>The case was cancelled or merged, or the target no longer applies after a re-classification.</summary>
    Cancelled,
}

/// <summary>The alert levels the sweep records, once per clock cycle and level.</summary>
public enum SlaAlertLevel
{
    /// <summary>First warning percentage (75 % by default): the assignee, or the team lead when unassigned.</summary>
    Warning1,

    /// <summary>Second warning percentage (90 % by default): as <see cref="Warning1"/>.</summary>
    Warning2,

    /// <summary>The deadline passed: assignee, team lead and branch manager.</summary>
    Breach,

    /// <summary><see cref="SlaOptions.ComplianceEscalationAfterHours"/> after the breach: compliance.</summary>
    Compliance,
}

/// <summary>Why a target changed after its clock started.</summary>
public enum SlaChangeCause
{
    /// <summary>Kind or priority changed; the resolver gave a different target.</summary>
    Retarget,

    /// <summary>An approved extension.</summary>
    Extension,
}

public enum SlaExtensionStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>
/// One SLA clock of a case: a target of one type and layer, with the rule it came from. The deadline and
/// warning instants are derived from the stored timeline (start, initial target, target changes, pauses) by the
/// <see cref="DeadlineCalculator"/> and stored so that lists and the sweep can query them.
/// </summary>
public sealed class SlaClock : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public SlaTargetType TargetType { get; set; }

    public SlaLayer Layer { get; set; }

    /// <summary>Starts at 1; a restart (PRC new facts, a new NextResponse round) adds one, so alerts fire again.</summary>
    public int Cycle { get; set; } = 1;

    public long StandardId { get; set; }

    public string StandardCode { get; set; } = "";

    public long StandardVersionId { get; set; }

    public int StandardVersionNumber { get; set; }

    public long RuleId { get; set; }

    /// <summary>The rule's match, as the resolver describes it (e.g. "Complaint / * / * / *").</summary>
    [AuditValues("case.kind.", "case.priority.", "customer.tier.", "case.channel.", Separator = " / ")]
    public string RuleMatch { get; set; } = "";

    public int InitialAmount { get; set; }

    public SlaUnit InitialUnit { get; set; }

    public bool InitialRollForward { get; set; }

    /// <summary>The target in force (after target changes).</summary>
    public int Amount { get; set; }

    public SlaUnit Unit { get; set; }

    public bool RollForward { get; set; }

    /// <summary>The rule's own amount (before extensions): extensions are measured from it.</summary>
    public int RuleAmount { get; set; }

    public int? MaxExtension { get; set; }

    public bool ExtensionNeedsApproval { get; set; }

    public bool ExtensionNoticeToCustomer { get; set; }

    public int WarningPercent1 { get; set; }

    public int WarningPercent2 { get; set; }

    /// <summary>Comma-separated <see cref="SlaPauseReasons"/> that stop this clock.</summary>
    [AuditValues("sla.pause.")]
    public string PauseReasons { get; set; } = "";

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>The deadline; null while paused.</summary>
    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? Warning1At { get; set; }

    public DateTimeOffset? Warning2At { get; set; }

    /// <summary>The earliest alert instant the sweep still has to look at (null: nothing to do).</summary>
    [NotVersioned]
    public DateTimeOffset? NextAlertAt { get; set; }

    public SlaClockStatus Status { get; set; }

    public DateTimeOffset? MetAt { get; set; }

    public DateTimeOffset? BreachedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>The calendar used (null: the built-in Mon–Fri 09:00–17:30 fallback in the branch's zone).</summary>
    public long? CalendarId { get; set; }

    public string? RestartReason { get; set; }

    public DateTimeOffset? RestartedAt { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<SlaClockPause> Pauses { get; set; } = [];

    public List<SlaClockChange> Changes { get; set; } = [];

    public bool IsOpen => Status is SlaClockStatus.Running or SlaClockStatus.Paused or SlaClockStatus.Breached;

    public SlaTarget InitialTarget => new(InitialAmount, InitialUnit, InitialRollForward);

    public SlaTarget Target => new(Amount, Unit, RollForward);
}

/// <summary>A pause [From, To) of one clock; To null while it lasts.</summary>
public sealed class SlaClockPause : IAuditable
{
    public long Id { get; set; }

    public long ClockId { get; set; }

    public int Cycle { get; set; }

    public DateTimeOffset FromAt { get; set; }

    public DateTimeOffset? ToAt { get; set; }

    /// <summary>A <see cref="SlaPauseReasons"/> value, or "Resolved" for the time a reopened case was resolved.</summary>
    [AuditValues("sla.pause.")]
    public string Reason { get; set; } = "";
}

/// <summary>A change of target at <see cref="At"/>; the engine keeps the time already used.</summary>
public sealed class SlaClockChange : IAuditable
{
    public long Id { get; set; }

    public long ClockId { get; set; }

    public int Cycle { get; set; }

    public DateTimeOffset At { get; set; }

    public SlaChangeCause Cause { get; set; }

    public int Amount { get; set; }

    public SlaUnit Unit { get; set; }

    public bool RollForward { get; set; }

    public long? RuleId { get; set; }

    public long? ExtensionId { get; set; }
}

/// <summary>An alert the sweep raised; unique per (clock, cycle, level), so a second node's insert does nothing.</summary>
public sealed class SlaAlert
{
    public long Id { get; set; }

    public long ClockId { get; set; }

    public long CaseId { get; set; }

    public int Cycle { get; set; }

    public SlaAlertLevel Level { get; set; }

    /// <summary>The instant the level was reached (warning instant, deadline, deadline + escalation delay).</summary>
    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset RaisedAt { get; set; }

    /// <summary>Staff ids notified, comma-separated.</summary>
    public string Recipients { get; set; } = "";
}

/// <summary>A request to extend a target, decided by someone other than the requester.</summary>
public sealed class SlaExtension : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long ClockId { get; set; }

    /// <summary>The requested total amount (in the target's unit), e.g. 30 → 60 days.</summary>
    public int NewAmount { get; set; }

    public int OldAmount { get; set; }

    public string Reason { get; set; } = "";

    public SlaExtensionStatus Status { get; set; }

    public long? RequestedById { get; set; }

    public string RequestedByName { get; set; } = "";

    public DateTimeOffset RequestedAt { get; set; }

    public long? DecidedById { get; set; }

    public string? DecidedByName { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecisionNote { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class SlaClockConfiguration : IEntityTypeConfiguration<SlaClock>
{
    /// <summary>One clock per case, target and layer (migration 0005).</summary>
    public static readonly UniqueIndex OneClockPerTarget = new("case_sla_clocks", "ix_case_sla_clocks_case_id_target_type_layer", "case_id", "target_type", "layer");

    public void Configure(EntityTypeBuilder<SlaClock> builder)
    {
        builder.ToTable("case_sla_clocks");
        builder.HasIndex(c => new { c.CaseId, c.TargetType, c.Layer }).IsUnique();
        builder.HasIndex(c => new { c.Status, c.NextAlertAt });
        builder.HasIndex(c => new { c.Status, c.DueAt });
        builder.Property(c => c.StandardCode).HasMaxLength(40);
        builder.Property(c => c.RuleMatch).HasMaxLength(200);
        builder.Property(c => c.PauseReasons).HasMaxLength(200);
        builder.Property(c => c.RestartReason).HasMaxLength(2000);
        builder.Ignore(c => c.IsOpen);
        builder.Ignore(c => c.InitialTarget);
        builder.Ignore(c => c.Target);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Pauses).WithOne().HasForeignKey(p => p.ClockId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Changes).WithOne().HasForeignKey(p => p.ClockId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaClockPauseConfiguration : IEntityTypeConfiguration<SlaClockPause>
{
    public void Configure(EntityTypeBuilder<SlaClockPause> builder)
    {
        builder.ToTable("case_sla_pauses");
        builder.HasIndex(p => p.ClockId);
        builder.Property(p => p.Reason).HasMaxLength(40);
    }
}

internal sealed class SlaClockChangeConfiguration : IEntityTypeConfiguration<SlaClockChange>
{
    public void Configure(EntityTypeBuilder<SlaClockChange> builder)
    {
        builder.ToTable("case_sla_changes");
        builder.HasIndex(p => p.ClockId);
    }
}

internal sealed class SlaAlertConfiguration : IEntityTypeConfiguration<SlaAlert>
{
    public void Configure(EntityTypeBuilder<SlaAlert> builder)
    {
        builder.ToTable("case_sla_alerts");
        builder.HasIndex(a => new { a.ClockId, a.Cycle, a.Level }).IsUnique();
        builder.HasIndex(a => a.CaseId);
        builder.Property(a => a.Recipients).HasMaxLength(2000);
        builder.HasOne<SlaClock>().WithMany().HasForeignKey(a => a.ClockId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaExtensionConfiguration : IEntityTypeConfiguration<SlaExtension>
{
    public void Configure(EntityTypeBuilder<SlaExtension> builder)
    {
        builder.ToTable("case_sla_extensions");
        builder.HasIndex(e => e.CaseId);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.Property(e => e.DecisionNote).HasMaxLength(2000);
        builder.Property(e => e.RequestedByName).HasMaxLength(100);
        builder.Property(e => e.DecidedByName).HasMaxLength(100);
        builder.HasOne<SlaClock>().WithMany().HasForeignKey(e => e.ClockId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Staff>().WithMany().HasForeignKey(e => e.RequestedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(e => e.DecidedById).OnDelete(DeleteBehavior.Restrict);
    }
}
