namespace Steward.Features.Products;

/// <summary>A product as the API and the pages read it. <c>riskLevel</c> is the effective one (the higher of the two ratings).</summary>
public sealed record ProductDto(
    long Id,
    string Code,
    string Name,
    string NameEn,
    ProductCategory Category,
    ProductRiskLevel RiskLevel,
    ProductRiskLevel IssuerRiskLevel,
    ProductRiskLevel DistributorRiskLevel,
    decimal? ExpectedReturnMinPercent,
    decimal? ExpectedReturnMaxPercent,
    int LiquidityDays,
    int? TermDays,
    decimal? MinimumAmount,
    string Currency,
    bool RecordedSalesRequired,
    long? RequiredQualificationTypeId,
    string? RequiredQualificationCode,
    ProductStatus Status,
    string? StatusReason,
    DateTimeOffset? StatusChangedAt,
    IReadOnlyList<ProductDocumentDto> Documents,
    int Version,
    DateTimeOffset UpdatedAt);

public sealed record ProductDocumentDto(long Id, ProductDocumentKind Kind, string Title, string TitleEn, string? Url, string? FileName, string? ContentType, long? Size, DateTimeOffset CreatedAt);

public sealed record ProductPage(IReadOnlyList<ProductDto> Items, int Total);

/// <summary>List filters (all optional): category, effective risk level, status, and q (code or name contains).</summary>
public sealed record ProductListQuery
{
    public ProductCategory? Category { get; init; }
    public ProductRiskLevel? RiskLevel { get; init; }
    public ProductStatus? Status { get; init; }
    public string? Q { get; init; }
}

/// <summary>
/// Create or update a product. On update every field is replaced; <c>version</c> is the version read (stale → 409).
/// Status is changed only by the status endpoint (a new product is on sale unless told).
/// </summary>
public sealed record ProductSaveRequest(
    string? Code,
    string? Name,
    string? NameEn,
    ProductCategory? Category,
    ProductRiskLevel? IssuerRiskLevel,
    ProductRiskLevel? DistributorRiskLevel,
    decimal? ExpectedReturnMinPercent,
    decimal? ExpectedReturnMaxPercent,
    int? LiquidityDays,
    int? TermDays,
    decimal? MinimumAmount,
    string? Currency,
    bool RecordedSalesRequired,
    long? RequiredQualificationTypeId,
    int? Version = null,
    ProductStatus? Status = null);

public sealed record ProductStatusRequest(ProductStatus? Status, string? Reason, int? Version);

public sealed record ProductDocumentLinkRequest(ProductDocumentKind? Kind, string? Title, string? TitleEn, string? Url, int? Version = null);

/// <summary>
/// A product's effective risk level went up: the change recorded, and the holders whose tolerance no longer covers the new
/// level (from <see cref="IProductHoldings"/>; empty until the holdings slice supplies holdings).
/// </summary>
public sealed record ProductRiskRaise(long ChangeId, ProductRiskLevel PreviousLevel, ProductRiskLevel NewLevel, DateTimeOffset ChangedAt, IReadOnlyList<ProductHolder> UncoveredHolders);
