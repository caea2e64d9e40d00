using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Queues.Public;

/// <summary>
/// The branch kiosk (取号机), no sign-in: one large button per service type, an optional phone number for priority service.
/// The printed/shown ticket says the number, the service and how many wait before it — never whether the phone matched.
/// </summary>
public sealed class KioskModel(StewardDbContext db, TicketIssuer issuer, VirtualTicketReader tickets, Appointments appointments) : PageModel
{
    public Branch? Branch { get; private set; }

    public IReadOnlyList<QueueServiceType> Types { get; private set; } = [];

    /// <summary>The ticket just taken, as its public page shows it now (the post redirects here with its token).</summary>
    public VirtualTicketDto? Ticket { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>The absolute address of the issued ticket's public page, and its QR code (an SVG data URI) for the print.</summary>
    public string? VirtualTicketUrl { get; private set; }

    public string? QrCode { get; private set; }

    [BindProperty]
    public string? Phone { get; set; }

    /// <summary>The check-in form: an appointment reference or the phone booked with.</summary>
    [BindProperty]
    public string? Reference { get; set; }

    /// <summary>Shown with the ticket after a check-in: "ok" (appointment priority) or "late" (walk-in order).</summary>
    public string? CheckedIn { get; private set; }

    /// <summary>The check-in form's refusal (shown at its field), apart from the ticket form's.</summary>
    public Error? CheckInError { get; private set; }

    public async Task<IActionResult> OnGetAsync(long branchId, string? ticket, string? checkedIn, CancellationToken ct)
    {
        if (!await LoadAsync(branchId, ct))
        {
            return NotFound();
        }

        CheckedIn = checkedIn is "ok" or "late" ? checkedIn : null;

        if (ticket is not null && (await tickets.GetAsync(ticket, ct)).Value is { } shown && shown.BranchId == branchId)
        {
            Ticket = shown;
            VirtualTicketUrl = Url.Page("/Queues/Public/Ticket", null, new { token = ticket }, Request.Scheme);
            using var data = QRCoder.QRCodeGenerator.GenerateQrCode(VirtualTicketUrl!, QRCoder.QRCodeGenerator.ECCLevel.M);
            QrCode = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(new QRCoder.SvgQRCode(data).GetGraphic(4)));
        }

        return Page();
    }

    /// <summary>
    /// Issues the ticket and redirects to the kiosk showing it (post/redirect/get): reloading the kiosk never takes a second
    /// ticket. A refused request (a mistyped phone) is shown on the page at its field.
    /// </summary>
    public async Task<IActionResult> OnPostAsync(long branchId, long? serviceTypeId, CancellationToken ct)
    {
        if (!await LoadAsync(branchId, ct))
        {
            return NotFound();
        }

        var outcome = await issuer.IssueAsync(branchId, new TicketRequest(serviceTypeId, Phone), forStaff: false, ct);
        if (outcome.Value?.PublicToken is { } token)
        {
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Queues/Public/Kiosk/{branchId}?ticket={Uri.EscapeDataString(token)}"));
        }

        Error = outcome.Error;
        Phone = null;
        ModelState.Clear();
        return Page();
    }

    /// <summary>
    /// Checks an appointment in by its reference or the phone it was booked with (one field: digits of a phone number, else a
    /// reference) and shows the ticket it became; a refusal (too early, unknown) is shown at the field.
    /// </summary>
    public async Task<IActionResult> OnPostCheckInAsync(long branchId, CancellationToken ct)
    {
        if (!await LoadAsync(branchId, ct))
        {
            return NotFound();
        }

        var entry = Reference?.Trim() ?? "";
        var isPhone = entry.Count(char.IsAsciiDigit) >= 7;
        var outcome = await appointments.KioskCheckInAsync(branchId, new CheckInRequest(isPhone ? null : entry, isPhone ? entry : null), ct);
        if (outcome.Value is { Ticket.PublicToken: { } token } done)
        {
            var state = done.Appointment.Status == nameof(AppointmentStatus.Late) ? "late" : "ok";
            return Redirect(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/Queues/Public/Kiosk/{branchId}?ticket={Uri.EscapeDataString(token)}&checkedIn={state}"));
        }

        CheckInError = outcome.Error is InvalidError ? outcome.Error : new QueueInvalid(new Dictionary<string, string[]> { ["reference"] = [outcome.Error!.Detail] });
        Reference = null;
        ModelState.Clear();
        return Page();
    }

    private async Task<bool> LoadAsync(long branchId, CancellationToken ct)
    {
        Branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        Types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branchId && s.IsActive).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        return Branch is not null;
    }
}
