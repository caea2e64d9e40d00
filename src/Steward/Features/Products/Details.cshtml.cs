using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Qualifications;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

/// <summary>One product: its figures, both ratings and the effective one, documents, status and risk raises; managers change status and documents here.</summary>
[RequirePermission(Permission.ProductsRead)]
public sealed class ProductDetailsModel(ProductService products, ProductDocuments documents, QualificationService qualifications, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public ProductDto? Product { get; private set; }

    public IReadOnlyList<ProductRiskRaise> Raises { get; private set; } = [];

    public string? QualificationName { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>Which form the error belongs to (status, link, file), so that its messages show at its fields.</summary>
    public string? ErrorForm { get; private set; }

    public bool CanManage => user.Can(Permission.ProductsManage);

    public IReadOnlyList<string> FieldErrors(string form, params string[] keys) =>
        ErrorForm == form ? Shared.FieldErrors.For(Error, keys) : [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStatusAsync(ProductStatus? status, string? reason, int? version, CancellationToken ct) => !CanManage ? Forbid() :
        await Done("status", await products.ChangeStatusAsync(Id, new ProductStatusRequest(status, reason, version), ct), ct);

    public async Task<IActionResult> OnPostLinkAsync(ProductDocumentKind? kind, string? title, string? titleEn, string? url, CancellationToken ct) => !CanManage ? Forbid() :
        await Done("link", await documents.AddLinkAsync(Id, new ProductDocumentLinkRequest(kind, title, titleEn, url), ct), ct);

    public async Task<IActionResult> OnPostFileAsync(ProductDocumentKind? kind, string? title, string? titleEn, IFormFile? file, CancellationToken ct)
    {
        if (!CanManage)
        {
            return Forbid();
        }

        await using var stream = file?.OpenReadStream() ?? Stream.Null;
        return await Done("file", await documents.AddFileAsync(Id, kind, title, titleEn, file?.FileName, stream, file?.Length, ct), ct);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long documentId, CancellationToken ct) => !CanManage ? Forbid() :
        await Done("remove", await documents.RemoveAsync(Id, documentId, ct), ct);

    public async Task<IActionResult> OnGetFileAsync(long documentId, CancellationToken ct) =>
        await documents.OpenAsync(Id, documentId, ct) is { } f ? File(f.Data, f.ContentType, f.FileName) : NotFound();

    private async Task<IActionResult> Done(string form, Outcome<ProductDto> outcome, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            return Redirect("/Products/Details?id=" + Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Error = outcome.Error;
        ErrorForm = form;
        Response.StatusCode = Error.Status;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await products.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Product = found.Value;
        Raises = (await products.RiskRaisesAsync(Id, ct)).Value ?? [];
        if (Product.RequiredQualificationTypeId is { } q)
        {
            var type = (await qualifications.TypesAsync(ct)).FirstOrDefault(t => t.Id == q);
            QualificationName = type is null ? Product.RequiredQualificationCode
                : Steward.Platform.Localization.Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture) ? type.Name : type.NameEn;
        }

        return true;
    }
}
