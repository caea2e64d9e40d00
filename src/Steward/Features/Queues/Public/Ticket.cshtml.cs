using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Steward.Features.Queues.Public;

/// <summary>
/// The virtual ticket on the customer's phone (opened from the QR code on the printed ticket), no sign-in: the number,
/// the place in the queue ("you are next", "you are second next"), the estimated wait, the counter once called. Drawn here
/// once and kept current by <c>queue-ticket.js</c>, which rereads it on every <c>changed</c> of the branch's board hub.
/// </summary>
public sealed class TicketModel(VirtualTicketReader reader) : PageModel
{
    public VirtualTicketDto Ticket { get; private set; } = null!;

    public string Token { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var ticket = await reader.GetAsync(token, ct);
        if (ticket.Value is null)
        {
            return NotFound();
        }

        (Ticket, Token) = (ticket.Value, token);
        return Page();
    }
}
