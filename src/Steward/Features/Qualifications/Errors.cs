using Steward.Platform.Problems;

namespace Steward.Features.Qualifications;

// The expected failures of the qualification registry, mapped to problem details by Problems.From. Texts "English 中文".

/// <summary>No staff member with that id in the caller's branches (or none at all).</summary>
public sealed record StaffNotFound(long Id) : NotFoundError(
    "not-found", "No such staff member 员工不存在", FormattableString.Invariant($"Staff member {Id} does not exist or is outside your branches. 员工不存在或不在您的网点范围内。"));

/// <summary>No certificate with that id for the staff member.</summary>
public sealed record CertificateNotFound(long Id) : NotFoundError(
    "not-found", "No such certificate 证书不存在", FormattableString.Invariant($"Certificate {Id} does not exist. 证书不存在。"));

/// <summary>The caller may not read, or may not change, this staff member's qualifications.</summary>
public sealed record QualificationsForbidden(string Reason) : ForbiddenError("forbidden", "You may not do this 无权执行此操作", Reason);

/// <summary>Fields of a certificate are not valid; each message is at its field.</summary>
public sealed record CertificateInvalid(IReadOnlyDictionary<string, string[]> Errors) : InvalidError(
    "validation", "Some fields are not valid 部分字段无效", string.Join(" ", Errors.SelectMany(e => e.Value)), Errors);

/// <summary>Another certificate of the same type has the number.</summary>
public sealed record CertificateNumberTaken(string Number) : ConflictError(
    "certificate-number-taken", "The certificate number is in use 证书编号已被登记", $"A certificate of this type with number {Number} is already registered. 该类型编号 {Number} 的证书已登记。");
