using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers.Documents;

public static class IdentityDocumentEndpoints
{
    public static void MapIdentityDocumentEndpoints(this IEndpointRouteBuilder api)
    {
        var documents = api.MapGroup("/customers/{id:long}/identity-documents").WithTags("Customers").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead));
        var manage = IdentitySetup.Policy(Permission.CustomersManage);
        documents.MapGet("/", async Task<Results<Ok<IdentityDocumentsDto>, ProblemHttpResult>> (long id, IdentityDocumentService service, CancellationToken ct) =>
                (await service.ListAsync(id, ct)).ToOk())
            .WithSummary("The customer's identity documents — the file's own first (id null), then the others — with their scans (names and sizes; open one with POST …/scans/{scanId}/open). Numbers masked.");
        documents.MapPost("/", async Task<Results<Ok<IdentityDocumentsDto>, ProblemHttpResult>> (long id, IdentityDocumentRequest r, IdentityDocumentService service, CancellationToken ct) =>
                (await service.AddAsync(id, r, ct)).ToOk())
            .RequireAuthorization(manage)
            .WithSummary("Records a further identity document (type, number, issuingCountry, expiresOn, note); the number is checked as on the customer file and found by the customer search.");
        documents.MapDelete("/{documentId:long}", async Task<Results<Ok<IdentityDocumentsDto>, ProblemHttpResult>> (long id, long documentId, IdentityDocumentService service, CancellationToken ct) =>
                (await service.RemoveAsync(id, documentId, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Removes a further identity document and its scans.");
        documents.MapPost("/scans", async Task<Results<Ok<IdentityDocumentsDto>, ProblemHttpResult>> (long id, IFormFile? file, [FromForm] string? documentId, [FromForm] string? side,
                IdentityDocumentService service, CancellationToken ct) =>
            {
                if (file is null)
                {
                    return Problems.From(Problems.Invalid("file", "Attach the scan as multipart form data (field file). 请以 multipart 表单上传影像（字段 file）。"));
                }

                long? document = null;
                if (!string.IsNullOrWhiteSpace(documentId))
                {
                    if (!long.TryParse(documentId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d))
                    {
                        return Problems.From(Problems.Invalid("documentId", "Choose one of this customer's documents. 请选择该客户的一份证件。"));
                    }

                    document = d;
                }

                var parsed = Enum.TryParse<DocumentScanSide>(side, ignoreCase: false, out var s) && Enum.IsDefined(s) ? s : (DocumentScanSide?)null;
                await using var stream = file.OpenReadStream();
                return (await service.UploadScanAsync(id, document, parsed, file.FileName, stream, file.Length, ct)).ToOk();
            })
            .RequireAuthorization(manage).DisableAntiforgery()
            .WithSummary("Adds a scan (multipart: file, side Front|Back|Other, documentId — empty for the file's own document; PDF, PNG or JPEG up to 10 MB). Stored sealed under a key of its own.");
        documents.MapDelete("/scans/{scanId:long}", async Task<Results<Ok<IdentityDocumentsDto>, ProblemHttpResult>> (long id, long scanId, IdentityDocumentService service, CancellationToken ct) =>
                (await service.RemoveScanAsync(id, scanId, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Removes a scan.");
        documents.MapPost("/scans/{scanId:long}/open", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long scanId, DocumentScanOpenRequest r,
                IdentityDocumentService service, CancellationToken ct) =>
            {
                var opened = await service.OpenScanAsync(id, scanId, r.Purpose, "API", ct);
                return opened.Succeeded ? TypedResults.File(opened.Value.Data, opened.Value.ContentType, opened.Value.FileName) : Problems.From(opened.Error);
            })
            .WithSummary("The scan's file for the stated purpose (PersonalDataReveal or KycVerify); every opening is recorded in personal_data_access and the audit log.");
    }
}
