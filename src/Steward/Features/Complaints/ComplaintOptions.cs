using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Complaints;

/// <summary>
/// Remedy approval limits (section <c>Complaints</c>), amounts in the complaint's currency: a handler (agent, back office,
/// team lead) approves a remedy up to <see cref="HandlerLimit"/> themselves, a branch manager up to
/// <see cref="BranchManagerLimit"/>; above that only compliance. A remedy above its proposer's limit waits for approval.
/// </summary>
public sealed class ComplaintOptions : IValidatableObject
{
    public const string Section = "Complaints";

    [Range(0, 1_000_000_000)]
    public decimal HandlerLimit { get; set; } = 1_000m;

    [Range(0, 1_000_000_000)]
    public decimal BranchManagerLimit { get; set; } = 50_000m;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BranchManagerLimit < HandlerLimit)
        {
            yield return new ValidationResult("Complaints:BranchManagerLimit must not be below Complaints:HandlerLimit.", [nameof(BranchManagerLimit)]);
        }
    }

    /// <summary>The lowest level whose limit covers <paramref name="amount"/> (none: the handler's).</summary>
    public RemedyApproverLevel LevelFor(decimal? amount) =>
        amount is not { } a || a <= HandlerLimit ? RemedyApproverLevel.Handler : a <= BranchManagerLimit ? RemedyApproverLevel.BranchManager : RemedyApproverLevel.Compliance;
}
