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
public sealed class KioskModel(StewardDbContext db, TicketIssuer issuer, VirtualTicketReader tickets) : PageModel
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

    public async Task<IActionResult> OnGetAsync(long branchId, string? ticket, CancellationToken ct)
    {
        if (!await LoadAsync(branchId, ct))
        {
            return NotFound();
        }

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

    private async Task<bool> LoadAsync(long branchId, CancellationToken ct)
    {
        Branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        Types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branchId && s.IsActive).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        return Branch is not null;
    }
}
