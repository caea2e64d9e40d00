using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// The branch manager's view of the queue (live lengths and longest wait per service, counters open and who is on them,
/// today's tickets by outcome, estimate accuracy, history by day). Branch managers and team leads see their branches,
/// institution-wide roles every branch; the same numbers are <c>GET /api/v1/branches/{id}/queue/stats</c>.
/// </summary>
[RequirePermission(Permission.ReportsRead)]
public sealed class QueuesManagerModel(QueueAdmin admin, QueueStatsReader reader) : PageModel
{
    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public long? BranchId { get; private set; }

    public int Days { get; private set; } = 7;

    public QueueStatsDto? Stats { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(long? branchId, int? days, CancellationToken ct)
    {
        (Branches, BranchId) = await admin.BranchesAsync(branchId, ct);
        if (BranchId is not { } id)
        {
            return;
        }

        var stats = await reader.GetAsync(id, days, ct);
        (Stats, Error) = (stats.Value, stats.Error);
        Days = Stats?.Days ?? days ?? 7;
        if (Stats is null && Error is InvalidError)
        {
            // A wrong number of days: say so at the field and show the default span.
            Stats = (await reader.GetAsync(id, null, ct)).Value;
        }
    }
}
