using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Features.Products;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Qualifications;

public static class QualificationEndpoints
{
    public static void MapQualificationEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/qualification-types", async (QualificationService service, CancellationToken ct) =>
                TypedResults.Ok((await service.TypesAsync(ct)).Select(t => new QualificationTypeDto(t.Id, t.Code, t.Name, t.NameEn, t.Family, t.Level))))
            .WithTags("Staff qualifications").WithSummary("The qualification types (as data): code, names, family and level.");
        api.MapGet("/qualifications/expiring", async (int? days, QualificationService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ExpiringAsync(Math.Clamp(days ?? 90, 1, 366), ct)))
            .WithTags("Staff qualifications").RequireAuthorization(IdentitySetup.Policy(Permission.QualificationsRead))
            .WithSummary("Certificates of staff in the caller's branches expiring within days (default 90) or expired in the last 30, soonest first.");

        var staff = api.MapGroup("/staff/{id:long}/qualifications").WithTags("Staff qualifications");
        staff.MapGet("/", async Task<Results<Ok<StaffQualificationsDto>, ProblemHttpResult>> (long id, QualificationService service, CancellationToken ct) =>
                (await service.ListAsync(id, ct)).ToOk())
            .WithSummary("A staff member's certificates with their state today (own: anyone; others: readers in their branches).");
        staff.MapPost("/", (long id, CertificateSaveRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, QualificationService service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.AddAsync(id, r, null, c), q => $"/api/v1/staff/{id}/qualifications/{q.Id}", ct))
            .Produces<CertificateDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409)
            .WithSummary("Adds a certificate (branch managers in their branches, administrators; never one's own). expiresOn is the last valid day. Idempotency-Key supported.");
        staff.MapPut("/{certificateId:long}", async Task<Results<Ok<CertificateDto>, ProblemHttpResult>> (long id, long certificateId, CertificateSaveRequest r, QualificationService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, certificateId, r, null, ct)).ToOk())
            .WithSummary("Changes a certificate (a renewal: the new expiry date); version = the version read (stale → 409).");
        staff.MapDelete("/{certificateId:long}", async Task<Results<Ok<StaffQualificationsDto>, ProblemHttpResult>> (long id, long certificateId, int? version, QualificationService service, CancellationToken ct) =>
                (await service.RemoveAsync(id, certificateId, version, ct)).ToOk())
            .WithSummary("Removes a certificate entered by mistake (?version= the version read).");
        staff.MapPost("/{certificateId:long}/evidence", async Task<Results<Ok<CertificateDto>, ProblemHttpResult>> (long id, long certificateId, IFormFile? file, [FromForm] int? version,
                QualificationService service, CancellationToken ct) =>
            {
                var current = await service.ListAsync(id, ct);
                if (!current.Succeeded)
                {
                    return Problems.From(current.Error);
                }

                if (current.Value.Certificates.SingleOrDefault(c => c.Id == certificateId) is not { } c)
                {
                    return Problems.From(new CertificateNotFound(certificateId));
                }

                if (file is null)
                {
                    return Problems.From(Problems.Invalid("file", "Attach the file as multipart form data (field file). 请以 multipart 表单上传文件（字段 file）。"));
                }

                await using var stream = file.OpenReadStream();
                var read = await UploadedFile.ReadAsync("file", file.FileName, stream, file.Length, ct);
                if (!read.Succeeded)
                {
                    return Problems.From(read.Error);
                }

                var request = new CertificateSaveRequest(c.Type.Id, c.CertificateNumber, c.IssuedOn, c.ExpiresOn, c.EvidenceReference, version);
                return (await service.UpdateAsync(id, certificateId, request, read.Value, ct)).ToOk();
            })
            .DisableAntiforgery().WithSummary("Attaches the evidence file of a certificate (multipart: file, version; at most 10 MB).");
        staff.MapGet("/{certificateId:long}/evidence", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long certificateId, QualificationService service, CancellationToken ct) =>
            {
                var file = await service.EvidenceAsync(id, certificateId, ct);
                return file.Succeeded ? TypedResults.File(file.Value.Data, file.Value.ContentType, file.Value.FileName) : Problems.From(file.Error);
            })
            .WithSummary("A certificate's evidence file.");
    }
}
