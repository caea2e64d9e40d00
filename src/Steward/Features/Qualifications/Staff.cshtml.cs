using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Products;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Qualifications;

/// <summary>
/// A staff member's certificates (no id: one's own). Readers pick anyone in their branches; managers add, renew and remove
/// here. Every read and write goes through <see cref="QualificationService"/>, which decides by role and branch.
/// </summary>
public sealed class QualificationsStaffModel(QualificationService qualifications, FormIdempotency idempotency, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    public StaffQualificationsDto? Staff { get; private set; }

    public IReadOnlyList<QualificationType> Types { get; private set; } = [];

    public IReadOnlyList<(long Id, string DisplayName, long BranchId)> Colleagues { get; private set; } = [];

    public Error? Error { get; private set; }

    /// <summary>The certificate whose form the error belongs to (0 = the add form).</summary>
    public long? ErrorFor { get; private set; }

    public string IdempotencyKey { get; private set; } = Guid.NewGuid().ToString("N");

    public IReadOnlyList<string> FieldErrors(long form, string key) => ErrorFor == form ? Shared.FieldErrors.For(Error, key) : [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(long? qualificationTypeId, string? certificateNumber, string? issuedOn, string? expiresOn, string? evidenceReference,
        IFormFile? evidence, string? idempotencyKey, CancellationToken ct)
    {
        var (request, unreadable) = Read(qualificationTypeId, certificateNumber, issuedOn, expiresOn, evidenceReference, null);
        var file = await ReadFileAsync(evidence, ct);
        if (unreadable is not null || file is { Succeeded: false })
        {
            return await RefusedAsync(0, unreadable ?? file!.Value.Error!, ct);
        }

        var staffId = Id ?? user.StaffId ?? 0;
        var added = await idempotency.RunAsync(Idempotency.CallerOf(user), "POST /Qualifications/Staff/" + staffId.ToString(CultureInfo.InvariantCulture), idempotencyKey, request,
            c => qualifications.AddAsync(staffId, request, file?.Value, c), ct);
        return added.Succeeded ? Back() : await RefusedAsync(0, added.Error, ct);
    }

    public async Task<IActionResult> OnPostUpdateAsync(long certificateId, long? qualificationTypeId, string? certificateNumber, string? issuedOn, string? expiresOn,
        string? evidenceReference, int? version, IFormFile? evidence, CancellationToken ct)
    {
        var (request, unreadable) = Read(qualificationTypeId, certificateNumber, issuedOn, expiresOn, evidenceReference, version);
        var file = await ReadFileAsync(evidence, ct);
        if (unreadable is not null || file is { Succeeded: false })
        {
            return await RefusedAsync(certificateId, unreadable ?? file!.Value.Error!, ct);
        }

        var saved = await qualifications.UpdateAsync(Id ?? 0, certificateId, request, file?.Value, ct);
        return saved.Succeeded ? Back() : await RefusedAsync(certificateId, saved.Error, ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long certificateId, int? version, CancellationToken ct)
    {
        if (certificateId <= 0)
        {
            // The form names its certificate; a post without one is a broken form, said as such (not "no such certificate").
            return await RefusedAsync(certificateId, Problems.Invalid("certificateId", "Choose the certificate to remove. 请选择要删除的证书。"), ct);
        }

        var removed = await qualifications.RemoveAsync(Id ?? 0, certificateId, version, ct);
        return removed.Succeeded ? Back() : await RefusedAsync(certificateId, removed.Error, ct);
    }

    public async Task<IActionResult> OnGetEvidenceAsync(long certificateId, CancellationToken ct)
    {
        var file = await qualifications.EvidenceAsync(Id ?? user.StaffId ?? 0, certificateId, ct);
        return file.Succeeded ? File(file.Value.Data, file.Value.ContentType, file.Value.FileName) : NotFound();
    }

    private static (CertificateSaveRequest Request, Error? Unreadable) Read(long? type, string? number, string? issued, string? expires, string? reference, int? version)
    {
        var errors = new Dictionary<string, string[]>();
        DateOnly? Date(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }

            errors[field] = ["Write the date as yyyy-mm-dd. 日期格式为 yyyy-mm-dd。"];
            return null;
        }

        var request = new CertificateSaveRequest(type, number, Date("issuedOn", issued), Date("expiresOn", expires), reference, version);
        return (request, errors.Count > 0 ? new CertificateInvalid(errors) : null);
    }

    private static async Task<Outcome<UploadedFile>?> ReadFileAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return null;
        }

        await using var stream = file.OpenReadStream();
        return await UploadedFile.ReadAsync("evidence", file.FileName, stream, file.Length, ct);
    }

    private RedirectResult Back() => Redirect("/Qualifications/Staff?id=" + (Id ?? user.StaffId ?? 0).ToString(CultureInfo.InvariantCulture));

    private async Task<IActionResult> RefusedAsync(long form, Error error, CancellationToken ct)
    {
        var result = await LoadAsync(ct);
        if (Staff is null)
        {
            return result;
        }

        Error = error;
        ErrorFor = form;
        Response.StatusCode = error.Status;
        return Page();
    }

    private async Task<IActionResult> LoadAsync(CancellationToken ct)
    {
        var id = Id ?? user.StaffId ?? 0;
        var found = await qualifications.ListAsync(id, ct);
        if (!found.Succeeded)
        {
            return found.Error is NotFoundError ? NotFound() : Forbid();
        }

        Staff = found.Value;
        Types = await qualifications.TypesAsync(ct);
        Colleagues = await qualifications.StaffInScopeAsync(ct);
        return Page();
    }
}
