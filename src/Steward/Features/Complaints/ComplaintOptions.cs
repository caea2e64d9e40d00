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

    /// <summary>
    /// Recurrence (decision 0037): an upheld or partly upheld complaint recurs when, counting itself, at least
    /// <see cref="RecurrenceCount"/> upheld complaints with the same JR/T 0169 cause code on the same product or in the same
    /// branch were received within this many days of each other (before or after it).
    /// </summary>
    [Range(1, 3650)]
    public int RecurrenceWindowDays { get; set; } = 90;

    /// <summary>How many upheld complaints of one cause (this one included) make a recurrence: 2, the second time it happens.</summary>
    [Range(2, 100)]
    public int RecurrenceCount { get; set; } = 2;

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
