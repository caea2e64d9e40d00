using Microsoft.AspNetCore.Mvc;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers.Documents;

/// <summary>What the identity-documents section shows; <see cref="Error"/> and <see cref="Form"/> when a form came back refused, with what was typed
/// (a refused scan keeps the document and side chosen; a browser never keeps the file).</summary>
public sealed record CustomerDocumentsView(long CustomerId, IReadOnlyList<IdentityDocumentView> Documents, bool CanManage, bool CanReveal,
    Error? Error = null, string? Form = null, IdentityDocumentRequest? Typed = null, long? FormScanId = null,
    (long? DocumentId, DocumentScanSide? Side)? ScanChosen = null)
{
    public IReadOnlyList<string> FieldErrors(string form, string key) => Form == form ? Shared.FieldErrors.For(Error, key) : [];
}

/// <summary>The customer page's identity documents: each document with its scans, and the forms to add documents and scans.</summary>
public sealed class CustomerDocumentsViewComponent(IdentityDocumentService documents, CurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long customerId)
    {
        var list = await documents.ListAsync(customerId, HttpContext.RequestAborted);
        return View(Partial, new CustomerDocumentsView(customerId, list.Succeeded ? list.Value.Documents : [],
            user.Can(Permission.CustomersManage), IdentityDocumentService.CanOpenScans(user)));
    }

    public const string Partial = "/Features/Customers/Documents/_CustomerDocuments.cshtml";
}
