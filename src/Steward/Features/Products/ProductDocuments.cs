using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

/// <summary>A product's documents (terms, risk disclosure, other): added as a link or a file, opened, removed.</summary>
public sealed class ProductDocuments(StewardDbContext db, CurrentUser user, TimeProvider time, ProductService products)
{
    public async Task<Outcome<ProductDto>> AddLinkAsync(long productId, ProductDocumentLinkRequest r, CancellationToken ct = default)
    {
        var errors = CheckTitles(r.Kind, r.Title, r.TitleEn);
        var url = r.Url?.Trim() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || url.Length > 400)
        {
            errors["url"] = ["Give the document's web address (http or https, up to 400 characters). 请填写文件的网址（http 或 https，不超过 400 字符）。"];
        }

        return await AddAsync(productId, errors, r.Kind, r.Title, r.TitleEn, d => d.Url = uri!.AbsoluteUri, ct);
    }

    public async Task<Outcome<ProductDto>> AddFileAsync(long productId, ProductDocumentKind? kind, string? title, string? titleEn, string? fileName, Stream content, long? length, CancellationToken ct = default)
    {
        var errors = CheckTitles(kind, title, titleEn);
        var file = await UploadedFile.ReadAsync("file", fileName, content, length, ct);
        if (!file.Succeeded && file.Error is InvalidError { Fields: { } fields })
        {
            foreach (var (field, messages) in fields)
            {
                errors[field] = messages;
            }
        }

        return await AddAsync(productId, errors, kind, title, titleEn, d =>
        {
            var blob = new AttachmentBlob { Data = file.Value!.Data };
            db.Add(blob);
            d.FileName = file.Value.FileName;
            d.ContentType = file.Value.ContentType;
            d.Size = file.Value.Data.Length;
            d.Sha256 = file.Value.Sha256;
            d.Blob = blob;
        }, ct);
    }

    public async Task<Outcome<ProductDto>> RemoveAsync(long productId, long documentId, CancellationToken ct = default)
    {
        var document = await db.Set<ProductDocument>().SingleOrDefaultAsync(d => d.Id == documentId && d.ProductId == productId, ct);
        if (document is null)
        {
            return new ProductDocumentNotFound();
        }

        db.Remove(document);
        await db.SaveChangesAsync(ct);
        if (document.BlobId is { } blob)
        {
            await db.Set<AttachmentBlob>().Where(b => b.Id == blob).ExecuteDeleteAsync(ct);
        }

        return await products.GetAsync(productId, ct);
    }

    /// <summary>An uploaded document's bytes, name and type; not found for a link or another product's document.</summary>
    public async Task<(string FileName, string ContentType, byte[] Data)?> OpenAsync(long productId, long documentId, CancellationToken ct = default)
    {
        var document = await db.Set<ProductDocument>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.ProductId == productId && d.BlobId != null, ct);
        if (document is null)
        {
            return null;
        }

        var data = await db.Set<AttachmentBlob>().AsNoTracking().Where(b => b.Id == document.BlobId).Select(b => b.Data).SingleAsync(ct);
        return (document.FileName!, document.ContentType!, data);
    }

    private async Task<Outcome<ProductDto>> AddAsync(long productId, Dictionary<string, string[]> errors, ProductDocumentKind? kind, string? title, string? titleEn,
        Action<ProductDocument> fill, CancellationToken ct)
    {
        if (!await db.Set<Product>().AnyAsync(p => p.Id == productId, ct))
        {
            return new ProductNotFound(productId);
        }

        if (errors.Count > 0)
        {
            return new ProductInvalid(errors);
        }

        var document = new ProductDocument
        {
            ProductId = productId, Kind = kind!.Value, Title = title!.Trim(), TitleEn = titleEn!.Trim(), AddedById = user.StaffId, CreatedAt = time.GetUtcNow(),
        };
        fill(document);
        db.Add(document);
        await db.SaveChangesAsync(ct);
        return await products.GetAsync(productId, ct);
    }

    private static Dictionary<string, string[]> CheckTitles(ProductDocumentKind? kind, string? title, string? titleEn)
    {
        var errors = new Dictionary<string, string[]>();
        if (kind is null)
        {
            errors["kind"] = ["Choose what the document is. 请选择文件类型。"];
        }

        if ((title?.Trim() ?? "").Length is 0 or > 200)
        {
            errors["title"] = ["Give the Chinese title (up to 200 characters). 请填写中文标题（不超过 200 字）。"];
        }

        if ((titleEn?.Trim() ?? "").Length is 0 or > 200)
        {
            errors["titleEn"] = ["Give the English title (up to 200 characters). 请填写英文标题（不超过 200 字）。"];
        }

        return errors;
    }
}
