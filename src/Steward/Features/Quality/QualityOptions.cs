using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Quality;

/// <summary>Bound from the <c>Quality</c> section.</summary>
public sealed class QualityOptions
{
    public const string Section = "Quality";

    /// <summary>Days after a review is made during which the reviewed staff member may dispute it.</summary>
    [Range(1, 90)]
    public int DisputeWindowDays { get; set; } = 7;
}
