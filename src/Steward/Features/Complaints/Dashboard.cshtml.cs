using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Features.Complaints.Returns;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The compliance dashboard page: the figures of <see cref="ComplaintDashboard"/>, each a link to its complaint list, a period picker
/// (default the last 90 days) and a branch choice; three ECharts charts drawn from the page's own JSON (embedded, no extra request),
/// each with the table of its numbers.
/// </summary>
[RequirePermission(Permission.ComplaintReturnsRead)]
public sealed class ComplaintDashboardModel(ComplaintDashboard dashboard, ComplaintReturns returns, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? BranchId { get; set; }

    public IReadOnlyList<(long Id, string Code, string Name)> Branches { get; private set; } = [];

    public ComplaintDashboardDto? Figures { get; private set; }

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Branches = await returns.BranchesAsync(ct);
        var read = await dashboard.ReadAsync(new ComplaintDashboardQuery(From, To, BranchId), ct);
        if (read.Error is { } refused)
        {
            if (refused is ForbiddenError)
            {
                return Forbid();
            }

            Error = refused;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Figures = read.Value;
        (From, To) = (Day(Figures!.From), Day(Figures.To));
        return Page();
    }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    /// <summary>The name of a regime (null: none) in the reader's language.</summary>
    public string RegimeName(string? regime) => l["complaint.dashboard.regime." + (regime ?? ComplaintListFilter.NoRegime)];

    /// <summary>The charts' data, labels in the page's language: open complaints by deadline band, received per 10,000 customers by branch, decisions.</summary>
    public string ChartJson()
    {
        var f = Figures!;
        var bands = new[] { ("within", l["complaint.dashboard.band.within"].Value), ("soon", l["complaint.dashboard.band.soon"].Value), ("overdue", l["complaint.dashboard.band.overdue"].Value), ("none", l["complaint.dashboard.band.none"].Value) };
        var charts = new
        {
            open = new
            {
                categories = f.Open.Select(o => RegimeName(o.Regime)).ToArray(),
                series = bands.Select(b => new
                {
                    name = b.Item2,
                    key = b.Item1,
                    data = f.Open.Select(o => b.Item1 switch { "within" => o.Within.Count, "soon" => o.Soon.Count, "overdue" => o.Overdue.Count, _ => o.NoDeadline.Count }).ToArray(),
                }).ToArray(),
            },
            branches = new
            {
                name = l["complaint.dashboard.perTenThousand"].Value,
                categories = f.ByBranch.Select(b => b.Code).ToArray(),
                data = f.ByBranch.Select(b => b.PerTenThousand ?? 0m).ToArray(),
            },
            decisions = new
            {
                data = new[]
                {
                    new { name = l["complaint.dashboard.upheld"].Value, value = f.Upheld.Count },
                    new { name = l["complaint.dashboard.notUpheld"].Value, value = f.Decided.Count - f.Upheld.Count },
                },
            },
        };
        return JsonSerializer.Serialize(charts);
    }

    public static string Number(decimal? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
