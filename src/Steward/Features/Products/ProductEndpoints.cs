using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

public static class ProductEndpoints
{
    public static void MapProductEndpoints(this IEndpointRouteBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Products").RequireAuthorization(IdentitySetup.Policy(Permission.ProductsRead));
        var manage = IdentitySetup.Policy(Permission.ProductsManage);

        products.MapGet("/", async ([AsParameters] ProductListQuery q, ProductService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(q, ct)))
            .WithSummary("The catalogue, filtered by category, riskLevel (the effective one), status and q (code or name).");
        products.MapGet("/{id:long}", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, ProductService service, CancellationToken ct) =>
                (await service.GetAsync(id, ct)).ToOk())
            .WithSummary("One product with both risk ratings, the effective one (the higher applies), its documents and version.");
        products.MapPost("/", (ProductSaveRequest r, HttpContext http, CurrentUser user, Idempotency idempotency, ProductService service, CancellationToken ct) =>
                idempotency.CreateAsync(http, Idempotency.CallerOf(user), r, c => service.CreateAsync(r, c), p => $"/api/v1/products/{p.Id}", ct))
            .RequireAuthorization(manage).Produces<ProductDto>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(409).ProducesProblem(422)
            .WithSummary("Creates a product. Send an Idempotency-Key header to make retries safe.");
        products.MapPut("/{id:long}", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, ProductSaveRequest r, ProductService service, CancellationToken ct) =>
                (await service.UpdateAsync(id, r, ct)).ToOk())
            .RequireAuthorization(manage)
            .WithSummary("Replaces a product's fields (not its status); version = the version read (stale → 409). A raised effective risk level is recorded.");
        products.MapPost("/{id:long}/status", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, ProductStatusRequest r, ProductService service, CancellationToken ct) =>
                (await service.ChangeStatusAsync(id, r, ct)).ToOk())
            .RequireAuthorization(manage)
            .WithSummary("Puts a product on sale, suspends or withdraws it (a reason is required to suspend or withdraw; withdrawn is final); stale version → 409.");
        products.MapGet("/{id:long}/risk-raises", async Task<Results<Ok<IReadOnlyList<ProductRiskRaise>>, ProblemHttpResult>> (long id, ProductService service, CancellationToken ct) =>
                (await service.RiskRaisesAsync(id, ct)).ToOk())
            .WithSummary("Every raise of the effective risk level, with the holders whose tolerance no longer covers it (empty until holdings are imported).");
        products.MapPost("/{id:long}/documents", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, ProductDocumentLinkRequest r, ProductDocuments service, CancellationToken ct) =>
                (await service.AddLinkAsync(id, r, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Adds a document as a link (kind Terms, RiskDisclosure or Other; title, titleEn, url).");
        products.MapPost("/{id:long}/documents/upload", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? kind,
                [Microsoft.AspNetCore.Mvc.FromForm] string? title, [Microsoft.AspNetCore.Mvc.FromForm] string? titleEn, ProductDocuments service, CancellationToken ct) =>
            {
                var parsed = Enum.TryParse<ProductDocumentKind>(kind, ignoreCase: false, out var k) && Enum.IsDefined(k) ? k : (ProductDocumentKind?)null;
                if (file is null)
                {
                    return Problems.From(Problems.Invalid("file", "Attach the file as multipart form data (field file). 请以 multipart 表单上传文件（字段 file）。"));
                }

                await using var stream = file.OpenReadStream();
                return (await service.AddFileAsync(id, parsed, title, titleEn, file.FileName, stream, file.Length, ct)).ToOk();
            })
            .RequireAuthorization(manage).DisableAntiforgery()
            .WithSummary("Adds a document as a file (multipart: file, kind, title, titleEn; at most 10 MB; PDF, image, Word, Excel or text).");
        products.MapGet("/{id:long}/documents/{documentId:long}/file", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, long documentId, ProductDocuments service, CancellationToken ct) =>
                await service.OpenAsync(id, documentId, ct) is { } f ? TypedResults.File(f.Data, f.ContentType, f.FileName) : Problems.From(new ProductDocumentNotFound()))
            .WithSummary("An uploaded document's file.");
        products.MapDelete("/{id:long}/documents/{documentId:long}", async Task<Results<Ok<ProductDto>, ProblemHttpResult>> (long id, long documentId, ProductDocuments service, CancellationToken ct) =>
                (await service.RemoveAsync(id, documentId, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Removes a document.");
    }
}
