using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Qualifications;

/// <summary>
/// Staff members' certificates, read and changed by role and branch: everyone reads their own; readers
/// (<see cref="Permission.QualificationsRead"/>) read the staff of their branches (institution-wide roles: all);
/// managers (<see cref="Permission.QualificationsManage"/>: branch managers in their branches, administrators everywhere)
/// add, change and remove them — never their own. Staff outside the caller's branches are "not found".
/// </summary>
public sealed class QualificationService(StewardDbContext db, CurrentUser user, QualificationRegistry registry)
{
    private sealed record Subject(long Id, string DisplayName, long BranchId, string TimeZone);

    public async Task<Outcome<StaffQualificationsDto>> ListAsync(long staffId, CancellationToken ct = default)
    {
        var access = await AccessAsync(staffId, write: false, ct);
        if (access.Error is { } refused)
        {
            return refused;
        }

        var subject = access.Value!;
        var today = registry.LocalToday(subject.TimeZone);
        var certificates = await CertificatesAsync(db.Set<StaffQualification>().Where(q => q.StaffId == staffId), today, ct);
        return new StaffQualificationsDto(subject.Id, subject.DisplayName, subject.BranchId, today, CanManage(subject), [.. certificates.Select(c => c.Certificate)]);
    }

    public async Task<Outcome<CertificateDto>> AddAsync(long staffId, CertificateSaveRequest r, UploadedFile? evidence = null, CancellationToken ct = default)
    {
        var access = await AccessAsync(staffId, write: true, ct);
        if (access.Error is { } refused)
        {
            return refused;
        }

        if (await ValidateAsync(r, null, ct) is { } invalid)
        {
            return invalid;
        }

        var certificate = new StaffQualification { StaffId = staffId };
        Apply(certificate, r, evidence);
        db.Add(certificate);
        await db.SaveChangesAsync(ct);
        return await OneAsync(certificate.Id, access.Value!, ct);
    }

    public async Task<Outcome<CertificateDto>> UpdateAsync(long staffId, long certificateId, CertificateSaveRequest r, UploadedFile? evidence = null, CancellationToken ct = default)
    {
        var access = await AccessAsync(staffId, write: true, ct);
        if (access.Error is { } refused)
        {
            return refused;
        }

        var certificate = await db.Set<StaffQualification>().SingleOrDefaultAsync(q => q.Id == certificateId && q.StaffId == staffId, ct);
        if (certificate is null)
        {
            return new CertificateNotFound(certificateId);
        }

        if (await ValidateAsync(r, certificateId, ct) is { } invalid)
        {
            return invalid;
        }

        if (r.Version != certificate.Version)
        {
            return Problems.StaleVersion();
        }

        Apply(certificate, r, evidence);
        await db.SaveChangesAsync(ct);
        return await OneAsync(certificate.Id, access.Value!, ct);
    }

    public async Task<Outcome<StaffQualificationsDto>> RemoveAsync(long staffId, long certificateId, int? version, CancellationToken ct = default)
    {
        var access = await AccessAsync(staffId, write: true, ct);
        if (access.Error is { } refused)
        {
            return refused;
        }

        var certificate = await db.Set<StaffQualification>().SingleOrDefaultAsync(q => q.Id == certificateId && q.StaffId == staffId, ct);
        if (certificate is null)
        {
            return new CertificateNotFound(certificateId);
        }

        if (version != certificate.Version)
        {
            return Problems.StaleVersion();
        }

        db.Remove(certificate);
        await db.SaveChangesAsync(ct);
        return await ListAsync(staffId, ct);
    }

    /// <summary>An uploaded evidence file, for those who may read the staff member's qualifications.</summary>
    public async Task<Outcome<(string FileName, string ContentType, byte[] Data)>> EvidenceAsync(long staffId, long certificateId, CancellationToken ct = default)
    {
        var access = await AccessAsync(staffId, write: false, ct);
        if (access.Error is { } refused)
        {
            return refused;
        }

        var row = await db.Set<StaffQualification>().AsNoTracking().Where(q => q.Id == certificateId && q.StaffId == staffId && q.EvidenceBlobId != null)
            .Select(q => new { q.EvidenceFileName, q.EvidenceContentType, Data = db.Set<AttachmentBlob>().Where(b => b.Id == q.EvidenceBlobId).Select(b => b.Data).Single() })
            .SingleOrDefaultAsync(ct);
        return row is null ? new CertificateNotFound(certificateId) : (row.EvidenceFileName!, row.EvidenceContentType!, row.Data);
    }

    /// <summary>Certificates of the staff in the caller's branches that expire within <paramref name="days"/> days or expired in the last 30, soonest first.</summary>
    public async Task<IReadOnlyList<ExpiringCertificateDto>> ExpiringAsync(int days, CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualificationsRead))
        {
            return [];
        }

        // A window in UTC dates one day wider on each side; the state is then worked out in each branch's own zone.
        var today = registry.LocalToday("UTC");
        var from = today.AddDays(-31);
        var to = today.AddDays(days + 1);
        var query = db.Set<StaffQualification>().Where(q => q.ExpiresOn != null && q.ExpiresOn >= from && q.ExpiresOn <= to);
        if (!user.HasInstitutionScope)
        {
            var branches = user.BranchIds.ToList();
            query = query.Where(q => db.Set<Staff>().Any(s => s.Id == q.StaffId && branches.Contains(s.HomeBranchId)));
        }

        var rows = await CertificatesAsync(query, null, ct);
        return [.. rows.Where(r => r.Certificate.DaysLeft is { } left && left <= days && left >= -30)
            .OrderBy(r => r.Certificate.DaysLeft).ThenBy(r => r.DisplayName, StringComparer.Ordinal)];
    }

    public Task<List<QualificationType>> TypesAsync(CancellationToken ct = default) =>
        db.Set<QualificationType>().AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Family).ThenBy(t => t.Level).ThenBy(t => t.Code).ToListAsync(ct);

    /// <summary>Staff whose qualifications the caller may read, for the registry's index (own branches, or all).</summary>
    public async Task<IReadOnlyList<(long Id, string DisplayName, long BranchId)>> StaffInScopeAsync(CancellationToken ct = default)
    {
        if (!user.Can(Permission.QualificationsRead))
        {
            return [];
        }

        var query = db.Set<Staff>().AsNoTracking().Where(s => s.IsActive);
        if (!user.HasInstitutionScope)
        {
            var branches = user.BranchIds.ToList();
            query = query.Where(s => branches.Contains(s.HomeBranchId));
        }

        var rows = await query.OrderBy(s => s.HomeBranchId).ThenBy(s => s.Username).Select(s => new { s.Id, s.DisplayName, s.HomeBranchId }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.DisplayName, r.HomeBranchId))];
    }

    private bool CanManage(Subject subject) =>
        user.Can(Permission.QualificationsManage) && subject.Id != user.StaffId && user.CanSeeBranch(subject.BranchId);

    private async Task<Outcome<Subject>> AccessAsync(long staffId, bool write, CancellationToken ct)
    {
        var subject = await db.Set<Staff>().AsNoTracking().Where(s => s.Id == staffId)
            .Join(db.Set<Branch>(), s => s.HomeBranchId, b => b.Id, (s, b) => new Subject(s.Id, s.DisplayName, s.HomeBranchId, b.TimeZone))
            .SingleOrDefaultAsync(ct);
        var own = subject is not null && subject.Id == user.StaffId;
        if (subject is null || (!own && !user.CanSeeBranch(subject.BranchId)))
        {
            return new StaffNotFound(staffId);
        }

        if (write)
        {
            if (own)
            {
                return new QualificationsForbidden("Nobody records their own certificates; ask your branch manager or an administrator. 不能登记自己的证书，请由网点负责人或管理员登记。");
            }

            if (!user.Can(Permission.QualificationsManage))
            {
                return new QualificationsForbidden("Branch managers and administrators record certificates. 证书由网点负责人或管理员登记。");
            }
        }
        else if (!own && !user.Can(Permission.QualificationsRead))
        {
            return new QualificationsForbidden("You may see your own qualifications only. 您只能查看自己的资格证书。");
        }

        return subject;
    }

    private async Task<Outcome<CertificateDto>> OneAsync(long id, Subject subject, CancellationToken ct) =>
        (await CertificatesAsync(db.Set<StaffQualification>().Where(q => q.Id == id), registry.LocalToday(subject.TimeZone), ct)).Single().Certificate;

    /// <summary>Certificates with their types and holders; <paramref name="today"/> null = each holder's own local today.</summary>
    private async Task<List<ExpiringCertificateDto>> CertificatesAsync(IQueryable<StaffQualification> query, DateOnly? today, CancellationToken ct)
    {
        var rows = await query.AsNoTracking()
            .Join(db.Set<QualificationType>(), q => q.QualificationTypeId, t => t.Id, (q, t) => new { q, t })
            .Join(db.Set<Staff>(), x => x.q.StaffId, s => s.Id, (x, s) => new { x.q, x.t, s.DisplayName, s.HomeBranchId })
            .Join(db.Set<Branch>(), x => x.HomeBranchId, b => b.Id, (x, b) => new { x.q, x.t, x.DisplayName, x.HomeBranchId, b.TimeZone })
            .OrderBy(x => x.t.Family).ThenBy(x => x.t.Level).ThenBy(x => x.q.Id)
            .ToListAsync(ct);
        return [.. rows.Select(x =>
        {
            var (state, left) = QualificationRegistry.StateOn(x.q.IssuedOn, x.q.ExpiresOn, today ?? registry.LocalToday(x.TimeZone));
            var type = new QualificationTypeDto(x.t.Id, x.t.Code, x.t.Name, x.t.NameEn, x.t.Family, x.t.Level);
            return new ExpiringCertificateDto(x.q.StaffId, x.DisplayName, x.HomeBranchId,
                new CertificateDto(x.q.Id, type, x.q.CertificateNumber, x.q.IssuedOn, x.q.ExpiresOn, state, left, x.q.EvidenceReference, x.q.EvidenceFileName, x.q.Version));
        })];
    }

    private async Task<Error?> ValidateAsync(CertificateSaveRequest r, long? id, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (r.QualificationTypeId is not { } typeId || !await db.Set<QualificationType>().AnyAsync(t => t.Id == typeId, ct))
        {
            errors["qualificationTypeId"] = ["Choose the qualification type. 请选择资格类型。"];
        }

        var number = r.CertificateNumber?.Trim() ?? "";
        if (number.Length is 0 or > 64)
        {
            errors["certificateNumber"] = ["Give the certificate number (up to 64 characters). 请填写证书编号（不超过 64 字符）。"];
        }

        // "Not in the future" anywhere on earth today: the latest local date is the one at UTC+14.
        if (r.IssuedOn is not { } issued || issued.Year < 1980 || issued > registry.LocalToday("Pacific/Kiritimati"))
        {
            errors["issuedOn"] = ["Give the issue date: not in the future, not before 1980. 请填写发证日期：不晚于今天，不早于 1980 年。"];
        }

        if (r.ExpiresOn is { } expires && (expires.Year > 2100 || (r.IssuedOn is { } from && expires < from)))
        {
            errors["expiresOn"] = ["The expiry date is the last valid day: on or after the issue date, before 2101. 有效期至为最后有效日：不早于发证日期，不晚于 2100 年。"];
        }

        if (r.EvidenceReference is { Length: > 400 })
        {
            errors["evidenceReference"] = ["The evidence reference is at most 400 characters. 证明材料编号不超过 400 字符。"];
        }

        if (errors.Count > 0)
        {
            return new CertificateInvalid(errors);
        }

        if (await db.Set<StaffQualification>().AnyAsync(q => q.QualificationTypeId == r.QualificationTypeId && q.CertificateNumber == number && q.Id != id, ct))
        {
            return new CertificateNumberTaken(number);
        }

        return null;
    }

    private void Apply(StaffQualification q, CertificateSaveRequest r, UploadedFile? evidence)
    {
        q.QualificationTypeId = r.QualificationTypeId!.Value;
        q.CertificateNumber = r.CertificateNumber!.Trim();
        q.IssuedOn = r.IssuedOn!.Value;
        q.ExpiresOn = r.ExpiresOn;
        q.EvidenceReference = string.IsNullOrWhiteSpace(r.EvidenceReference) ? null : r.EvidenceReference.Trim();
        if (evidence is not null)
        {
            var blob = new AttachmentBlob { Data = evidence.Data };
            db.Add(blob);
            q.EvidenceBlob = blob;
            q.EvidenceFileName = evidence.FileName;
            q.EvidenceContentType = evidence.ContentType;
            q.EvidenceSize = evidence.Data.Length;
            q.EvidenceSha256 = evidence.Sha256;
        }
    }
}
