using System.ComponentModel.DataAnnotations;

namespace Steward.Features.Queues;

/// <summary>Bound from <c>Queues</c>: the fairness bounds of calling and the no-show rule.</summary>
public sealed class QueueOptions
{
    public const string Section = "Queues";

    /// <summary>
    /// The fairness bound: a ticket that has waited this long is called before every ticket that came after it, whatever
    /// their class (at every counter that can serve it).
    /// </summary>
    [Range(1, 600)]
    public int MaxWaitMinutes { get; set; } = 30;

    /// <summary>How many later tickets may be called before a ticket (by counters able to serve it); then it goes first.</summary>
    [Range(0, 1000)]
    public int MaxOvertakes { get; set; } = 5;

    /// <summary>Head start of a VIP ticket, in minutes of waiting.</summary>
    [Range(0, 600)]
    public int VipHeadStartMinutes { get; set; } = 10;

    /// <summary>Head start of a vulnerable customer's ticket (aged 65+, disability …), in minutes of waiting.</summary>
    [Range(0, 600)]
    public int VulnerableHeadStartMinutes { get; set; } = 15;

    /// <summary>A called ticket may be marked a no-show once it has been called this many times.</summary>
    [Range(1, 10)]
    public int NoShowAfterCalls { get; set; } = 2;

    /// <summary>Customers of this age or more are vulnerable for the queue (the customer file's 65+ rule).</summary>
    [Range(50, 120)]
    public int SeniorAge { get; set; } = 65;

    /// <summary>The waiting-time estimate averages the counter time of this many most recent visits of a service type.</summary>
    [Range(1, 500)]
    public int EstimateSampleSize { get; set; } = 20;

    /// <summary>…finished within this many days; with none the estimate is the service type's target wait.</summary>
    [Range(1, 90)]
    public int EstimateHistoryDays { get; set; } = 14;

    /// <summary>
    /// Head start of an appointment checked in within its window, in minutes of waiting (more than the other classes: an
    /// appointment is called before walk-ins who came up to this long before it — but never past a due ticket).
    /// </summary>
    [Range(0, 600)]
    public int AppointmentHeadStartMinutes { get; set; } = 20;

    /// <summary>Default length of an appointment slot in minutes (a service type may set its own).</summary>
    [Range(5, 240)]
    public int AppointmentSlotMinutes { get; set; } = 30;

    /// <summary>Default places per slot (a service type may set its own).</summary>
    [Range(0, 100)]
    public int AppointmentCapacity { get; set; } = 2;

    /// <summary>How many days ahead a slot may be booked (today counts as 0).</summary>
    [Range(0, 365)]
    public int AppointmentBookAheadDays { get; set; } = 14;

    /// <summary>The reminder goes this many minutes before the slot starts.</summary>
    [Range(0, 10080)]
    public int AppointmentReminderLeadMinutes { get; set; } = 120;

    /// <summary>Check-in opens this many minutes before the slot starts.</summary>
    [Range(0, 240)]
    public int AppointmentEarlyMinutes { get; set; } = 15;

    /// <summary>Check-in with appointment priority until this many minutes after the start; later is a walk-in ticket (late), and the job marks a no-show.</summary>
    [Range(0, 240)]
    public int AppointmentGraceMinutes { get; set; } = 10;

    /// <summary>How often the appointment job (reminders, no-shows) runs, in seconds.</summary>
    [Range(1, 3600)]
    public int AppointmentJobIntervalSeconds { get; set; } = 60;
}
