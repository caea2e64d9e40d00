using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Customers;
using Steward.Features.Products;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Features.Suitability;

/// <summary>How the customer answered a risk-tolerance questionnaire: at the counter on a tablet handed to them, or online through a one-time link.</summary>
public enum AssessmentChannel
{
    Counter,
    Online,
}

/// <summary>
/// An assessment whose result differs from the customer's level waits for the customer's confirmation
/// (《金融机构产品适当性管理办法》: a changed result is confirmed by the customer); a later assessment supersedes one still waiting.
/// </summary>
public enum AssessmentStatus
{
    AwaitingConfirmation,
    Confirmed,
    Declined,
    Superseded,
}

/// <summary>Recommending a product (staff propose it) or selling it (the customer buys).</summary>
public enum SuitabilityAction
{
    Recommend,
    Sell,
}

/// <summary>What one suitability check decided.</summary>
public enum SuitabilityOutcome
{
    /// <summary>Every rule is met.</summary>
    Pass,

    /// <summary>At least one rule refuses; every reason is recorded.</summary>
    Block,

    /// <summary>Only the level is above the customer's and the customer insists: the sale may go on after a special written warning the customer acknowledges (Art. 19).</summary>
    ProceedAfterWarning,
}

/// <summary>Where a decision stands: blocked; waiting for the customer's acknowledgment of the disclosure (and the warning); waiting for a second reviewer; cleared (after the cooling-off period, if any); refused by the reviewer.</summary>
public enum DecisionStatus
{
    Blocked,
    AwaitingAcknowledgment,
    AwaitingReview,
    Cleared,
    RefusedOnReview,
}

/// <summary>
/// A version of the risk-tolerance questionnaire. Versions are never changed: an administrator publishes a new one, and
/// every assessment keeps the version it was answered on (<see cref="RiskAssessment.QuestionnaireVersion"/>).
/// </summary>
public sealed class RiskQuestionnaire : IAuditable
{
    public long Id { get; set; }

    public int Number { get; set; }

    /// <summary>The questions, options, scores and score bands as JSON (<see cref="QuestionnaireContent"/>).</summary>
    public string ContentJson { get; set; } = "";

    public long? PublishedById { get; set; }

    public DateTimeOffset PublishedAt { get; set; }
}

/// <summary>One answered questionnaire: the answers and score kept with the questionnaire version, the level the bands gave, and how it was taken.</summary>
public sealed class RiskAssessment : IAuditable, IVersioned, IBranchOwned
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long BranchId { get; set; }

    public int QuestionnaireNumber { get; set; }

    /// <summary>Question id → chosen option id, as JSON.</summary>
    public string AnswersJson { get; set; } = "";

    public int Score { get; set; }

    /// <summary>The level the score bands give.</summary>
    public RiskTolerance ScoreLevel { get; set; }

    /// <summary>The level that applies: <see cref="ScoreLevel"/>, or C1 for a customer without full civil capacity.</summary>
    public RiskTolerance Level { get; set; }

    /// <summary>The customer's level when the assessment was taken.</summary>
    public RiskTolerance PreviousLevel { get; set; }

    public AssessmentChannel Channel { get; set; }

    /// <summary>The staff member at the counter, or who sent the link.</summary>
    public long? AssistedById { get; set; }

    /// <summary>Counter: the staff member attested that the customer was present and answered themselves.</summary>
    public bool CustomerPresent { get; set; }

    public AssessmentStatus Status { get; set; }

    public DateTimeOffset TakenAt { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The end of validity: taken plus the valid months of the rule set then in force.</summary>
    public DateTimeOffset ValidUntil { get; set; }

    public int Version { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

/// <summary>A one-time link that lets a customer answer the questionnaire on the public site; only the SHA-256 of its token is stored.</summary>
public sealed class AssessmentLink : IAuditable
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public string TokenHash { get; set; } = "";

    public long CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public long? AssessmentId { get; set; }
}

/// <summary>A version of the suitability rules (<see cref="SuitabilityRuleContent"/>); never changed, a new version is added. Decisions name the version they were made under.</summary>
public sealed class SuitabilityRuleSet : IAuditable
{
    public long Id { get; set; }

    public int Number { get; set; }

    public string ContentJson { get; set; } = "";

    public string? Note { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One suitability check and what followed: the inputs as they were (<see cref="SuitabilityInputs"/>, JSON), the rule set
/// version, the outcome with every reason, the warning shown, the customer's acknowledgment, the second review and the
/// recording reference — enough to replay it under other rules.
/// </summary>
public sealed class SuitabilityDecision : IAuditable, IVersioned, IBranchOwned, ITimestamped
{
    public long Id { get; set; }

    public long CustomerId { get; set; }

    public long BranchId { get; set; }

    public long ProductId { get; set; }

    public long StaffId { get; set; }

    public SuitabilityAction Action { get; set; }

    public decimal? Amount { get; set; }

    public int RuleSetNumber { get; set; }

    public string InputsJson { get; set; } = "";

    public SuitabilityOutcome Outcome { get; set; }

    /// <summary>The reasons as JSON (<see cref="SuitabilityFinding"/>[]).</summary>
    public string FindingsJson { get; set; } = "";

    public DecisionStatus Status { get; set; }

    public bool NeedsReview { get; set; }

    public int CoolingOffHours { get; set; }

    public string? RecordingReference { get; set; }

    /// <summary>The special written warning as shown to the customer, in the language it was shown in.</summary>
    public string? WarningText { get; set; }

    /// <summary>The risk disclosure the customer acknowledged: the product's document title (or "terms on file").</summary>
    public string? DisclosureTitle { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public long? AcknowledgmentRecordedById { get; set; }

    public long? ReviewerId { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? ReviewNote { get; set; }

    /// <summary>The sale may go on from this instant: acknowledgment plus the cooling-off period.</summary>
    public DateTimeOffset? ProceedFrom { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    long? IBranchOwned.OwningBranchId => BranchId;
}

internal sealed class RiskQuestionnaireConfiguration : IEntityTypeConfiguration<RiskQuestionnaire>
{
    public void Configure(EntityTypeBuilder<RiskQuestionnaire> builder)
    {
        builder.ToTable("risk_questionnaires");
        builder.HasIndex(q => q.Number).IsUnique();
        builder.Property(q => q.ContentJson).HasMaxLength(200000);
    }
}

internal sealed class RiskAssessmentConfiguration : IEntityTypeConfiguration<RiskAssessment>
{
    public void Configure(EntityTypeBuilder<RiskAssessment> builder)
    {
        builder.ToTable("risk_assessments");
        builder.HasIndex(a => new { a.CustomerId, a.TakenAt });
        builder.Property(a => a.AnswersJson).HasMaxLength(20000);
        builder.HasOne<Customer>().WithMany().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssessmentLinkConfiguration : IEntityTypeConfiguration<AssessmentLink>
{
    public void Configure(EntityTypeBuilder<AssessmentLink> builder)
    {
        builder.ToTable("risk_assessment_links");
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        // Using the link is a compare-and-set (… WHERE assessment_id IS NULL): of two submissions at once, one wins.
        builder.Property(l => l.AssessmentId).IsConcurrencyToken();
        builder.HasOne<Customer>().WithMany().HasForeignKey(l => l.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SuitabilityRuleSetConfiguration : IEntityTypeConfiguration<SuitabilityRuleSet>
{
    public void Configure(EntityTypeBuilder<SuitabilityRuleSet> builder)
    {
        builder.ToTable("suitability_rule_sets");
        builder.HasIndex(r => r.Number).IsUnique();
        builder.Property(r => r.ContentJson).HasMaxLength(20000);
    }
}

internal sealed class SuitabilityDecisionConfiguration : IEntityTypeConfiguration<SuitabilityDecision>
{
    public void Configure(EntityTypeBuilder<SuitabilityDecision> builder)
    {
        builder.ToTable("suitability_decisions");
        builder.HasIndex(d => new { d.CustomerId, d.CreatedAt });
        builder.HasIndex(d => new { d.Status, d.BranchId });
        builder.Property(d => d.InputsJson).HasMaxLength(20000);
        builder.Property(d => d.FindingsJson).HasMaxLength(20000);
        builder.Property(d => d.WarningText).HasMaxLength(4000);
        builder.Property(d => d.RecordingReference).HasMaxLength(100);
        builder.Property(d => d.DisclosureTitle).HasMaxLength(200);
        builder.Property(d => d.Amount).HasPrecision(18, 2);
        builder.HasOne<Customer>().WithMany().HasForeignKey(d => d.CustomerId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Product>().WithMany().HasForeignKey(d => d.ProductId).OnDelete(DeleteBehavior.Restrict);
    }
}
