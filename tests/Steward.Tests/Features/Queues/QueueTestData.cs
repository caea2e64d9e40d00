using Steward.Features.Queues;

namespace Steward.Tests.Features.Queues;

/// <summary>Tickets and events written directly, for hand-built branch days (instants in UTC; Shanghai is UTC+8).</summary>
internal static class QueueTestData
{
    public static QueueTicket Ticket(long branchId, QueueServiceType type, DateOnly day, int sequence, TicketStatus status, DateTimeOffset issued,
        DateTimeOffset? calledAt = null, DateTimeOffset? endedAt = null, long? counterId = null, int? estimate = null) => new()
    {
        BranchId = branchId, ServiceTypeId = type.Id, IssuedServiceTypeId = type.Id, BusinessDate = day, Sequence = sequence,
        Number = type.Prefix + sequence.ToString("000", System.Globalization.CultureInfo.InvariantCulture), Status = status,
        IssuedAt = issued, WaitingSince = issued, CalledAt = calledAt, EndedAt = endedAt, CounterId = counterId, CallCount = calledAt is null ? 0 : 1,
        EstimatedWaitMinutes = estimate,
    };

    public static QueueTicketEvent Event(QueueTicket ticket, TicketEventKind kind, DateTimeOffset at, long? counterId = null) =>
        new() { TicketId = ticket.Id, Kind = kind, At = at, CounterId = counterId, ServiceTypeId = ticket.ServiceTypeId };

    /// <summary>Shanghai wall-clock time on <paramref name="day"/> as a UTC instant.</summary>
    public static DateTimeOffset Shanghai(DateOnly day, int hour, int minute) =>
        new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.FromHours(8)).ToUniversalTime();
}
