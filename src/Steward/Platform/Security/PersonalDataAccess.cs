using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Platform.Security;

/// <summary>
/// One showing of personal data in full (a phone number, an e-mail address, an unmasked name) to a
/// staff member. Written in the same transaction that reads the data, before it is returned; the row is
/// <see cref="IAuditable"/>, so every reveal is also an entry in the hash-chained audit log
/// (<c>PersonalDataAccess</c>, Created), where compliance browses and verifies it. This table is the
/// quick answer to "who saw this person's contact details"; the audit log is the tamper-evident one.
/// </summary>
public sealed class PersonalDataAccess : IAuditable, IBranchOwned
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? StaffId { get; set; }

    public string StaffName { get; set; } = "";

    /// <summary>What the data belongs to, e.g. <c>Case</c>.</summary>
    public string SubjectType { get; set; } = "";

    public long SubjectId { get; set; }

    public long? BranchId { get; set; }

    /// <summary>Where it was shown, e.g. <c>case-contact (API)</c> or <c>case-contact (page)</c>.</summary>
    public string Purpose { get; set; } = "";

    long? IBranchOwned.OwningBranchId => BranchId;

    /// <summary>One showing, the staff member's name and the purpose cut to their columns (100 characters each).</summary>
    public static PersonalDataAccess Of(DateTimeOffset at, long? staffId, string staffName, string subjectType, long subjectId, long? branchId, string purpose) => new()
    {
        OccurredAt = at,
        StaffId = staffId,
        StaffName = staffName.Length > 100 ? staffName[..100] : staffName,
        SubjectType = subjectType,
        SubjectId = subjectId,
        BranchId = branchId,
        Purpose = purpose.Length > 100 ? purpose[..100] : purpose,
    };
}

internal sealed class PersonalDataAccessConfiguration : IEntityTypeConfiguration<PersonalDataAccess>
{
    public void Configure(EntityTypeBuilder<PersonalDataAccess> builder)
    {
        builder.ToTable("personal_data_access");
        builder.HasIndex(a => new { a.SubjectType, a.SubjectId });
        builder.HasIndex(a => a.StaffId);
        builder.Property(a => a.StaffName).HasMaxLength(100);
        builder.Property(a => a.SubjectType).HasMaxLength(40);
        builder.Property(a => a.Purpose).HasMaxLength(100);
    }
}
