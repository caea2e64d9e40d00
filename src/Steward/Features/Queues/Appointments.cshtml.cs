using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// Today's appointments of one of the caller's branches (counter staff: least privilege like the counter page), by slot, with
/// a check-in button for those booked; the ticket number once checked in. Booking for a customer opens the booking page.
/// </summary>
[RequirePermission(Permission.QueueServe)]
public sealed class QueuesAppointmentsModel(Appointments appointments, QueueAdmin admin) : PageModel
{
    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public long? BranchId { get; private set; }

    public Branch? Branch => Branches.FirstOrDefault(b => b.Id == BranchId);

    public IReadOnlyList<AppointmentDto> List { get; private set; } = [];

    public Error? Error { get; private set; }

    /// <summary>The ticket a check-in just issued, and whether it was late.</summary>
    public string? Issued { get; private set; }

    public bool Late { get; private set; }

    public async Task OnGetAsync(long? branchId, string? issued, bool late, string? cancelled, string? moved, string? to, CancellationToken ct)
    {
        (Issued, Late, Cancelled, Moved, MovedTo) = (issued, late, cancelled, moved, to);
        await LoadAsync(branchId, ct);
    }

    public async Task<IActionResult> OnPostCheckInAsync(long branchId, long appointmentId, CancellationToken ct)
    {
        var done = await appointments.CheckInAsync(branchId, appointmentId, ct);
        if (done.Value is { } d)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"/Queues/Appointments?branchId={branchId}&issued={Uri.EscapeDataString(d.Ticket.Number)}&late={(d.Appointment.Status == nameof(AppointmentStatus.Late) ? "true" : "false")}"));
        }

        Error = done.Error;
        await LoadAsync(branchId, ct);
        return Page();
    }

    /// <summary>The booking whose cancel form is open with a refused reason (shown again with the message at the field).</summary>
    public long? CancelFor { get; private set; }

    public async Task<IActionResult> OnPostCancelAsync(long branchId, long appointmentId, string? reason, int? version, CancellationToken ct)
    {
        var done = await appointments.StaffCancelAsync(branchId, appointmentId, reason, version, ct);
        if (done.Value is { } d)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"/Queues/Appointments?branchId={branchId}&cancelled={Uri.EscapeDataString(d.Reference)}"));
        }

        (Error, CancelFor) = (done.Error, appointmentId);
        await LoadAsync(branchId, ct);
        return Page();
    }

    /// <summary>The booking whose move form is open with a refused day or time (shown again with the message at the field).</summary>
    public long? MoveFor { get; private set; }

    /// <summary>Moves a booking to another slot for the customer (decision 0056); the customer is texted.</summary>
    public async Task<IActionResult> OnPostMoveAsync(long branchId, long appointmentId, string? date, string? time, int? version, CancellationToken ct)
    {
        var done = await appointments.StaffRescheduleAsync(branchId, appointmentId, new AppointmentRescheduleRequest(date, time), version, ct);
        if (done.Value is { } d)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"/Queues/Appointments?branchId={branchId}&moved={Uri.EscapeDataString(d.Reference)}&to={Uri.EscapeDataString(d.Date + " " + d.Time)}"));
        }

        (Error, MoveFor) = (done.Error, appointmentId);
        await LoadAsync(branchId, ct);
        return Page();
    }

    /// <summary>The reference of a booking just moved, and its new day and time.</summary>
    public string? Moved { get; private set; }

    public string? MovedTo { get; private set; }

    /// <summary>The reference of a booking just cancelled.</summary>
    public string? Cancelled { get; private set; }

    private async Task LoadAsync(long? branchId, CancellationToken ct)
    {
        (Branches, BranchId) = await admin.BranchesAsync(branchId, ct);
        if (BranchId is { } id)
        {
            var list = await appointments.ListAsync(id, null, ct);
            (List, Error) = (list.Value ?? [], Error ?? list.Error);
        }
    }
}
