using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Customers.Documents;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

/// <summary>
/// The identity-document forms of the customer page post here: success goes back to the page (an opened scan is the file
/// itself), a refusal shows the section again with the message at its field.
/// </summary>
public sealed class CustomerDocumentsModel(IdentityDocumentService documents, CustomerDirectory customers, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long CustomerId { get; set; }

    public CustomerHit? Customer { get; private set; }

    public CustomerDocumentsView? View { get; private set; }

    public IActionResult OnGet() => Back();

    public async Task<IActionResult> OnPostAsync(IdentityDocumentType? type, string? number, string? issuingCountry, DateOnly? expiresOn, string? note, CancellationToken ct)
    {
        var typed = new IdentityDocumentRequest(type, number, issuingCountry, expiresOn, note);
        return await DoneAsync(await documents.AddAsync(CustomerId, typed, ct), "add", ct, typed);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long documentId, CancellationToken ct) => await DoneAsync(await documents.RemoveAsync(CustomerId, documentId, ct), "remove", ct);

    public async Task<IActionResult> OnPostScanAsync(string? documentId, DocumentScanSide? side, IFormFile? file, CancellationToken ct)
    {
        long? document = long.TryParse(documentId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;
        if (file is null)
        {
            return await DoneAsync<IdentityDocumentsDto>(Problems.Invalid("file", "Choose the scan to upload. 请选择要上传的影像。"), "scan", ct, chosen: (document, side));
        }

        await using var stream = file.OpenReadStream();
        return await DoneAsync(await documents.UploadScanAsync(CustomerId, document, side, file.FileName, stream, file.Length, ct), "scan", ct, chosen: (document, side));
    }

    public async Task<IActionResult> OnPostRemoveScanAsync(long scanId, CancellationToken ct) => await DoneAsync(await documents.RemoveScanAsync(CustomerId, scanId, ct), "remove", ct);

    public async Task<IActionResult> OnPostOpenAsync(long scanId, string? purpose, CancellationToken ct)
    {
        var opened = await documents.OpenScanAsync(CustomerId, scanId, purpose, "page", ct);
        if (opened.Succeeded)
        {
            // Shown in the browser (inline), never cached: the scan is personal data.
            Response.Headers.CacheControl = "no-store";
            Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { Inline = true, FileName = opened.Value.FileName }.ToString();
            return File(opened.Value.Data, opened.Value.ContentType);
        }

        return await DoneAsync<OpenedScan>(opened.Error, "open", ct, scanId: scanId);
    }

    private async Task<IActionResult> DoneAsync<T>(Outcome<T> outcome, string form, CancellationToken ct, IdentityDocumentRequest? typed = null, long? scanId = null,
        (long? DocumentId, DocumentScanSide? Side)? chosen = null)
    {
        if (outcome.Succeeded)
        {
            return Back();
        }

        Customer = await customers.GetAsync(CustomerId, ct);
        if (Customer is null)
        {
            return NotFound();
        }

        var list = await documents.ListAsync(CustomerId, ct);
        View = new CustomerDocumentsView(CustomerId, list.Succeeded ? list.Value.Documents : [], user.Can(Permission.CustomersManage), IdentityDocumentService.CanOpenScans(user),
            outcome.Error, form, typed, scanId, chosen);
        Response.StatusCode = outcome.Error.Status;
        return Page();
    }

    private RedirectResult Back() => Redirect(FormattableString.Invariant($"/Customers/Details?id={CustomerId}#documents-title"));
}
