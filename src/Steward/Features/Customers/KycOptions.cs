using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Customers;

/// <summary>
/// Bound from <c>Customers:Kyc</c>: how long a verification holds for each risk rating (the review cycle: high 1 year, medium
/// 3, low 5 by default, in whole years from the day of verification) and how often the expiry job looks.
/// </summary>
public sealed class KycOptions
{
    public const string Section = "Customers:Kyc";

    [Range(1, 20)]
    public int HighRiskReviewYears { get; set; } = 1;

    [Range(1, 20)]
    public int MediumRiskReviewYears { get; set; } = 3;

    [Range(1, 20)]
    public int LowRiskReviewYears { get; set; } = 5;

    /// <summary>Minutes between passes of the expiry job; a daily check in effect, run more often so that a restarted node gets to it.</summary>
    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 60;

    public int ReviewYears(KycRiskRating rating) => rating switch
    {
        KycRiskRating.High => HighRiskReviewYears,
        KycRiskRating.Medium => MediumRiskReviewYears,
        KycRiskRating.Low => LowRiskReviewYears,
    };
}
