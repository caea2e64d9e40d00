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

    /// <summary>The improvement plan of a follow-up is due this many hours after the response (003 §2.2.3: 72 hours).</summary>
    [Range(1, 2160)]
    public int PlanHours { get; set; } = 72;

    /// <summary>No invitation or reminder is delivered from this local time of the customer's branch …</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$")]
    public string QuietFrom { get; set; } = "21:00";

    /// <summary>… until this local time (the next morning when it is earlier than <see cref="QuietFrom"/>); equal to it: no quiet hours.</summary>
    [Required, RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$")]
    public string QuietUntil { get; set; } = "08:00";

    /// <summary>The one reminder goes this many days after the invitation when it is still unanswered (0: none); never after the link closes.</summary>
    [Range(0, 60)]
    public int ReminderAfterDays { get; set; } = 3;

    /// <summary>How often the reminder job releases the reminders that are due.</summary>
    [Range(1, 3600)]
    public int ReminderIntervalSeconds { get; set; } = 60;

    /// <summary>The counter tablet shows the survey of the visit the counter finished within this many minutes.</summary>
    [Range(1, 240)]
    public int TabletMinutes { get; set; } = 15;

    /// <summary>The public address the links in invitations start with (the site customers reach).</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";
}
