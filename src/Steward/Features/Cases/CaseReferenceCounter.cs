using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Steward.Features.Cases;

/// <summary>The last reference number handed out per day (the day as <c>yyyyMMdd</c>).</summary>
public sealed class CaseReferenceCounter
{
    public string Day { get; set; } = "";

    public long LastValue { get; set; }
}

internal sealed class CaseReferenceCounterConfiguration : IEntityTypeConfiguration<CaseReferenceCounter>
{
    public void Configure(EntityTypeBuilder<CaseReferenceCounter> builder)
    {
        builder.ToTable("case_reference_counters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8);
    }
}
