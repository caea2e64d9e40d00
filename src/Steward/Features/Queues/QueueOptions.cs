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
}
