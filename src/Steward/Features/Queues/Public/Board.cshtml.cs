using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Steward.Features.Queues.Public;

/// <summary>
/// The branch screen (叫号屏), no sign-in: the current call large, the recent calls, and how many wait per service. It is drawn
/// here once and then kept current by <c>queue-board.js</c> over SignalR (<see cref="QueueBoardHub"/>), reconnecting by itself.
/// </summary>
public sealed class BoardModel(QueueBoardReader reader) : PageModel
{
    public BoardDto Board { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long branchId, CancellationToken ct)
    {
        var board = await reader.GetAsync(branchId, ct);
        if (board.Value is null)
        {
            return NotFound();
        }

        Board = board.Value;
        return Page();
    }
}
