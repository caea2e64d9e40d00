using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Surveys;

/// <summary>Bound from the <c>Surveys</c> section: the contact policy across all surveys and the closed loop's deadline.</summary>
public sealed class SurveyOptions
{
    public const string Section = "Surveys";

    /// <summary>At most one invitation per customer in this many days, across every survey (0: no limit).</summary>
    [Range(0, 3650)]
    public int ContactWindowDays { get; set; } = 30;

    /// <summary>A poor score's follow-up case is due this many hours after the response, on the calendar clock (003 §2.2.3: 24 hours).</summary>
    [Range(1, 720)]
    public int FollowUpHours { get; set; } = 24;

    /// <summary>The public address the links in invitations start with (the site customers reach).</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";
}
