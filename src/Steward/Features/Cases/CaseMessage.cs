using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

/// <summary>A reply to the customer or an internal note.</summary>
public sealed class CaseMessage : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public MessageVisibility Visibility { get; set; }

    public string Body { get; set; } = "";

    public long? AuthorId { get; set; }

    public string AuthorName { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CaseMessageConfiguration : IEntityTypeConfiguration<CaseMessage>
{
    public void Configure(EntityTypeBuilder<CaseMessage> builder)
    {
        builder.ToTable("case_messages");
        builder.HasIndex(m => new { m.CaseId, m.Id });
        builder.Property(m => m.Body).HasMaxLength(20000);
        builder.Property(m => m.AuthorName).HasMaxLength(100);
        builder.HasOne<Case>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
