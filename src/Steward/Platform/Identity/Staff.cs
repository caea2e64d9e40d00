using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Platform.Identity;

/// <summary>A staff account. Usernames are stored lower-case and are unique.</summary>
public sealed class Staff : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public string Username { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public string? Email { get; set; }

    [AuditRedacted]
    public string PasswordHash { get; set; } = "";

    /// <summary>Changes whenever the password, roles or access change; sign-ins made before are no longer valid.</summary>
    [AuditRedacted]
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");

    [NotVersioned, AccountBookkeeping]
    public int FailedSignIns { get; set; }

    [NotVersioned, AccountBookkeeping]
    public DateTimeOffset? LockedUntil { get; set; }

    public bool IsActive { get; set; } = true;

    public long HomeBranchId { get; set; }

    public long? TeamId { get; set; }

    /// <summary>Preferred UI language (<c>zh-CN</c> or <c>en</c>); empty means the browser's.</summary>
    [NotVersioned, AccountBookkeeping]
    public string? Culture { get; set; }

    [NotVersioned, AccountBookkeeping]
    public DateTimeOffset? LastSignInAt { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<StaffRoleAssignment> Roles { get; set; } = [];

    /// <summary>Branches beyond the home branch this person may work in.</summary>
    public List<StaffBranchAccess> ExtraBranches { get; set; } = [];

    long? IBranchOwned.OwningBranchId => HomeBranchId;
}

public sealed class StaffRoleAssignment : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    public StaffRole Role { get; set; }
}

public sealed class StaffBranchAccess : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    public long BranchId { get; set; }
}

internal sealed class StaffConfiguration : IEntityTypeConfiguration<Staff>
{
    public void Configure(EntityTypeBuilder<Staff> builder)
    {
        builder.ToTable("staff");
        builder.HasIndex(s => s.Username).IsUnique();
        builder.Property(s => s.Username).HasMaxLength(64);
        builder.Property(s => s.DisplayName).HasMaxLength(100);
        builder.Property(s => s.Email).HasMaxLength(200);
        builder.Property(s => s.PasswordHash).HasMaxLength(200);
        builder.Property(s => s.SecurityStamp).HasMaxLength(64);
        builder.Property(s => s.Culture).HasMaxLength(10);
        builder.HasOne<Features.Organisation.Branch>().WithMany().HasForeignKey(s => s.HomeBranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Features.Organisation.Team>().WithMany().HasForeignKey(s => s.TeamId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(s => s.Roles).WithOne().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(s => s.ExtraBranches).WithOne().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StaffRoleAssignmentConfiguration : IEntityTypeConfiguration<StaffRoleAssignment>
{
    public void Configure(EntityTypeBuilder<StaffRoleAssignment> builder)
    {
        builder.ToTable("staff_roles");
        builder.HasIndex(r => new { r.StaffId, r.Role }).IsUnique();
    }
}

internal sealed class StaffBranchAccessConfiguration : IEntityTypeConfiguration<StaffBranchAccess>
{
    public void Configure(EntityTypeBuilder<StaffBranchAccess> builder)
    {
        builder.ToTable("staff_branches");
        builder.HasIndex(r => new { r.StaffId, r.BranchId }).IsUnique();
        builder.HasOne<Features.Organisation.Branch>().WithMany().HasForeignKey(r => r.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}
