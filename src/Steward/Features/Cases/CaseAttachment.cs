using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

/// <summary>A file attached to a case; the bytes live in <see cref="AttachmentBlob"/>.</summary>
public sealed class CaseAttachment : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>Sanitised: no folders, control characters or reserved device names.</summary>
    public string FileName { get; set; } = "";

    /// <summary>Detected from the bytes, never taken from the client.</summary>
    public string ContentType { get; set; } = "";

    public long Size { get; set; }

    public string Sha256 { get; set; } = "";

    public long BlobId { get; set; }

    public long? UploadedById { get; set; }

    public string UploadedByName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CaseAttachmentConfiguration : IEntityTypeConfiguration<CaseAttachment>
{
    public void Configure(EntityTypeBuilder<CaseAttachment> builder)
    {
        builder.ToTable("case_attachments");
        builder.HasIndex(a => a.CaseId);
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.ContentType).HasMaxLength(100);
        builder.Property(a => a.Sha256).HasMaxLength(64);
        builder.Property(a => a.UploadedByName).HasMaxLength(100);
        builder.HasOne<Case>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<AttachmentBlob>().WithMany().HasForeignKey(a => a.BlobId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>The bytes of an attachment, in the database so that every app node sees them.</summary>
public sealed class AttachmentBlob
{
    public long Id { get; set; }

    public byte[] Data { get; set; } = [];
}

internal sealed class AttachmentBlobConfiguration : IEntityTypeConfiguration<AttachmentBlob>
{
    public void Configure(EntityTypeBuilder<AttachmentBlob> builder) => builder.ToTable("attachment_blobs");
}
