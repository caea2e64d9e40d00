using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Customers;

/// <summary>Customer tiers (003 §3 客户分层), lowest first.</summary>
public enum CustomerTier
{
    Standard,
    Silver,
    Gold,
    Platinum,
    Private,
}

/// <summary>Risk tolerance from the customer's assessment: C1 (conservative) to C5 (aggressive).</summary>
public enum RiskTolerance
{
    Unassessed,
    C1,
    C2,
    C3,
    C4,
    C5,
}

/// <summary>An individual (a person) or a corporate customer (a company, with its legal representative and beneficial owners).</summary>
public enum CustomerKind
{
    Individual,
    Corporate,
}

/// <summary>The kind of the customer's identity document.</summary>
public enum IdentityDocumentType
{
    /// <summary>居民身份证: 18 characters with a GB 11643-1999 check character.</summary>
    PrcResidentId,
    Passport,

    /// <summary>港澳居民来往内地通行证 / 台湾居民来往大陆通行证.</summary>
    TravelPermit,

    /// <summary>外国人永久居留身份证.</summary>
    ForeignPermanentResidentId,

    /// <summary>营业执照 (unified social credit code), for corporate customers.</summary>
    BusinessLicence,
    Other,
}

/// <summary>Declared yearly income, in CNY.</summary>
public enum IncomeBand
{
    Under100K,
    From100KTo300K,
    From300KTo1M,
    From1MTo5M,
    Over5M,
}

/// <summary>Know-your-customer status: pending → verified → expired (document or review due) or rejected; expired and rejected go back to verified by a new verification.</summary>
public enum KycStatus
{
    Pending,
    Verified,
    Expired,
    Rejected,
}

/// <summary>The customer's money-laundering risk rating; it sets the KYC review cycle (<see cref="KycOptions"/>).</summary>
public enum KycRiskRating
{
    Low,
    Medium,
    High,
}

/// <summary>Why KYC expired.</summary>
public enum KycExpiryReason
{
    DocumentExpired,
    ReviewDue,
}

/// <summary>
/// A customer file (001 §2.3 建档). Identity number, phone and e-mail are personal data: stored
/// encrypted (<c>*_cipher</c>) with a keyed blind index (<c>*_index</c>) for exact look-ups.
/// </summary>
public sealed class Customer : IVersioned, ITimestamped, IAuditable, IBranchOwned
{
    public long Id { get; set; }

    /// <summary>Human reference, e.g. <c>C-000123</c>.</summary>
    public string Reference { get; set; } = "";

    public string Name { get; set; } = "";

    [AuditRedacted]
    public string? IdNumberCipher { get; set; }

    public string? IdNumberIndex { get; set; }

    [AuditRedacted]
    public string? PhoneCipher { get; set; }

    public string? PhoneIndex { get; set; }

    [AuditRedacted]
    public string? EmailCipher { get; set; }

    public string? EmailIndex { get; set; }

    public CustomerTier Tier { get; set; }

    public RiskTolerance RiskTolerance { get; set; }

    /// <summary>
    /// Any vulnerability flag, kept for case priority: set on every save from disability, limited civil capacity, the other
    /// flag and age 65+ on the day of the save (the page and the API compute the age flag on the clock's today).
    /// </summary>
    public bool IsVulnerable { get; set; }

    public long HomeBranchId { get; set; }

    public CustomerKind Kind { get; set; }

    /// <summary>Individuals only.</summary>
    public DateOnly? BirthDate { get; set; }

    public IdentityDocumentType? IdType { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code of the country that issued the identity document (CN, GB, …).</summary>
    public string? IdIssuingCountry { get; set; }

    /// <summary>The last day the document is valid; null for one without an end date (长期).</summary>
    public DateOnly? IdExpiresOn { get; set; }

    [AuditRedacted]
    public string? AddressCipher { get; set; }

    public string? Occupation { get; set; }

    /// <summary>The language the customer reads, <c>zh-CN</c> or <c>en</c>; null when not stated (see <see cref="CustomerLanguages"/>).</summary>
    public string? PreferredLanguage { get; set; }

    public IncomeBand? IncomeBand { get; set; }

    /// <summary>Declared financial assets in CNY (the customer's own statement).</summary>
    public decimal? DeclaredAssets { get; set; }

    public string? SourceOfFunds { get; set; }

    public long? RelationshipManagerId { get; set; }

    /// <summary>The day the customer's business relationship with the institution ended (last account closed); null while it lasts. Starts the AML retention period (Features/Retention).</summary>
    public DateOnly? RelationshipEndedOn { get; set; }

    public bool HasDisability { get; set; }

    /// <summary>限制民事行为能力 or 无民事行为能力: a guardian acts for the customer.</summary>
    public bool HasLimitedCapacity { get; set; }

    /// <summary>Another vulnerability, described in <see cref="VulnerabilityNote"/>.</summary>
    public bool HasOtherVulnerability { get; set; }

    public string? VulnerabilityNote { get; set; }

    /// <summary>Corporate customers: the legal representative's name and (encrypted) identity number.</summary>
    public string? LegalRepresentativeName { get; set; }

    [AuditRedacted]
    public string? LegalRepresentativeIdCipher { get; set; }

    /// <summary>Corporate customers: the beneficial owners as encrypted JSON (<see cref="BeneficialOwner"/>[]): names, identity numbers and shares.</summary>
    [AuditRedacted]
    public string? BeneficialOwnersCipher { get; set; }

    public KycStatus KycStatus { get; set; }

    public KycRiskRating KycRiskRating { get; set; }

    public long? KycVerifiedById { get; set; }

    public DateTimeOffset? KycVerifiedAt { get; set; }

    /// <summary>The day the next review falls due (the verification day plus the cycle of the risk rating).</summary>
    public DateOnly? KycReviewDueOn { get; set; }

    public DateOnly? KycExpiredOn { get; set; }

    public KycExpiryReason? KycExpiryReason { get; set; }

    public string? KycRejectionReason { get; set; }

    /// <summary>The re-verification case opened when KYC last expired.</summary>
    public long? KycReviewCaseId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => HomeBranchId;
}

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> builder)
    {
        builder.ToTable("customers");
        builder.HasIndex(c => c.Reference).IsUnique();
        builder.HasIndex(c => c.PhoneIndex);
        builder.HasIndex(c => c.IdNumberIndex);
        builder.HasIndex(c => c.HomeBranchId);
        builder.Property(c => c.Reference).HasMaxLength(20);
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.IdNumberCipher).HasMaxLength(200);
        builder.Property(c => c.PhoneCipher).HasMaxLength(200);
        builder.Property(c => c.EmailCipher).HasMaxLength(400);
        builder.Property(c => c.IdNumberIndex).HasMaxLength(64);
        builder.Property(c => c.PhoneIndex).HasMaxLength(64);
        builder.Property(c => c.EmailIndex).HasMaxLength(64);
        builder.HasIndex(c => c.RelationshipManagerId);
        builder.HasIndex(c => c.RelationshipEndedOn);
        builder.HasIndex(c => new { c.KycStatus, c.KycReviewDueOn });
        builder.HasIndex(c => new { c.KycStatus, c.IdExpiresOn });
        builder.Property(c => c.IdIssuingCountry).HasMaxLength(2);
        builder.Property(c => c.AddressCipher).HasMaxLength(1000);
        builder.Property(c => c.Occupation).HasMaxLength(100);
        builder.Property(c => c.PreferredLanguage).HasMaxLength(10);
        builder.Property(c => c.DeclaredAssets).HasPrecision(18, 2);
        builder.Property(c => c.SourceOfFunds).HasMaxLength(200);
        builder.Property(c => c.VulnerabilityNote).HasMaxLength(400);
        builder.Property(c => c.LegalRepresentativeName).HasMaxLength(100);
        builder.Property(c => c.LegalRepresentativeIdCipher).HasMaxLength(200);
        builder.Property(c => c.BeneficialOwnersCipher).HasMaxLength(4000);
        builder.Property(c => c.KycRejectionReason).HasMaxLength(400);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.HomeBranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.RelationshipManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.KycVerifiedById).OnDelete(DeleteBehavior.Restrict);
    }
}
