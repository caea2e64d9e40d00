using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Qualifications;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Products;

/// <summary>What kind of product (issue 12). <see cref="Payment"/> is a service, kept for the cases that name one.</summary>
public enum ProductCategory
{
    Deposit,
    StructuredDeposit,
    Loan,
    BankCard,
    Fund,
    WealthManagement,
    Insurance,
    Bond,
    Payment,
}

/// <summary>Product risk level R1 (lowest) to R5 (highest), matched against customer tolerance C1–C5.</summary>
public enum ProductRiskLevel
{
    R1,
    R2,
    R3,
    R4,
    R5,
}

/// <summary>On sale, suspended (not sold for now, holders keep it) or withdrawn (no longer offered).</summary>
public enum ProductStatus
{
    OnSale,
    Suspended,
    Withdrawn,
}

public enum ProductDocumentKind
{
    Terms,
    RiskDisclosure,
    Other,
}

/// <summary>
/// A product in the catalogue (003 §1.2: risk level, expected return, liquidity). Two ratings: the issuer's (the
/// manager's or insurer's) and the distributor's (this bank's own, 《证券期货投资者适当性管理办法》 and 《金融机构产品适当性
/// 管理办法》 require the seller to rate what it sells); <see cref="RiskLevel"/> is the effective one, the higher of the two,
/// and is what suitability matches against.
/// </summary>
public sealed class Product : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public ProductCategory Category { get; set; }

    /// <summary>The effective risk level: <see cref="ProductRisk.Effective"/> of the two ratings, kept in step by <see cref="ProductService"/>.</summary>
    public ProductRiskLevel RiskLevel { get; set; }

    public ProductRiskLevel IssuerRiskLevel { get; set; }

    public ProductRiskLevel DistributorRiskLevel { get; set; }

    /// <summary>Expected annual return, lower end, in percent (e.g. 2.35); null where not applicable.</summary>
    public decimal? ExpectedReturnMinPercent { get; set; }

    /// <summary>Expected annual return, upper end, in percent; equal to the lower end for a fixed rate.</summary>
    public decimal? ExpectedReturnMaxPercent { get; set; }

    /// <summary>Days until the customer can get the money back (0 = on demand).</summary>
    public int LiquidityDays { get; set; }

    /// <summary>Term in days; null = open-ended.</summary>
    public int? TermDays { get; set; }

    /// <summary>Smallest amount a customer may buy, in <see cref="Currency"/>; null = no minimum.</summary>
    public decimal? MinimumAmount { get; set; }

    public string Currency { get; set; } = "CNY";

    /// <summary>Whether a sale must be audio- and video-recorded (双录).</summary>
    public bool RecordedSalesRequired { get; set; }

    /// <summary>The qualification a staff member must hold (valid that day) to recommend or sell it; null = none.</summary>
    public long? RequiredQualificationTypeId { get; set; }

    public ProductStatus Status { get; set; } = ProductStatus.OnSale;

    public string? StatusReason { get; set; }

    public DateTimeOffset? StatusChangedAt { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<ProductDocument> Documents { get; set; } = [];
}

/// <summary>The product's terms, risk disclosure or another document: a link, or a file (bytes in <see cref="AttachmentBlob"/>).</summary>
public sealed class ProductDocument : IAuditable
{
    public long Id { get; set; }

    public long ProductId { get; set; }

    public ProductDocumentKind Kind { get; set; }

    public string Title { get; set; } = "";

    public string TitleEn { get; set; } = "";

    public string? Url { get; set; }

    public string? FileName { get; set; }

    public string? ContentType { get; set; }

    public long? Size { get; set; }

    public string? Sha256 { get; set; }

    public long? BlobId { get; set; }

    public AttachmentBlob? Blob { get; set; }

    public long? AddedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A raise of a product's effective risk level, with both ratings as they became. Holders it leaves uncovered: <see cref="IProductHoldings"/>.</summary>
public sealed class ProductRiskChange : IAuditable
{
    public long Id { get; set; }

    public long ProductId { get; set; }

    public ProductRiskLevel PreviousLevel { get; set; }

    public ProductRiskLevel NewLevel { get; set; }

    public ProductRiskLevel IssuerRiskLevel { get; set; }

    public ProductRiskLevel DistributorRiskLevel { get; set; }

    public long? ChangedById { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasIndex(p => p.Code).IsUnique();
        builder.HasIndex(p => new { p.Category, p.RiskLevel, p.Status });
        builder.Property(p => p.Code).HasMaxLength(32);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.NameEn).HasMaxLength(200);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.ExpectedReturnMinPercent).HasPrecision(9, 4);
        builder.Property(p => p.ExpectedReturnMaxPercent).HasPrecision(9, 4);
        builder.Property(p => p.MinimumAmount).HasPrecision(18, 2);
        builder.HasOne<QualificationType>().WithMany().HasForeignKey(p => p.RequiredQualificationTypeId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(p => p.Documents).WithOne().HasForeignKey(d => d.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProductDocumentConfiguration : IEntityTypeConfiguration<ProductDocument>
{
    public void Configure(EntityTypeBuilder<ProductDocument> builder)
    {
        builder.ToTable("product_documents");
        builder.Property(d => d.Title).HasMaxLength(200);
        builder.Property(d => d.TitleEn).HasMaxLength(200);
        builder.Property(d => d.FileName).HasMaxLength(200);
        builder.Property(d => d.ContentType).HasMaxLength(100);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.HasOne(d => d.Blob).WithMany().HasForeignKey(d => d.BlobId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ProductRiskChangeConfiguration : IEntityTypeConfiguration<ProductRiskChange>
{
    public void Configure(EntityTypeBuilder<ProductRiskChange> builder)
    {
        builder.ToTable("product_risk_changes");
        builder.HasIndex(c => c.ProductId);
        builder.HasOne<Product>().WithMany().HasForeignKey(c => c.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>The risk arithmetic suitability relies on.</summary>
public static class ProductRisk
{
    /// <summary>The effective level: the higher of the issuer's and the distributor's rating (the stricter applies).</summary>
    public static ProductRiskLevel Effective(ProductRiskLevel issuer, ProductRiskLevel distributor) => issuer >= distributor ? issuer : distributor;

    /// <summary>
    /// Whether a customer of tolerance level <paramref name="toleranceLevel"/> (1 = C1 … 5 = C5) is covered for
    /// <paramref name="level"/>: the matching table of 《证券期货投资者适当性管理办法》 (C1 → R1, C2 → R1–R2, … C5 → R1–R5).
    /// </summary>
    public static bool Covers(int toleranceLevel, ProductRiskLevel level) => toleranceLevel >= (int)level + 1;
}
