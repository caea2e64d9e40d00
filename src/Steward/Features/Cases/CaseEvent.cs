using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Steward.Features.Cases;

/// <summary>One line of a case's timeline: who did what, when and why. Append-only.</summary>
public sealed class CaseEvent
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? ActorId { get; set; }

    public string ActorName { get; set; } = "";

    public CaseEventType Type { get; set; }

    public CaseAction? Action { get; set; }

    public CaseStatus? FromStatus { get; set; }

    public CaseStatus? ToStatus { get; set; }

    public string? Reason { get; set; }

    /// <summary>
    /// What changed, as free text. Events written before structured details (migration 0006) only
    /// have this; newer ones fill it too (English, for logs and API clients that ignore the code).
    /// </summary>
    public string? Detail { get; set; }

    /// <summary>What changed, as a code that <see cref="CaseEventText"/> translates, e.g. <c>priority</c>.</summary>
    public string? DetailCode { get; set; }

    /// <summary>The code's parameters: a JSON object of strings, e.g. <c>{"from":"Normal","to":"Urgent"}</c>.</summary>
    public string? DetailParameters { get; set; }

    /// <summary>The reply or note a <see cref="CaseEventType.ReplyAdded"/> or <see cref="CaseEventType.NoteAdded"/> event records.</summary>
    public long? MessageId { get; set; }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> builder)
    {
        builder.ToTable("case_events");
        builder.HasIndex(e => new { e.CaseId, e.Id });
        builder.Property(e => e.ActorName).HasMaxLength(100);
        builder.Property(e => e.Reason).HasMaxLength(2000);
        builder.Property(e => e.Detail).HasMaxLength(400);
        builder.Property(e => e.DetailCode).HasMaxLength(60);
        builder.Property(e => e.DetailParameters).HasMaxLength(2000);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
