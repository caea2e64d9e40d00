using Microsoft.EntityFrameworkCore;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Products;

/// <summary>
/// The product catalogue: list with filters, read, create, update (optimistic concurrency) and status changes. The
/// effective risk level is kept as the higher of the two ratings; when it goes up the raise is recorded in
/// <c>product_risk_changes</c> in the same transaction, and <see cref="RiskRaisesAsync"/> lists it with the holders it
/// leaves uncovered (<see cref="IProductHoldings"/>).
/// </summary>
public sealed class ProductService(StewardDbContext db, CurrentUser user, TimeProvider time, IProductHoldings holdings, IEnumerable<IProductRiskRaiseObserver> raiseObservers)
{
    public async Task<ProductPage> ListAsync(ProductListQuery q, CancellationToken ct = default)
    {
        var query = db.Set<Product>().AsNoTracking();
        if (q.Category is { } category)
        {
            query = query.Where(p => p.Category == category);
        }

        if (q.RiskLevel is { } level)
        {
            query = query.Where(p => p.RiskLevel == level);
        }

        if (q.Status is { } status)
        {
            query = query.Where(p => p.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(q.Q))
        {
            var text = q.Q.Trim();
            var upper = text.ToUpperInvariant();
            var lower = text.ToLowerInvariant();
            // English names are compared in SQL lower(): ToLowerInvariant has no translation (CA1304 guards a culture that SQL does not use).
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(p => p.Code.Contains(upper) || p.Name.Contains(text) || p.NameEn.ToLower().Contains(lower));
#pragma warning restore CA1304, CA1311, CA1862
        }

        var rows = await query.Include(p => p.Documents).OrderBy(p => p.Code).ToListAsync(ct);
        var codes = await QualificationCodesAsync(ct);
        return new ProductPage([.. rows.Select(p => ToDto(p, codes))], rows.Count);
    }

    public async Task<Outcome<ProductDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var product = await db.Set<Product>().AsNoTracking().Include(p => p.Documents).SingleOrDefaultAsync(p => p.Id == id, ct);
        return product is null ? new ProductNotFound(id) : ToDto(product, await QualificationCodesAsync(ct));
    }

    public async Task<Outcome<ProductDto>> CreateAsync(ProductSaveRequest r, CancellationToken ct = default)
    {
        if (await ValidateAsync(r, ct) is { } invalid)
        {
            return invalid;
        }

        var code = r.Code!.Trim();
        if (await db.Set<Product>().AnyAsync(p => p.Code == code, ct))
        {
            return new ProductCodeTaken(code);
        }

        var product = new Product { Code = code, Status = r.Status ?? ProductStatus.OnSale };
        Apply(product, r);
        db.Add(product);
        await db.SaveChangesAsync(ct);
        return await GetAsync(product.Id, ct);
    }

    public async Task<Outcome<ProductDto>> UpdateAsync(long id, ProductSaveRequest r, CancellationToken ct = default)
    {
        var product = await db.Set<Product>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null)
        {
            return new ProductNotFound(id);
        }

        if (await ValidateAsync(r, ct) is { } invalid)
        {
            return invalid;
        }

        if (r.Version != product.Version)
        {
            return Problems.StaleVersion();
        }

        var code = r.Code!.Trim();
        if (code != product.Code && await db.Set<Product>().AnyAsync(p => p.Code == code && p.Id != id, ct))
        {
            return new ProductCodeTaken(code);
        }

        var before = product.RiskLevel;
        product.Code = code;
        Apply(product, r);
        if (product.RiskLevel > before)
        {
            db.Add(new ProductRiskChange
            {
                ProductId = product.Id, PreviousLevel = before, NewLevel = product.RiskLevel, IssuerRiskLevel = product.IssuerRiskLevel,
                DistributorRiskLevel = product.DistributorRiskLevel, ChangedById = user.StaffId, ChangedAt = time.GetUtcNow(),
            });
            var uncovered = UncoveredBy(await holdings.HoldersAsync(id, ct), product.RiskLevel);
            foreach (var observer in raiseObservers)
            {
                await observer.RaisedAsync(product, before, uncovered, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>On sale ↔ suspended → withdrawn; a withdrawn product stays withdrawn (make a new one). A reason is required except for going back on sale.</summary>
    public async Task<Outcome<ProductDto>> ChangeStatusAsync(long id, ProductStatusRequest r, CancellationToken ct = default)
    {
        var product = await db.Set<Product>().SingleOrDefaultAsync(p => p.Id == id, ct);
        if (product is null)
        {
            return new ProductNotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        var reason = r.Reason?.Trim();
        if (r.Status is null)
        {
            errors["status"] = ["Choose the new status. 请选择新状态。"];
        }
        else if (product.Status == ProductStatus.Withdrawn && r.Status != ProductStatus.Withdrawn)
        {
            errors["status"] = ["A withdrawn product cannot be put back on sale or suspended; create a new product. 已下架的产品不能恢复销售或暂停，请新建产品。"];
        }

        if (r.Status is ProductStatus.Suspended or ProductStatus.Withdrawn && string.IsNullOrEmpty(reason))
        {
            errors["reason"] = ["Give the reason for suspending or withdrawing. 请填写暂停或下架的原因。"];
        }
        else if (reason is { Length: > 400 })
        {
            errors["reason"] = ["The reason is at most 400 characters. 原因不超过 400 字。"];
        }

        if (errors.Count > 0)
        {
            return new ProductInvalid(errors);
        }

        if (r.Version != product.Version)
        {
            return Problems.StaleVersion();
        }

        if (product.Status != r.Status)
        {
            product.Status = r.Status!.Value;
            product.StatusReason = string.IsNullOrEmpty(reason) ? null : reason;
            product.StatusChangedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }

        return await GetAsync(id, ct);
    }

    /// <summary>Every raise of the product's effective risk level, newest first, each with the holders it leaves uncovered.</summary>
    public async Task<Outcome<IReadOnlyList<ProductRiskRaise>>> RiskRaisesAsync(long id, CancellationToken ct = default)
    {
        if (!await db.Set<Product>().AnyAsync(p => p.Id == id, ct))
        {
            return new ProductNotFound(id);
        }

        var changes = await db.Set<ProductRiskChange>().AsNoTracking().Where(c => c.ProductId == id).OrderByDescending(c => c.Id).ToListAsync(ct);
        if (changes.Count == 0)
        {
            return Outcome(Array.Empty<ProductRiskRaise>());
        }

        var holders = await holdings.HoldersAsync(id, ct);
        return Outcome(changes.Select(c => new ProductRiskRaise(c.Id, c.PreviousLevel, c.NewLevel, c.ChangedAt, UncoveredBy(holders, c.NewLevel))).ToArray());
    }

    /// <summary>The holders whose tolerance does not cover <paramref name="level"/>; unassessed holders are never covered.</summary>
    public static IReadOnlyList<ProductHolder> UncoveredBy(IEnumerable<ProductHolder> holders, ProductRiskLevel level) =>
        [.. holders.Where(h => h.ToleranceLevel is not { } t || !ProductRisk.Covers(t, level)).OrderBy(h => h.CustomerReference, StringComparer.Ordinal)];

    /// <summary>The qualification types a product can require (active ones), for forms.</summary>
    public Task<List<QualificationType>> QualificationTypesAsync(CancellationToken ct = default) =>
        db.Set<QualificationType>().AsNoTracking().Where(t => t.IsActive).OrderBy(t => t.Family).ThenBy(t => t.Level).ThenBy(t => t.Code).ToListAsync(ct);

    internal static ProductDto ToDto(Product p, IReadOnlyDictionary<long, string> codes) => new(
        p.Id, p.Code, p.Name, p.NameEn, p.Category, p.RiskLevel, p.IssuerRiskLevel, p.DistributorRiskLevel, p.ExpectedReturnMinPercent,
        p.ExpectedReturnMaxPercent, p.LiquidityDays, p.TermDays, p.MinimumAmount, p.Currency, p.RecordedSalesRequired, p.RequiredQualificationTypeId,
        p.RequiredQualificationTypeId is { } q ? codes.GetValueOrDefault(q) : null, p.Status, p.StatusReason, p.StatusChangedAt,
        [.. p.Documents.OrderBy(d => d.Kind).ThenBy(d => d.Id).Select(d => new ProductDocumentDto(d.Id, d.Kind, d.Title, d.TitleEn, d.Url, d.FileName, d.ContentType, d.Size, d.CreatedAt))],
        p.Version, p.UpdatedAt);

    private static Outcome<IReadOnlyList<ProductRiskRaise>> Outcome(ProductRiskRaise[] raises) => raises;

    private async Task<Error?> ValidateAsync(ProductSaveRequest r, CancellationToken ct)
    {
        var exists = r.RequiredQualificationTypeId is { } q && await db.Set<QualificationType>().AnyAsync(t => t.Id == q, ct);
        var errors = ProductValidation.Check(r, exists);
        return errors.Count > 0 ? new ProductInvalid(errors) : null;
    }

    private static void Apply(Product p, ProductSaveRequest r)
    {
        p.Name = r.Name!.Trim();
        p.NameEn = r.NameEn!.Trim();
        p.Category = r.Category!.Value;
        p.IssuerRiskLevel = r.IssuerRiskLevel!.Value;
        p.DistributorRiskLevel = r.DistributorRiskLevel!.Value;
        p.RiskLevel = ProductRisk.Effective(p.IssuerRiskLevel, p.DistributorRiskLevel);
        p.ExpectedReturnMinPercent = r.ExpectedReturnMinPercent;
        p.ExpectedReturnMaxPercent = r.ExpectedReturnMaxPercent ?? r.ExpectedReturnMinPercent;
        p.LiquidityDays = r.LiquidityDays!.Value;
        p.TermDays = r.TermDays;
        p.MinimumAmount = r.MinimumAmount;
        p.Currency = string.IsNullOrWhiteSpace(r.Currency) ? "CNY" : r.Currency.Trim();
        p.RecordedSalesRequired = r.RecordedSalesRequired;
        p.RequiredQualificationTypeId = r.RequiredQualificationTypeId;
    }

    private async Task<Dictionary<long, string>> QualificationCodesAsync(CancellationToken ct) =>
        await db.Set<QualificationType>().AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Code, ct);
}
