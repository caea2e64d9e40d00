using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;

using Steward.Features.Cases;

namespace Steward.Features.Routing;

/// <summary>How a team's new cases find a person: left in the queue, or handed out automatically.</summary>
public enum AssignmentMode
{
    Manual,
    RoundRobin,
    LeastLoaded,
}

/// <summary>Case settings of one team: the kinds it receives and how its cases are assigned.</summary>
public sealed class CaseTeamSettings : IVersioned, IAuditable
{
    public long Id { get; set; }

    public long TeamId { get; set; }

    /// <summary>Comma-separated kinds routed to this team when a case names no team; empty: none.</summary>
    public string Kinds { get; set; } = "";

    public AssignmentMode Mode { get; set; }

    /// <summary>Round-robin position: the person who got the last case.</summary>
    public long? LastAssignedStaffId { get; set; }

    public int Version { get; set; }

    public IReadOnlyList<CaseKind> KindList =>
        Kinds.Length == 0 ? [] : Kinds.Split(',').Select(k => Enum.Parse<CaseKind>(k)).ToList();
}

internal sealed class CaseTeamSettingsConfiguration : IEntityTypeConfiguration<CaseTeamSettings>
{
    public void Configure(EntityTypeBuilder<CaseTeamSettings> builder)
    {
        builder.ToTable("case_team_settings");
        builder.HasIndex(s => s.TeamId).IsUnique();
        builder.Property(s => s.Kinds).HasMaxLength(200);
        builder.Ignore(s => s.KindList);
        builder.HasOne<Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Whether a staff member takes automatically assigned cases now; they switch it themselves.</summary>
public sealed class StaffDuty : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    public bool OnDuty { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class StaffDutyConfiguration : IEntityTypeConfiguration<StaffDuty>
{
    public void Configure(EntityTypeBuilder<StaffDuty> builder)
    {
        builder.ToTable("case_staff_duty");
        builder.HasIndex(d => d.StaffId).IsUnique();
        builder.HasOne<Staff>().WithMany().HasForeignKey(d => d.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}
