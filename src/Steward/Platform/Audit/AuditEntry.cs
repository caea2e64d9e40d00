using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Steward.Platform.Audit;

public enum AuditAction
{
    Created,
    Updated,
    Deleted,
}

/// <summary>
/// One change of business data: who, when, what, and the values before and after. Entries are
/// append-only and chained: <see cref="Hash"/> is an HMAC, under the key named by <see cref="KeyId"/>, of the
/// entry's content and the previous entry's hash, so changing or removing any entry breaks the chain at that point
/// and nobody without the key can recompute it (docs/decisions/0005-audit-hash-chain.md).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>1, 2, 3, … without gaps, in the order entries joined the chain.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? ActorId { get; set; }

    public string ActorName { get; set; } = "";

    public AuditAction Action { get; set; }

    public string EntityType { get; set; } = "";

    public string EntityId { get; set; } = "";

    /// <summary>Branch the changed row belongs to, when it belongs to one (for scoped browsing).</summary>
    public long? BranchId { get; set; }

    /// <summary>JSON: <c>{"before": {...}, "after": {...}}</c> with only the changed fields on update.</summary>
    public string Changes { get; set; } = "{}";

    public string PreviousHash { get; set; } = "";

    public string Hash { get; set; } = "";

    /// <summary>The audit key that signed <see cref="Hash"/>; <c>legacy-sha256</c> for entries from before keys (plain SHA-256).</summary>
    public string KeyId { get; set; } = "";
}

/// <summary>
/// The single row that holds the chain's last sequence and hash. Appending locks it, which
/// serialises appends across nodes, and verify compares it with the last entry so that removing
/// entries from the end of the chain is detected too.
/// </summary>
public sealed class AuditChainHead
{
    public int Id { get; set; }

    public long LastSequence { get; set; }

    public string LastHash { get; set; } = "";
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasIndex(e => e.Sequence).IsUnique();
        builder.HasIndex(e => new { e.EntityType, e.EntityId });
        builder.HasIndex(e => e.OccurredAt);
        builder.HasIndex(e => new { e.ActorId, e.Sequence });
        builder.Property(e => e.Changes).HasMaxLength(1_000_000);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.Property(e => e.KeyId).HasMaxLength(40);
        builder.Property(e => e.EntityType).HasMaxLength(100);
        builder.Property(e => e.EntityId).HasMaxLength(100);
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.ToTable("audit_chain_head");
        builder.Property(h => h.Id).ValueGeneratedNever();
        builder.Property(h => h.LastHash).HasMaxLength(64);
    }
}
