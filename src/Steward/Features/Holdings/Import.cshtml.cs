using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Holdings;

/// <summary>
/// The holdings import page at <c>/Holdings/Import</c> for back office and administrators: upload a CSV or JSON file from the
/// core banking system and see what the importer (the same <see cref="HoldingImporter"/> as the API) made of it, and the
/// recent imports. The same content again is answered with the earlier import and writes nothing.
/// </summary>
[RequirePermission(Permission.HoldingsImport)]
[RequestSizeLimit(HoldingEndpoints.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(HoldingImporter importer, HoldingQueries queries) : PageModel
{
    public HoldingImportOutcome? Result { get; private set; }

    public Error? Error { get; private set; }

    public IReadOnlyList<HoldingImportSummary> Recent { get; private set; } = [];

    public async Task OnGetAsync(long? id, CancellationToken ct)
    {
        if (id is { } shown && (await queries.ImportAsync(shown, ct)) is { Succeeded: true } found)
        {
            Result = new HoldingImportOutcome(found.Value, AlreadyImported: false);
        }

        Recent = await queries.ImportsAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        var outcome = await ImportAsync(file, ct);
        if (outcome.Succeeded && !outcome.Value.AlreadyImported)
        {
            // Post/redirect/get: a reload shows the result instead of sending the file again.
            return Redirect("/Holdings/Import?id=" + outcome.Value.Import.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (outcome.Succeeded)
        {
            Result = outcome.Value;
        }
        else
        {
            Error = outcome.Error;
            Response.StatusCode = outcome.Error.Status;
        }

        Recent = await queries.ImportsAsync(ct);
        return Page();
    }

    private async Task<Outcome<HoldingImportOutcome>> ImportAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return Problems.Invalid("file", "Choose a CSV or JSON file that is not empty. 请选择非空的 CSV 或 JSON 文件。");
        }

        var json = file.FileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
        if (!json && !file.FileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Invalid("file", "The file must end in .csv or .json. 文件须为 .csv 或 .json 格式。");
        }

        if (file.Length > HoldingEndpoints.MaxFileBytes)
        {
            return Problems.Invalid("file", "The file is larger than 20 MB. 文件超过 20 MB。");
        }

        using var copy = new MemoryStream();
        await file.CopyToAsync(copy, ct);
        var holdingFile = new HoldingFile(Path.GetFileName(file.FileName), json ? HoldingFileFormat.Json : HoldingFileFormat.Csv, copy.ToArray());
        return await importer.EarlierAsync(holdingFile, ct) is { } earlier ? earlier : await importer.ImportAsync(holdingFile, ct);
    }
}
