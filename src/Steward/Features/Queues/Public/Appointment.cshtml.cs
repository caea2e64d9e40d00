using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Steward.Platform.Problems;

namespace Steward.Features.Queues.Public;

/// <summary>
/// An appointment's manage page, opened by the link given at booking (its token; only the hash is stored), no sign-in: the
/// reference to check in with, the branch, service, day and time, the check-in window; while it is booked, move it to another
/// slot of the same service (one step, decision 0056: a full slot is refused at the time with nothing changed) or cancel it.
/// </summary>
public sealed class AppointmentModel(Appointments appointments) : PageModel
{
    public AppointmentDto Appointment { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public bool Booked { get; private set; }

    public bool Moved { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>The open days a booking can move to, today first.</summary>
    public IReadOnlyList<LocalDate> Days { get; private set; } = [];

    /// <summary>The day whose slots are shown for a move (the booking's own day unless another was chosen).</summary>
    public string? Date { get; private set; }

    public AppointmentSlotsDto? Slots { get; private set; }

    [BindProperty]
    public string? Time { get; set; }

    public async Task<IActionResult> OnGetAsync(string token, bool booked, bool moved, string? date, CancellationToken ct)
    {
        if (!await LoadAsync(token, date, ct))
        {
            return NotFound();
        }

        (Booked, Moved) = (booked, moved);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(string token, CancellationToken ct)
    {
        var cancelled = await appointments.CancelAsync(token, ct);
        if (cancelled.Error is AppointmentNotFound)
        {
            return NotFound();
        }

        if (cancelled.Value is not null)
        {
            return Redirect(PathOf(token));
        }

        Error = cancelled.Error;
        await LoadAsync(token, null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostMoveAsync(string token, string? date, CancellationToken ct)
    {
        var moved = await appointments.RescheduleAsync(token, new AppointmentRescheduleRequest(date, Time), ct);
        if (moved.Error is AppointmentNotFound)
        {
            return NotFound();
        }

        if (moved.Value is not null)
        {
            return Redirect(PathOf(token) + "?moved=true");
        }

        // A full slot is named at the time, as when booking.
        Error = moved.Error is SlotFull full ? new QueueInvalid(new Dictionary<string, string[]> { ["time"] = [full.Detail] }) : moved.Error;
        await LoadAsync(token, date, ct);
        return Page();
    }

    private static string PathOf(string token) => "/Queues/Public/Appointment/" + Uri.EscapeDataString(token);

    private async Task<bool> LoadAsync(string token, string? date, CancellationToken ct)
    {
        var found = await appointments.GetAsync(token, ct);
        if (found.Value is not { } a)
        {
            return false;
        }

        (Appointment, Token) = (a, token);
        if (a.Status == nameof(AppointmentStatus.Booked))
        {
            Days = await appointments.BookableDaysAsync(a.BranchId, ct);
            var day = Days.Select(d => LocalDatePattern.Iso.Format(d)).Contains(date) ? date! : a.Date;
            (Date, Slots) = (day, (await appointments.SlotsAsync(a.BranchId, a.ServiceTypeId, day, ct)).Value);
        }

        return true;
    }
}
