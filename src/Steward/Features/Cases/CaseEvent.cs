using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Problems;

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

    /// <summary>Why, as the actor typed it: at most <see cref="MaxReason"/> characters (<see cref="ReasonOf"/> checks it).</summary>
    public string? Reason { get; set; }

    public const int MaxReason = 2000;

    /// <summary>A typed reason, trimmed (null when blank), or the refusal at <c>reason</c> when it is longer than the column holds.</summary>
    internal static Outcome<string?> ReasonOf(string? typed)
    {
        var reason = string.IsNullOrWhiteSpace(typed) ? null : typed.Trim();
        return reason is { Length: > MaxReason } ? Problems.Invalid("reason", "At most 2000 characters. 最多 2000 字。") : reason;
    }

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
        builder.Property(e => e.Reason).HasMaxLength(CaseEvent.MaxReason);
        builder.Property(e => e.Detail).HasMaxLength(400);
        builder.Property(e => e.DetailCode).HasMaxLength(60);
        builder.Property(e => e.DetailParameters).HasMaxLength(2000);
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
