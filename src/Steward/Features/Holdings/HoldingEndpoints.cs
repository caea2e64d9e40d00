using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

public static class HoldingEndpoints
{
    /// <summary>The largest file accepted (about 200,000 rows of CSV).</summary>
    public const int MaxFileBytes = 20 * 1024 * 1024;

    /// <summary>What the idempotency store hashes for an import: the file's name, format and content hash.</summary>
    private sealed record ImportRequest(string FileName, HoldingFileFormat Format, string Sha256);

    public static void MapHoldingEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/customers/{id:long}/holdings", async Task<Results<Ok<CustomerHoldingsDto>, ProblemHttpResult>> (long id, HoldingQueries queries, CancellationToken ct) =>
                (await queries.CustomerAsync(id, ct)).ToOk())
            .WithTags("Holdings").RequireAuthorization(IdentitySetup.Policy(Permission.CustomersRead))
            .WithSummary("A customer's holdings (product, balance, currency, as-of date, the import that wrote it); a customer outside the caller's branches is not found.");

        var imports = api.MapGroup("/holdings/imports").WithTags("Holdings").RequireAuthorization(IdentitySetup.Policy(Permission.HoldingsImport));
        imports.MapPost("/", async (HttpContext http, CurrentUser user, Idempotency idempotency, HoldingImporter importer, CancellationToken ct) =>
            {
                var read = await ReadFileAsync(http.Request, ct);
                if (!read.Succeeded)
                {
                    return Problems.From(read.Error!);
                }

                var file = read.Value!;
                if (string.IsNullOrEmpty(http.Request.Headers[Idempotency.Header]) && await importer.EarlierAsync(file, ct) is { } earlier)
                {
                    return TypedResults.Ok(earlier);
                }

                return await idempotency.CreateAsync(http, Idempotency.CallerOf(user), new ImportRequest(file.FileName, file.Format, HoldingImporter.HashOf(file)),
                    c => importer.ImportAsync(file, c), o => $"/api/v1/holdings/imports/{o.Import.Id}", ct);
            })
            .DisableAntiforgery().Produces<HoldingImportOutcome>(StatusCodes.Status201Created).Produces<HoldingImportOutcome>().ProducesProblem(400).ProducesProblem(422)
            .WithSummary("Imports holdings from the core banking system: multipart (field file, .csv or .json), or the raw body as text/csv or application/json "
                + "(name it with ?fileName=). Columns customer_reference,product_code,balance,currency,as_of. Every refused row is reported with its number and reason; "
                + "wrong columns refuse the whole file. The same content again answers 200 with the first import (alreadyImported) and writes nothing. Idempotency-Key honoured.");
        imports.MapGet("/", async (HoldingQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.ImportsAsync(ct)))
            .WithSummary("The latest imports (at most 100, newest first) with their counts.");
        imports.MapGet("/{id:long}", async Task<Results<Ok<HoldingImportDto>, ProblemHttpResult>> (long id, HoldingQueries queries, CancellationToken ct) =>
                (await queries.ImportAsync(id, ct)).ToOk())
            .WithSummary("One import's result: counts and every refused row (row number, field, reason code, value, the reason in the caller's language).");
    }

    /// <summary>The uploaded file (multipart field <c>file</c>) or the raw body, with its format from the content type or the file name.</summary>
    public static async Task<Outcome<HoldingFile>> ReadFileAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            if (form.Files.GetFile("file") is not { } upload)
            {
                return Problems.Invalid("file", "Attach the file as multipart form data (field file). 请以 multipart 表单上传文件（字段 file）。");
            }

            if (upload.Length > MaxFileBytes)
            {
                return TooLarge();
            }

            await using var stream = upload.OpenReadStream();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, ct);
            var json = upload.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || (upload.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) ?? false);
            return new HoldingFile(upload.FileName, json ? HoldingFileFormat.Json : HoldingFileFormat.Csv, copy.ToArray());
        }

        var type = request.ContentType ?? "";
        HoldingFileFormat? format = type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ? HoldingFileFormat.Csv
            : request.HasJsonContentType() ? HoldingFileFormat.Json : null;
        if (format is null)
        {
            return Problems.Invalid("file", "Send the file as multipart form data, or the body as text/csv or application/json. 请以 multipart 表单上传文件，或以 text/csv、application/json 发送正文。");
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        if (body.Length > MaxFileBytes)
        {
            return TooLarge();
        }

        var name = request.Query["fileName"].ToString() is { Length: > 0 } n ? n : format == HoldingFileFormat.Json ? "holdings.json" : "holdings.csv";
        return new HoldingFile(name, format.Value, body.ToArray());
    }

    private static InvalidRequest TooLarge() => Problems.Invalid("file", "The file is larger than 20 MB; split it. 文件超过 20 MB，请拆分。");
}
