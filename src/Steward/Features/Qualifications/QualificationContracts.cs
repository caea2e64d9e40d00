namespace Steward.Features.Qualifications;

/// <summary>Valid (and more than 30 days to go), expiring (30 days or fewer, the expiry day included), expired, or not yet valid (issued in the future).</summary>
public enum CertificateState
{
    Valid,
    Expiring,
    Expired,
    NotYetValid,
}

public sealed record QualificationTypeDto(long Id, string Code, string Name, string NameEn, string Family, int? Level);

/// <summary>A certificate; <c>daysLeft</c> counts from the staff member's local today to the expiry day (0 = last valid day), null when it never lapses.</summary>
public sealed record CertificateDto(
    long Id,
    QualificationTypeDto Type,
    string CertificateNumber,
    DateOnly IssuedOn,
    DateOnly? ExpiresOn,
    CertificateState State,
    int? DaysLeft,
    string? EvidenceReference,
    string? EvidenceFileName,
    int Version);

public sealed record StaffQualificationsDto(long StaffId, string DisplayName, long BranchId, DateOnly Today, bool CanManage, IReadOnlyList<CertificateDto> Certificates);

/// <summary>Add or change a certificate; <c>version</c> is required to change one (stale → 409).</summary>
public sealed record CertificateSaveRequest(long? QualificationTypeId, string? CertificateNumber, DateOnly? IssuedOn, DateOnly? ExpiresOn, string? EvidenceReference, int? Version = null);

/// <summary>A certificate on the expiring-soon list of a manager.</summary>
public sealed record ExpiringCertificateDto(long StaffId, string DisplayName, long BranchId, CertificateDto Certificate);
