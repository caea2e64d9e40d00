using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Organisation;

/// <summary>The institution Steward serves (one per deployment).</summary>
public sealed class Institution : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>Short code used in human references, e.g. <c>SV</c>.</summary>
    public string Code { get; set; } = "SV";

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A branch or service centre, with its own IANA time zone.</summary>
public sealed class Branch : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    /// <summary>Unique short code, upper case, e.g. <c>SH01</c>.</summary>
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>IANA zone id, e.g. <c>Asia/Shanghai</c>; deadlines and opening hours are reckoned in it.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public string? Address { get; set; }

    public bool IsActive { get; set; } = true;

    /// <summary>
    /// The regulatory preset that governs this branch's complaints (a <see cref="Steward.Features.Sla.SlaStandard"/>),
    /// or null for the institution's (<see cref="Steward.Features.Sla.SlaSettings.RegulatoryStandardId"/>). A London
    /// branch of a Chinese bank answers to the FCA, not to the Chinese regulator (decision 0016).
    /// </summary>
    public long? RegulatoryStandardId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => Id;
}

/// <summary>A team inside a branch; cases queue per team.</summary>
public sealed class Team : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public long BranchId { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

internal sealed class InstitutionConfiguration : IEntityTypeConfiguration<Institution>
{
    public void Configure(EntityTypeBuilder<Institution> builder)
    {
        builder.ToTable("institutions");
        builder.Property(i => i.Name).HasMaxLength(200);
        builder.Property(i => i.NameEn).HasMaxLength(200);
        builder.Property(i => i.Code).HasMaxLength(8);
    }
}

internal sealed class BranchConfiguration : IEntityTypeConfiguration<Branch>
{
    public void Configure(EntityTypeBuilder<Branch> builder)
    {
        builder.ToTable("branches");
        builder.HasIndex(b => b.Code).IsUnique();
        builder.Property(b => b.Code).HasMaxLength(16);
        builder.Property(b => b.Name).HasMaxLength(200);
        builder.Property(b => b.NameEn).HasMaxLength(200);
        builder.Property(b => b.TimeZone).HasMaxLength(64);
        builder.Property(b => b.Address).HasMaxLength(400);
        builder.HasOne<Steward.Features.Sla.SlaStandard>().WithMany().HasForeignKey(b => b.RegulatoryStandardId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.ToTable("teams");
        builder.HasIndex(t => new { t.BranchId, t.Name }).IsUnique();
        builder.Property(t => t.Name).HasMaxLength(100);
        builder.Property(t => t.NameEn).HasMaxLength(100);
        builder.HasOne<Branch>().WithMany().HasForeignKey(t => t.BranchId).OnDelete(DeleteBehavior.Restrict);
    }
}
