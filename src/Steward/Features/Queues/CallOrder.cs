namespace Steward.Features.Queues;

/// <summary>A waiting ticket as the call order sees it.</summary>
public sealed record CallCandidate(long Id, long ServiceTypeId, QueuePriority Priority, DateTimeOffset WaitingSince, int OvertakenCount);

/// <summary>
/// Which waiting ticket a counter calls next: a pure function of the waiting tickets it may serve, the instant and the options.
/// <list type="number">
/// <item>Due tickets first — those that have waited <see cref="QueueOptions.MaxWaitMinutes"/> or more, or been overtaken
/// <see cref="QueueOptions.MaxOvertakes"/> times — the longest waiting first. So once a ticket is due, no ticket that came
/// after it is called at a counter able to serve it: nobody waits beyond the bound while later customers are served, and
/// nobody is overtaken more than N times.</item>
/// <item>At a priority (爱心) counter, vulnerable customers next, longest waiting first.</item>
/// <item>Then by virtual arrival: the instant waiting began less the class's head start (VIP, vulnerable); ties by wait, then id.
/// Waiting time raises every ticket the same way, so a head start is bounded: a normal ticket is passed only by tickets
/// that arrived at most the head start after it.</item>
/// </list>
/// </summary>
public static class CallOrder
{
    public static bool IsDue(CallCandidate c, DateTimeOffset now, QueueOptions options) =>
        now - c.WaitingSince >= TimeSpan.FromMinutes(options.MaxWaitMinutes) || c.OvertakenCount >= options.MaxOvertakes;

    public static IEnumerable<CallCandidate> Rank(IEnumerable<CallCandidate> waiting, DateTimeOffset now, QueueOptions options, bool priorityCounter) =>
        waiting
            .OrderBy(c => IsDue(c, now, options) ? 0 : priorityCounter && c.Priority == QueuePriority.Vulnerable ? 1 : 2)
            .ThenBy(c => IsDue(c, now, options) || (priorityCounter && c.Priority == QueuePriority.Vulnerable) ? c.WaitingSince : c.WaitingSince - HeadStart(c.Priority, options))
            .ThenBy(c => c.WaitingSince)
            .ThenBy(c => c.Id);

    /// <summary>The tickets the call of <paramref name="called"/> overtakes: those of the candidates that were waiting before it.</summary>
    public static IEnumerable<long> Overtaken(IEnumerable<CallCandidate> waiting, CallCandidate called) =>
        waiting.Where(c => c.Id != called.Id && (c.WaitingSince < called.WaitingSince || (c.WaitingSince == called.WaitingSince && c.Id < called.Id))).Select(c => c.Id);

    public static TimeSpan HeadStart(QueuePriority priority, QueueOptions options) => priority switch
    {
        QueuePriority.Normal => TimeSpan.Zero,
        QueuePriority.Vip => TimeSpan.FromMinutes(options.VipHeadStartMinutes),
        QueuePriority.Vulnerable => TimeSpan.FromMinutes(options.VulnerableHeadStartMinutes),
        QueuePriority.Appointment => TimeSpan.FromMinutes(options.AppointmentHeadStartMinutes),
    };
}
