using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Database;

namespace Steward.Features.Holdings;

/// <summary>
/// What one customer holds of one product, as the core banking system last reported it: one row per customer and product,
/// replaced by a later import (a row whose <see cref="AsOf"/> is earlier than the stored one does not replace it).
/// </summary>
public sealed class Holding : ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long ProductId { get; set; }

    /// <summary>The balance in <see cref="Currency"/>, never negative, two decimals at most.</summary>
    public decimal Balance { get; set; }

    /// <summary>ISO 4217 code, three capital letters.</summary>
    public string Currency { get; set; } = "";

    /// <summary>The business date the core banking system reported the balance for.</summary>
    public DateOnly AsOf { get; set; }

    /// <summary>The import that last wrote this row.</summary>
    public long ImportId { get; set; }

    public HoldingImport? Import { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One file imported from the core banking system, recognised again by the SHA-256 of its content (the same content
/// imported twice is answered with this record and writes nothing). The rows it refused are kept with it.
/// </summary>
public sealed class HoldingImport : IAuditable
{
    public long Id { get; set; }

    public string FileName { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the file's bytes, unique.</summary>
    public string Sha256 { get; set; } = "";

    public HoldingFileFormat Format { get; set; }

    public int RowsRead { get; set; }

    public int RowsAccepted { get; set; }

    public int RowsRejected { get; set; }

    public long? ImportedById { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public List<HoldingImportRejection> Rejections { get; set; } = [];
}

public enum HoldingFileFormat
{
    Csv,
    Json,
}

/// <summary>Why a row of an import was refused; the reader's text is <c>holding.reject.{Reason}</c>.</summary>
public enum HoldingRejectReason
{
    Required,
    UnknownCustomer,
    UnknownProduct,
    BalanceNotANumber,
    BalanceNegative,
    BalanceTooPrecise,
    CurrencyInvalid,
    DateInvalid,
    DateInFuture,
    Duplicate,
    OlderThanStored,
}

/// <summary>
/// A row an import refused: its number (in a CSV file the line, the header being line 1; in a JSON array the position,
/// from 1), the field at fault, the reason and the value as it was in the file (at most 200 characters).
/// </summary>
public sealed class HoldingImportRejection
{
    public long Id { get; set; }

    public long ImportId { get; set; }

    public int RowNumber { get; set; }

    public string Field { get; set; } = "";

    public HoldingRejectReason Reason { get; set; }

    public string? Value { get; set; }
}

internal sealed class HoldingConfiguration : IEntityTypeConfiguration<Holding>
{
    public void Configure(EntityTypeBuilder<Holding> builder)
    {
        builder.ToTable("holdings");
        builder.HasIndex(h => new { h.CustomerId, h.ProductId }).IsUnique();
        builder.HasIndex(h => h.ProductId);
        builder.HasIndex(h => h.ImportId);
        builder.Property(h => h.Balance).HasPrecision(18, 2);
        builder.Property(h => h.Currency).HasMaxLength(3);
        builder.HasOne<Customer>().WithMany().HasForeignKey(h => h.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(h => h.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(h => h.Import).WithMany().HasForeignKey(h => h.ImportId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class HoldingImportConfiguration : IEntityTypeConfiguration<HoldingImport>
{
    public void Configure(EntityTypeBuilder<HoldingImport> builder)
    {
        builder.ToTable("holding_imports");
        builder.HasIndex(i => i.Sha256).IsUnique();
        builder.HasIndex(i => i.ImportedAt);
        builder.Property(i => i.FileName).HasMaxLength(200);
        builder.Property(i => i.Sha256).HasMaxLength(64);
        builder.HasMany(i => i.Rejections).WithOne().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HoldingImportRejectionConfiguration : IEntityTypeConfiguration<HoldingImportRejection>
{
    public void Configure(EntityTypeBuilder<HoldingImportRejection> builder)
    {
        builder.ToTable("holding_import_rejections");
        builder.HasIndex(r => new { r.ImportId, r.RowNumber });
        builder.Property(r => r.Field).HasMaxLength(40);
        builder.Property(r => r.Value).HasMaxLength(200);
    }
}
