using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Steward.Features.Queues.Public;

/// <summary>
/// The virtual ticket on the customer's phone (opened from the QR code on the printed ticket), no sign-in: the number,
/// the place in the queue ("you are next", "you are second next"), the estimated wait, the counter once called. Drawn here
/// once and kept current by <c>queue-ticket.js</c>, which rereads it on every <c>changed</c> of the branch's board hub.
/// </summary>
public sealed class TicketModel(VirtualTicketReader reader, Surveys.SurveyResponses surveys) : PageModel
{
    /// <summary>Once the visit is finished: the link to its survey (the token derived from this ticket's), when one is open to answer.</summary>
    public string? SurveyLink { get; private set; }

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
        if (Ticket.Status == nameof(TicketStatus.Finished))
        {
            var surveyToken = Surveys.SurveyInvitations.VisitToken(token);
            if ((await surveys.ForLinkAsync(surveyToken, ct)).Value is { Answered: false, Expired: false })
            {
                SurveyLink = Surveys.SurveyInvitations.PublicPath + surveyToken;
            }
        }

        return Page();
    }
}
