using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Sla;

/// <summary>A business calendar as data: zone, weekly working periods, holidays and make-up working days.</summary>
public sealed class SlaCalendar : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    /// <summary>The Chinese name; <see cref="NameEn"/> the English one. Both required, like an organisation's names.</summary>
    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>IANA zone id, e.g. <c>Asia/Shanghai</c>.</summary>
    public string TimeZone { get; set; } = PrcHolidayPreset.TimeZoneId;

    /// <summary>The weekly pattern in <see cref="WeeklyHours"/> text form, e.g. <c>MO=09:00-12:00,13:30-17:30;TU=…</c>.</summary>
    public string WeeklyHours { get; set; } = "";

    /// <summary>The institution's default calendar, used by branches without one of their own. Exactly one is the default.</summary>
    public bool IsDefault { get; set; }

    public List<SlaCalendarDay> Days { get; set; } = [];

    /// <summary>
    /// The years whose holidays and make-up working days this calendar holds completely ("loaded"). Explicit, not
    /// inferred from <see cref="Days"/>: a year may rightly have no extra day, and one day typed in does not make a
    /// year complete. See <see cref="BusinessCalendar.HolidayYears"/>.
    /// </summary>
    public List<SlaCalendarYear> HolidayYears { get; set; } = [];

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Whether a calendar date is a holiday or a make-up working day.</summary>
public enum SlaCalendarDayKind
{
    Holiday,
    MakeUpWorkingDay,
}

/// <summary>A holiday or make-up working day of a calendar. Changing one bumps the calendar's version.</summary>
public sealed class SlaCalendarDay : IAuditable
{
    public long Id { get; set; }

    public long CalendarId { get; set; }

    public DateOnly Date { get; set; }

    public SlaCalendarDayKind Kind { get; set; }

    /// <summary>For make-up working days: the weekday whose working periods apply.</summary>
    public IsoDayOfWeek? WorksLike { get; set; }

    /// <summary>The Chinese name; <see cref="NameEn"/> the English one. Either may be empty: readers then see the other.</summary>
    public string? Name { get; set; }

    public string? NameEn { get; set; }
}

/// <summary>A year whose holidays a calendar holds completely. Changing one bumps the calendar's version.</summary>
public sealed class SlaCalendarYear : IAuditable
{
    public long Id { get; set; }

    public long CalendarId { get; set; }

    public int Year { get; set; }
}

/// <summary>
/// Administrators were told that <see cref="Year"/>'s holidays are missing from a calendar. The unique key
/// (calendar, year) is the claim: one reminder per calendar and year, whichever node gets there first.
/// </summary>
public sealed class SlaHolidayReminder
{
    public long Id { get; set; }

    public long CalendarId { get; set; }

    public int Year { get; set; }

    public DateTimeOffset RaisedAt { get; set; }
}

/// <summary>A branch's calendar; a branch without a row uses the institution's default calendar.</summary>
public sealed class BranchCalendar : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    public long CalendarId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

/// <summary>The institution's SLA settings (one row per deployment, which serves one institution).</summary>
public sealed class SlaSettings : IVersioned, ITimestamped, IAuditable
{
    public const string InstitutionScope = "institution";

    public long Id { get; set; }

    /// <summary>Always <see cref="InstitutionScope"/>; unique, so that two nodes never create two rows.</summary>
    public string Scope { get; set; } = InstitutionScope;

    /// <summary>The regulatory preset in force for complaints, or null for none.</summary>
    public long? RegulatoryStandardId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Where a standard comes from.</summary>
public enum SlaStandardKind
{
    /// <summary>The institution's own service standard (one per institution).</summary>
    Institution,

    /// <summary>A regulator's complaint-handling rules, shipped as a preset and editable afterwards.</summary>
    RegulatoryPreset,
}

/// <summary>A service standard. Its content lives in immutable <see cref="SlaStandardVersion"/>s.</summary>
public sealed class SlaStandard : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    /// <summary>Stable code, e.g. <c>INSTITUTION</c>, <c>CN-CBIRC-2020-3</c>.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public SlaStandardKind Kind { get; set; }

    /// <summary>ISO 3166 country of a regulatory preset (CN, GB, US); null for the institution's own.</summary>
    public string? Jurisdiction { get; set; }

    public List<SlaStandardVersion> Versions { get; set; } = [];

    /// <summary>Goes up whenever a version is added, so two administrators editing at once get a 409.</summary>
    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One version of a standard, in force from <see cref="EffectiveFrom"/> until the next version's
/// effective-from. Never changed after it is created: a change is a new version.
/// </summary>
public sealed class SlaStandardVersion : ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long StandardId { get; set; }

    /// <summary>1, 2, 3… per standard.</summary>
    public int Number { get; set; }

    public DateTimeOffset EffectiveFrom { get; set; }

    /// <summary>The source text this version implements (regulation, seed document), shown with the preset.</summary>
    public string Citation { get; set; } = "";

    /// <summary>Rules that are not deadlines (merging, restarting, extensions), in Chinese; part 2 applies them to cases.</summary>
    public string RulesZh { get; set; } = "";

    public string RulesEn { get; set; } = "";

    public string? ChangeNote { get; set; }

    public string CreatedBy { get; set; } = "";

    public List<SlaRule> Rules { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One target of a standard version: which cases it applies to (each dimension null = any), the target type,
/// amount and unit, warnings, pause reasons and the extension policy.
/// </summary>
public sealed class SlaRule : IAuditable
{
    public long Id { get; set; }

    public long StandardVersionId { get; set; }

    [AuditValues("case.kind.")]
    public string? CaseKind { get; set; }

    [AuditValues("case.priority.")]
    public string? Priority { get; set; }

    [AuditValues("customer.tier.")]
    public string? CustomerTier { get; set; }

    [AuditValues("case.channel.")]
    public string? Channel { get; set; }

    public SlaTargetType TargetType { get; set; }

    public int Amount { get; set; }

    public SlaUnit Unit { get; set; }

    public bool RollForward { get; set; }

    /// <summary>First warning, percent of the target (default 75).</summary>
    public int WarningPercent1 { get; set; } = 75;

    /// <summary>Second warning, percent of the target (default 90).</summary>
    public int WarningPercent2 { get; set; } = 90;

    /// <summary>Comma-separated <see cref="SlaPauseReasons"/> that stop this clock.</summary>
    [AuditValues("sla.pause.")]
    public string PauseReasons { get; set; } = "";

    /// <summary>The longest extension allowed, in <see cref="Unit"/>; null or 0 = no extension.</summary>
    public int? MaxExtension { get; set; }

    public bool ExtensionNeedsApproval { get; set; }

    /// <summary>An extension must be notified to (shown to) the customer.</summary>
    public bool ExtensionNoticeToCustomer { get; set; }

    public string? Note { get; set; }
}

internal sealed class SlaCalendarConfiguration : IEntityTypeConfiguration<SlaCalendar>
{
    public void Configure(EntityTypeBuilder<SlaCalendar> builder)
    {
        builder.ToTable("sla_calendars");
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.NameEn).HasMaxLength(200);
        builder.Property(c => c.TimeZone).HasMaxLength(64);
        builder.Property(c => c.WeeklyHours).HasMaxLength(2000);
        builder.HasIndex(c => c.Name).IsUnique();
        builder.HasMany(c => c.Days).WithOne().HasForeignKey(d => d.CalendarId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.HolidayYears).WithOne().HasForeignKey(y => y.CalendarId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaCalendarYearConfiguration : IEntityTypeConfiguration<SlaCalendarYear>
{
    public void Configure(EntityTypeBuilder<SlaCalendarYear> builder)
    {
        builder.ToTable("sla_calendar_years");
        builder.HasIndex(y => new { y.CalendarId, y.Year }).IsUnique();
    }
}

internal sealed class SlaHolidayReminderConfiguration : IEntityTypeConfiguration<SlaHolidayReminder>
{
    public void Configure(EntityTypeBuilder<SlaHolidayReminder> builder)
    {
        builder.ToTable("sla_holiday_reminders");
        builder.HasIndex(r => new { r.CalendarId, r.Year }).IsUnique();
        builder.HasOne<SlaCalendar>().WithMany().HasForeignKey(r => r.CalendarId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaCalendarDayConfiguration : IEntityTypeConfiguration<SlaCalendarDay>
{
    public void Configure(EntityTypeBuilder<SlaCalendarDay> builder)
    {
        builder.ToTable("sla_calendar_days");
        builder.HasIndex(d => new { d.CalendarId, d.Date }).IsUnique();
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.NameEn).HasMaxLength(200);
    }
}

internal sealed class BranchCalendarConfiguration : IEntityTypeConfiguration<BranchCalendar>
{
    public void Configure(EntityTypeBuilder<BranchCalendar> builder)
    {
        builder.ToTable("sla_branch_calendars");
        builder.HasIndex(b => b.BranchId).IsUnique();
        builder.HasIndex(b => b.CalendarId);
        builder.HasOne<Branch>().WithMany().HasForeignKey(b => b.BranchId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SlaCalendar>().WithMany().HasForeignKey(b => b.CalendarId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SlaSettingsConfiguration : IEntityTypeConfiguration<SlaSettings>
{
    public void Configure(EntityTypeBuilder<SlaSettings> builder)
    {
        builder.ToTable("sla_settings");
        builder.Property(s => s.Scope).HasMaxLength(40);
        builder.HasIndex(s => s.Scope).IsUnique();
        builder.HasOne<SlaStandard>().WithMany().HasForeignKey(s => s.RegulatoryStandardId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SlaStandardConfiguration : IEntityTypeConfiguration<SlaStandard>
{
    public void Configure(EntityTypeBuilder<SlaStandard> builder)
    {
        builder.ToTable("sla_standards");
        builder.Property(s => s.Code).HasMaxLength(40);
        builder.HasIndex(s => s.Code).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.NameEn).HasMaxLength(200);
        builder.Property(s => s.Jurisdiction).HasMaxLength(8);
        builder.HasMany(s => s.Versions).WithOne().HasForeignKey(v => v.StandardId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaStandardVersionConfiguration : IEntityTypeConfiguration<SlaStandardVersion>
{
    public void Configure(EntityTypeBuilder<SlaStandardVersion> builder)
    {
        builder.ToTable("sla_standard_versions");
        builder.HasIndex(v => new { v.StandardId, v.Number }).IsUnique();
        builder.Property(v => v.Citation).HasMaxLength(4000);
        builder.Property(v => v.RulesZh).HasMaxLength(4000);
        builder.Property(v => v.RulesEn).HasMaxLength(4000);
        builder.Property(v => v.ChangeNote).HasMaxLength(400);
        builder.Property(v => v.CreatedBy).HasMaxLength(100);
        builder.HasMany(v => v.Rules).WithOne().HasForeignKey(r => r.StandardVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SlaRuleConfiguration : IEntityTypeConfiguration<SlaRule>
{
    public void Configure(EntityTypeBuilder<SlaRule> builder)
    {
        builder.ToTable("sla_rules");
        builder.HasIndex(r => r.StandardVersionId);
        builder.Property(r => r.CaseKind).HasMaxLength(40);
        builder.Property(r => r.Priority).HasMaxLength(40);
        builder.Property(r => r.CustomerTier).HasMaxLength(40);
        builder.Property(r => r.Channel).HasMaxLength(40);
        builder.Property(r => r.PauseReasons).HasMaxLength(200);
        builder.Property(r => r.Note).HasMaxLength(400);
    }
}
