using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

/// <summary>
/// A kind of staff qualification, as data (基金从业资格, 证券从业资格, 银行从业资格（个人理财）, 保险销售从业人员 levels 1–4).
/// Types of one <see cref="Family"/> with a <see cref="Level"/> are ranked: a certificate of a higher level also
/// satisfies a requirement of a lower one (an insurance seller of level 3 may sell a level-2 product).
/// </summary>
public sealed class QualificationType : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public string Family { get; set; } = "";

    public int? Level { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One staff member's certificate. Valid on a date D when <see cref="IssuedOn"/> ≤ D ≤ <see cref="ExpiresOn"/>: the expiry
/// date is the last valid day (docs/decisions/0025); a null expiry never lapses. Evidence is a reference (a registry
/// link or the number of the paper file) or an uploaded file, or both.
/// </summary>
public sealed class StaffQualification : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    public long QualificationTypeId { get; set; }

    public string CertificateNumber { get; set; } = "";

    public DateOnly IssuedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public string? EvidenceReference { get; set; }

    public string? EvidenceFileName { get; set; }

    public string? EvidenceContentType { get; set; }

    public long? EvidenceSize { get; set; }

    public string? EvidenceSha256 { get; set; }

    public long? EvidenceBlobId { get; set; }

    public AttachmentBlob? EvidenceBlob { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsValidOn(DateOnly date) => IssuedOn <= date && (ExpiresOn is not { } last || date <= last);
}

/// <summary>One expiry reminder sent: per certificate, expiry date and threshold (a renewed certificate is reminded again).</summary>
public sealed class QualificationReminder
{
    public long Id { get; set; }

    public long StaffQualificationId { get; set; }

    public DateOnly ExpiresOn { get; set; }

    public int DaysBefore { get; set; }

    public DateTimeOffset RaisedAt { get; set; }
}

internal sealed class QualificationTypeConfiguration : IEntityTypeConfiguration<QualificationType>
{
    public void Configure(EntityTypeBuilder<QualificationType> builder)
    {
        builder.ToTable("qualification_types");
        builder.HasIndex(t => t.Code).IsUnique();
        builder.Property(t => t.Code).HasMaxLength(32);
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.NameEn).HasMaxLength(200);
        builder.Property(t => t.Family).HasMaxLength(40);
    }
}

internal sealed class StaffQualificationConfiguration : IEntityTypeConfiguration<StaffQualification>
{
    public void Configure(EntityTypeBuilder<StaffQualification> builder)
    {
        builder.ToTable("staff_qualifications");
        builder.HasIndex(q => new { q.QualificationTypeId, q.CertificateNumber }).IsUnique();
        builder.HasIndex(q => q.StaffId);
        builder.HasIndex(q => q.ExpiresOn);
        builder.Property(q => q.CertificateNumber).HasMaxLength(64);
        builder.Property(q => q.EvidenceFileName).HasMaxLength(200);
        builder.Property(q => q.EvidenceContentType).HasMaxLength(100);
        builder.Property(q => q.EvidenceSha256).HasMaxLength(64);
        builder.HasOne<Staff>().WithMany().HasForeignKey(q => q.StaffId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<QualificationType>().WithMany().HasForeignKey(q => q.QualificationTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(q => q.EvidenceBlob).WithMany().HasForeignKey(q => q.EvidenceBlobId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class QualificationReminderConfiguration : IEntityTypeConfiguration<QualificationReminder>
{
    public void Configure(EntityTypeBuilder<QualificationReminder> builder)
    {
        builder.ToTable("qualification_reminders");
        builder.HasIndex(r => new { r.StaffQualificationId, r.ExpiresOn, r.DaysBefore }).IsUnique();
        builder.HasOne<StaffQualification>().WithMany().HasForeignKey(r => r.StaffQualificationId).OnDelete(DeleteBehavior.Cascade);
    }
}
