using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;

namespace Steward.Features.Cases;

/// <summary>Two related cases; stored once with the smaller id first.</summary>
public sealed class CaseLink : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public long RelatedCaseId { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class CaseLinkConfiguration : IEntityTypeConfiguration<CaseLink>
{
    public void Configure(EntityTypeBuilder<CaseLink> builder)
    {
        builder.ToTable("case_links");
        builder.HasIndex(l => new { l.CaseId, l.RelatedCaseId }).IsUnique();
        builder.HasIndex(l => l.RelatedCaseId);
        builder.HasOne<Case>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Case>().WithMany().HasForeignKey(l => l.RelatedCaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
