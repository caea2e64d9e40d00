using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Customers.Documents;

/// <summary>Which page of a document a scan shows.</summary>
public enum DocumentScanSide
{
    Front,
    Back,
    Other,
}

/// <summary>
/// A customer's identity document beyond the one on the file (a passport beside a resident identity card, a permit, the
/// legal representative's card of a corporate customer). The file's own document (<see cref="Customer.IdType"/> …) stays
/// the one KYC and suitability read; these are kept, searchable by exact number and shown with their expiry. The number is
/// personal data: encrypted, with a blind index for the search.
/// </summary>
public sealed class CustomerIdentityDocument : IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public IdentityDocumentType Type { get; set; }

    [AuditRedacted]
    public string NumberCipher { get; set; } = "";

    public string NumberIndex { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string IssuingCountry { get; set; } = "";

    /// <summary>The last valid day; null for a document without an end date (长期).</summary>
    public DateOnly? ExpiresOn { get; set; }

    public string? Note { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A scan or photo of an identity document — of the file's own document (<see cref="DocumentId"/> null) or of a
/// <see cref="CustomerIdentityDocument"/>. The bytes are sealed (<see cref="Platform.Security.PersonalFileSeal"/>) in an
/// <see cref="AttachmentBlob"/>; <see cref="KeyCipher"/> is the file's own key, wrapped by the personal-data key ring.
/// Opening one is a reveal of personal data: it needs PersonalDataReveal and a stated purpose, and is recorded.
/// </summary>
public sealed class CustomerDocumentScan : IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long? DocumentId { get; set; }

    public DocumentScanSide Side { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    /// <summary>SHA-256 of the file as uploaded (before sealing), to show the file opened is the file received.</summary>
    public string Sha256 { get; set; } = "";

    [AuditRedacted]
    public string KeyCipher { get; set; } = "";

    public long BlobId { get; set; }

    public long? UploadedById { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CustomerIdentityDocumentConfiguration : IEntityTypeConfiguration<CustomerIdentityDocument>
{
    public void Configure(EntityTypeBuilder<CustomerIdentityDocument> builder)
    {
        builder.ToTable("customer_identity_documents");
        builder.HasIndex(d => d.CustomerId);
        builder.HasIndex(d => d.NumberIndex);
        builder.Property(d => d.NumberCipher).HasMaxLength(200);
        builder.Property(d => d.NumberIndex).HasMaxLength(64);
        builder.Property(d => d.IssuingCountry).HasMaxLength(2);
        builder.Property(d => d.Note).HasMaxLength(200);
        builder.HasOne<Customer>().WithMany().HasForeignKey(d => d.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CustomerDocumentScanConfiguration : IEntityTypeConfiguration<CustomerDocumentScan>
{
    public void Configure(EntityTypeBuilder<CustomerDocumentScan> builder)
    {
        builder.ToTable("customer_document_scans");
        builder.HasIndex(s => s.CustomerId);
        builder.HasIndex(s => s.DocumentId);
        builder.Property(s => s.FileName).HasMaxLength(200);
        builder.Property(s => s.ContentType).HasMaxLength(100);
        builder.Property(s => s.Sha256).HasMaxLength(64);
        builder.Property(s => s.KeyCipher).HasMaxLength(200);
        builder.Property(s => s.UploadedByName).HasMaxLength(100);
        builder.HasOne<Customer>().WithMany().HasForeignKey(s => s.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<CustomerIdentityDocument>().WithMany().HasForeignKey(s => s.DocumentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AttachmentBlob>().WithMany().HasForeignKey(s => s.BlobId).OnDelete(DeleteBehavior.Restrict);
    }
}
