namespace Steward.Features.Queues;

/// <summary>
/// Creates or changes a service type; <see cref="Name"/> Chinese, <see cref="NameEn"/> English, <see cref="Prefix"/> one letter A–Z.
/// Its appointments: <see cref="AppointmentSlotMinutes"/> the length of a slot (5–240 minutes) and <see cref="AppointmentCapacity"/>
/// the places in each (0–100; 0 takes no appointments); either left out (null) follows the institution's setting
/// (<c>Queues:AppointmentSlotMinutes</c>, <c>Queues:AppointmentCapacity</c>). A change is the whole service type: what is left
/// out is the setting again.
/// </summary>
public sealed record ServiceTypeInput(
    string? Name, string? NameEn, string? Prefix, int? TargetWaitMinutes, long? RequiredQualificationTypeId, int? SortOrder, bool? IsActive,
    int? AppointmentSlotMinutes = null, int? AppointmentCapacity = null);

/// <summary>A service type; <see cref="AppointmentSlotMinutes"/> and <see cref="AppointmentCapacity"/> are its own (null: the institution's setting).</summary>
public sealed record ServiceTypeDto(
    long Id, long BranchId, string Name, string NameEn, string Prefix, int TargetWaitMinutes, long? RequiredQualificationTypeId, int SortOrder, bool IsActive, int Version,
    int? AppointmentSlotMinutes = null, int? AppointmentCapacity = null)
{
    public string NameFor(string? language) => QueueText.For(Name, NameEn, language);
}

/// <summary>Creates or changes a counter: its number in the branch and the service types it serves.</summary>
public sealed record CounterInput(int? Number, string? Name, string? NameEn, IReadOnlyList<long>? ServiceTypeIds, bool? IsPriorityCounter, bool? IsWealthZone, bool? IsActive);

public sealed record CounterDto(
    long Id, long BranchId, int Number, string Name, string NameEn, IReadOnlyList<long> ServiceTypeIds, bool IsPriorityCounter, bool IsWealthZone, bool IsActive,
    long? StaffId, string? StaffName, int Version)
{
    public string NameFor(string? language) => QueueText.For(Name, NameEn, language);
}

/// <summary>A ticket request from the kiosk or a program: the service type and, optionally, the customer's phone number.</summary>
public sealed record TicketRequest(long? ServiceTypeId, string? Phone);

/// <summary>
/// A ticket. <see cref="Priority"/> and <see cref="CustomerId"/> are given to staff only (the kiosk shows neither: a phone
/// number typed at a public kiosk must not tell whether it belongs to a customer or of which class).
/// <see cref="EstimatedWaitMinutes"/> is the estimate made at issue; <see cref="PublicToken"/>, the key of the ticket's
/// public page (<c>/Queues/Public/Ticket/{token}</c>, the QR code), is in the issue response only.
/// </summary>
public sealed record TicketDto(
    long Id, string Number, long ServiceTypeId, string ServiceName, string ServiceNameEn, string Status, DateTimeOffset IssuedAt, DateTimeOffset WaitingSince,
    int WaitingAhead, string? Priority, long? CustomerId, int? CounterNumber, int CallCount, string? Outcome, IReadOnlyList<TicketEventDto>? Events = null,
    int? EstimatedWaitMinutes = null, string? PublicToken = null);

/// <summary>
/// The public virtual ticket (no sign-in, opened from the QR code): the number, where it is, the estimate now. Nothing
/// personal: no customer, no priority class. <see cref="Position"/> (1 = next) and the estimate only while it waits.
/// </summary>
public sealed record VirtualTicketDto(
    long BranchId, string BranchName, string BranchNameEn, string Number, string ServiceName, string ServiceNameEn, string Status, int? Position,
    int? EstimatedWaitMinutes, int? CounterNumber, DateTimeOffset IssuedAt);

public sealed record TicketEventDto(string Kind, DateTimeOffset At, long? CounterId, long? StaffId, long ServiceTypeId, string? Outcome);

public sealed record CallRequest(long? CounterId, long? ServiceTypeId);

public sealed record TransferRequest(long? ServiceTypeId);

/// <summary>Calling a chosen ticket before its turn: the reason is required (at most 200 characters) and audited.</summary>
public sealed record OutOfOrderRequest(string? Reason);

/// <summary>A ticket waiting for one of the counter's services (the counter page's out-of-order list), oldest first.</summary>
public sealed record WaitingTicketDto(long Id, string Number, long ServiceTypeId, DateTimeOffset WaitingSince, string Priority);

public sealed record FinishRequest(TicketOutcome? Outcome);

/// <summary>The counter the caller is at, what it serves now (qualification checked) and its current ticket.</summary>
public sealed record DeskDto(CounterDto Counter, IReadOnlyList<ServiceTypeDto> Serves, TicketDto? Current, IReadOnlyList<WaitingTicketDto>? Waiting = null);

/// <summary>What the branch screen shows: the latest calls (first = current), and the waiting per service type.</summary>
public sealed record BoardDto(long BranchId, string BranchName, string BranchNameEn, long Sequence, IReadOnlyList<BoardCallDto> Calls, IReadOnlyList<BoardWaitingDto> Waiting);

public sealed record BoardCallDto(string Number, int CounterNumber, string CounterName, string CounterNameEn, DateTimeOffset At, int CallCount);

/// <summary>Waiting per service type; <see cref="EstimatedWaitMinutes"/> is the estimate for a ticket taken now.</summary>
public sealed record BoardWaitingDto(long ServiceTypeId, string Prefix, string Name, string NameEn, int Waiting, int EstimatedWaitMinutes);

internal static class QueueText
{
    /// <summary>The English name for an English reader, else the Chinese; each falls back to the other when empty.</summary>
    public static string For(string name, string nameEn, string? language) =>
        language?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true
            ? (string.IsNullOrWhiteSpace(nameEn) ? name : nameEn)
            : (string.IsNullOrWhiteSpace(name) ? nameEn : name);

    /// <summary>An instant as the branch's wall clock shows it ("HH:mm", or with the date).</summary>
    public static string Local(DateTimeOffset at, string? zoneId, string format = "HH:mm") =>
        NodaTime.Instant.FromDateTimeOffset(at)
            .InZone((zoneId is null ? null : NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? NodaTime.DateTimeZoneProviders.Tzdb["Asia/Shanghai"])
            .ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
