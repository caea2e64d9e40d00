using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// A booking: the service type, the branch's local <see cref="Date"/> (yyyy-MM-dd) and slot <see cref="Time"/> (HH:mm, the
/// slot's start), the customer's name and phone. <see cref="Language"/> (zh-CN or en) is the reminder's; default the request's.
/// </summary>
public sealed record AppointmentRequest(long? ServiceTypeId, string? Date, string? Time, string? Name, string? Phone, string? Language = null);

/// <summary>
/// An appointment. <see cref="Token"/> (the manage link's key) is in the booking response only; <see cref="CustomerId"/>,
/// <see cref="Phone"/> and <see cref="BookedByStaff"/> are given to branch staff only.
/// </summary>
public sealed record AppointmentDto(
    long Id, string Reference, long BranchId, string BranchName, string BranchNameEn, long ServiceTypeId, string Prefix, string ServiceName, string ServiceNameEn,
    string Date, string Time, string EndTime, DateTimeOffset SlotStart, DateTimeOffset SlotEnd, string Status, string CustomerName, string? TicketNumber,
    DateTimeOffset? CheckedInAt, bool ReminderSent, string? Token = null, long? CustomerId = null, string? Phone = null, bool? BookedByStaff = null,
    string? CancelReason = null, int Version = 0);

/// <summary>Moves a booking to another slot of its service type: the new day (yyyy-MM-dd) and slot time (HH:mm).</summary>
public sealed record AppointmentRescheduleRequest(string? Date, string? Time);

/// <summary>Staff cancel a booking for the customer: <see cref="Reason"/> is required and sent to them.</summary>
public sealed record AppointmentCancelRequest(string? Reason);

/// <summary>One slot of a day: its local start and end, places, places left; <see cref="Bookable"/> false once it has begun.</summary>
public sealed record AppointmentSlotDto(string Time, string EndTime, DateTimeOffset Start, DateTimeOffset End, int Capacity, int Free, bool Bookable);

/// <summary>The slots of a service type on a branch day (none on a holiday or rest day: <see cref="Open"/> false).</summary>
public sealed record AppointmentSlotsDto(long BranchId, long ServiceTypeId, string Date, bool Open, IReadOnlyList<AppointmentSlotDto> Slots);

public sealed record AppointmentSlotsQuery
{
    public long Id { get; init; }

    public long? ServiceTypeId { get; init; }

    /// <summary>The branch's local date, yyyy-MM-dd (default today).</summary>
    public string? Date { get; init; }
}

public sealed record AppointmentListQuery
{
    public long Id { get; init; }

    /// <summary>The branch's local date, yyyy-MM-dd (default today).</summary>
    public string? Date { get; init; }
}

/// <summary>Check-in at the kiosk: the appointment's reference, or the phone number it was booked with.</summary>
public sealed record CheckInRequest(string? Reference, string? Phone);

/// <summary>A check-in's result: the appointment (CheckedIn, or Late for a walk-in ticket) and the ticket it became.</summary>
public sealed record CheckInDto(AppointmentDto Appointment, TicketDto Ticket);

/// <summary>Today's appointments of one service type by where they are (the manager view and the stats API).</summary>
public sealed record AppointmentCountsDto(long ServiceTypeId, string Prefix, string Name, string NameEn, int Total, int Booked, int CheckedIn, int Late, int NoShow, int Cancelled);

public sealed record SlotFull(string Time) : ConflictError(
    "slot-full", "The slot is full 该时段已约满", $"Every place at {Time} is booked; choose another time. {Time} 的名额已约满，请选择其他时段。");

public sealed record AppointmentNotFound() : NotFoundError(
    "not-found", "No such appointment 预约不存在", "This appointment does not exist or the link is not valid. 预约不存在或链接无效。");

public sealed record AppointmentWrongState(string Reference, AppointmentStatus State) : ConflictError(
    "appointment-wrong-state", "The appointment cannot do that now 预约当前状态不允许此操作", $"Appointment {Reference} is {State}. 预约 {Reference} 当前状态为 {State}。");

public sealed record CheckInTooEarly(string Reference, string From) : ConflictError(
    "check-in-too-early", "Too early to check in 尚未到签到时间", $"Appointment {Reference} can be checked in from {From}. 预约 {Reference} 可于 {From} 起签到。");
