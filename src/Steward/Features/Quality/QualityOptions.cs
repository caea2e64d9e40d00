using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Quality;

/// <summary>Bound from the <c>Quality</c> section.</summary>
public sealed class QualityOptions
{
    public const string Section = "Quality";

    /// <summary>Days after a review is made during which the reviewed staff member may dispute it.</summary>
    [Range(1, 90)]
    public int DisputeWindowDays { get; set; } = 7;

    /// <summary>A review below this score (0–100) opens a rectification, unless the case was sampled by a plan with its own threshold.</summary>
    [Range(0, 100)]
    public decimal PassThreshold { get; set; } = 80;

    /// <summary>Days the staff member has to rectify (the due date of a rectification).</summary>
    [Range(1, 90)]
    public int RectificationDays { get; set; } = 7;

    /// <summary>The "fast resolution" rule: handled in less than this percentage of the pool's median handling time.</summary>
    [Range(1, 100)]
    public int FastResolutionPercent { get; set; } = 25;

    /// <summary>How often the sampling job looks for ended periods and rectifications waiting for a re-check case.</summary>
    [Range(1, 1440)]
    public int SamplingIntervalMinutes { get; set; } = 60;

    /// <summary>Calibration drift: a closed batch whose overall kappa, or any item's, is below this (0–1) alerts the inspectors and compliance.</summary>
    [Range(typeof(decimal), "0", "1")]
    public decimal CalibrationKappaThreshold { get; set; } = 0.6m;
}
