using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Problems;

namespace Steward.Features.Queues.Public;

/// <summary>
/// An appointment's manage page, opened by the link given at booking (its token; only the hash is stored), no sign-in: the
/// reference to check in with, the branch, service, day and time, the check-in window; cancel while it is booked.
/// </summary>
public sealed class AppointmentModel(Appointments appointments) : PageModel
{
    public AppointmentDto Appointment { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public bool Booked { get; private set; }

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, bool booked, CancellationToken ct)
    {
        var found = await appointments.GetAsync(token, ct);
        if (found.Value is null)
        {
            return NotFound();
        }

        (Appointment, Token, Booked) = (found.Value, token, booked);
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
            return Redirect("/Queues/Public/Appointment/" + Uri.EscapeDataString(token));
        }

        Error = cancelled.Error;
        Token = token;
        Appointment = (await appointments.GetAsync(token, ct)).Value!;
        return Page();
    }
}
