namespace Steward.Features.Customers;

/// <summary>A beneficial owner of a corporate customer (stored encrypted, inside <see cref="Customer.BeneficialOwnersCipher"/>).</summary>
public sealed record BeneficialOwner(string Name, string IdNumber, decimal SharePercent);

/// <summary>A beneficial owner as staff see it: name and identity number masked.</summary>
public sealed record BeneficialOwnerView(string Name, string IdNumber, decimal SharePercent);

/// <summary>The vulnerability flags; <see cref="Aged65Plus"/> is computed from the birth date on the home branch's today.</summary>
public sealed record VulnerabilityView(bool Aged65Plus, bool Disability, bool LimitedCapacity, bool Other, string? Note)
{
    public bool Any => Aged65Plus || Disability || LimitedCapacity || Other;
}

public sealed record KycView(
    KycStatus Status,
    KycRiskRating RiskRating,
    long? VerifiedById,
    string? VerifiedByName,
    DateTimeOffset? VerifiedAt,
    DateOnly? ReviewDueOn,
    DateOnly? ExpiredOn,
    KycExpiryReason? ExpiryReason,
    string? RejectionReason,
    long? ReviewCaseId);

/// <summary>
/// A customer file as the API and the pages read it. Personal data is masked: identity numbers (<c>1101**********1234</c>),
/// phone (<c>138****8000</c>), e-mail, street address, and the names unless the reader holds PersonalDataReveal; the full values
/// come only from the reveal (<see cref="CustomerRevealed"/>), which is recorded.
/// </summary>
public sealed record CustomerDto(
    long Id,
    string Reference,
    CustomerKind Kind,
    string Name,
    DateOnly? BirthDate,
    int? Age,
    IdentityDocumentType? IdType,
    string? IdNumber,
    string? IdIssuingCountry,
    DateOnly? IdExpiresOn,
    string? Phone,
    string? Email,
    string? Address,
    string? PreferredLanguage,
    string? Occupation,
    IncomeBand? IncomeBand,
    decimal? DeclaredAssets,
    string? SourceOfFunds,
    long? RelationshipManagerId,
    string? RelationshipManagerName,
    VulnerabilityView Vulnerability,
    string? LegalRepresentativeName,
    string? LegalRepresentativeIdNumber,
    IReadOnlyList<BeneficialOwnerView> BeneficialOwners,
    KycView Kyc,
    CustomerTier Tier,
    RiskTolerance RiskTolerance,
    long HomeBranchId,
    int Version,
    DateTimeOffset UpdatedAt);

/// <summary>A row of the customer list (name masked unless the reader holds PersonalDataReveal).</summary>
public sealed record CustomerListItem(long Id, string Reference, CustomerKind Kind, string Name, CustomerTier Tier, RiskTolerance RiskTolerance, KycStatus KycStatus,
    DateOnly? KycReviewDueOn, bool Vulnerable, long HomeBranchId);

public sealed record CustomerListPage(IReadOnlyList<CustomerListItem> Items, int Total);

/// <summary>The list: q = customer number, part of the name, or exactly the phone or identity number; kyc = one status.</summary>
public sealed record CustomerListQuery
{
    public string? Q { get; init; }
    public KycStatus? Kyc { get; init; }
    public int? Page { get; init; }
}

/// <summary>The personal data of a customer in full, for a reader with PersonalDataReveal; every answer is recorded.</summary>
public sealed record CustomerRevealed(long Id, string Reference, string Name, string? IdNumber, string? Phone, string? Email, string? Address,
    string? LegalRepresentativeName, string? LegalRepresentativeIdNumber, IReadOnlyList<BeneficialOwner> BeneficialOwners);

public sealed record CustomerRevealRequest(string? Purpose);

/// <summary>
/// Create or update a customer file. On create every required field is given. On update the personal data fields (name, legalRepresentativeName,
/// idNumber, phone, email, address, legalRepresentativeIdNumber, beneficialOwners) left null keep what is stored — they are
/// shown masked, so a form cannot send them back — and the other fields are replaced; <c>version</c> is the version read
/// (stale → 409). <c>preferredLanguage</c> is <c>zh-CN</c>, <c>en</c> or null (not stated), replaced like the other fields.
/// </summary>
public sealed record CustomerSaveRequest(
    CustomerKind? Kind,
    string? Name,
    DateOnly? BirthDate,
    IdentityDocumentType? IdType,
    string? IdNumber,
    string? IdIssuingCountry,
    DateOnly? IdExpiresOn,
    string? Phone,
    string? Email,
    string? Address,
    string? Occupation,
    IncomeBand? IncomeBand,
    decimal? DeclaredAssets,
    string? SourceOfFunds,
    long? RelationshipManagerId,
    bool Disability,
    bool LimitedCapacity,
    bool OtherVulnerability,
    string? VulnerabilityNote,
    string? LegalRepresentativeName,
    string? LegalRepresentativeIdNumber,
    IReadOnlyList<BeneficialOwner>? BeneficialOwners,
    KycRiskRating? KycRiskRating,
    long? HomeBranchId = null,
    int? Version = null,
    string? PreferredLanguage = null);

public sealed record KycVerifyRequest(int? Version);

public sealed record KycRejectRequest(string? Reason, int? Version);

/// <summary>One of the customer's cases on the 360 page.</summary>
public sealed record CustomerCaseRow(long Id, string Reference, string Subject, Cases.CaseKind Kind, Cases.CaseStatus Status, DateTimeOffset CreatedAt);
