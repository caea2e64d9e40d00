using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Products;

public enum ProductCategory
{
    Deposit,
    WealthManagement,
    Fund,
    Insurance,
    Loan,
    Card,
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

/// <summary>A product in the catalogue (003 §1.2: risk level, expected return, liquidity).</summary>
public sealed class Product : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    public ProductCategory Category { get; set; }

    public ProductRiskLevel RiskLevel { get; set; }

    /// <summary>Expected annual return in percent, e.g. 2.35; null where not applicable.</summary>
    public decimal? ExpectedReturnPercent { get; set; }

    /// <summary>Days until the customer can get the money back (0 = on demand).</summary>
    public int LiquidityDays { get; set; }

    public bool IsActive { get; set; } = true;

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("products");
        builder.HasIndex(p => p.Code).IsUnique();
        builder.Property(p => p.Code).HasMaxLength(32);
        builder.Property(p => p.Name).HasMaxLength(200);
        builder.Property(p => p.NameEn).HasMaxLength(200);
        builder.Property(p => p.ExpectedReturnPercent).HasPrecision(9, 4);
    }
}
