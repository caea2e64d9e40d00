using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// Corrective actions across the complaints the reader may see: the open ones by default, overdue first, with owner, due day,
/// the complaint and whether its root cause recurs; filtered by status, owner and overdue (GET, so a filter can be linked).
/// </summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintActionsModel(ComplaintActions actions) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Owner { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    public IReadOnlyList<ComplaintActionOverviewItem> Items { get; private set; } = [];

    /// <summary>The owners of the open actions the reader may see, for the filter.</summary>
    public IReadOnlyList<(long Id, string Name)> Owners { get; private set; } = [];

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ComplaintActionStatus? status = null;
        if (!string.IsNullOrEmpty(Status))
        {
            if (Enum.TryParse<ComplaintActionStatus>(Status, out var s) && Enum.IsDefined(s))
            {
                status = s;
            }
            else
            {
                errors["status"] = ["Choose a status from the list. 请从列表中选择状态。"];
            }
        }

        long? owner = null;
        if (!string.IsNullOrEmpty(Owner))
        {
            if (long.TryParse(Owner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var o))
            {
                owner = o;
            }
            else
            {
                errors["owner"] = ["Choose an owner from the list. 请从列表中选择责任人。"];
            }
        }

        var open = await actions.OverviewAsync(new ComplaintActionFilter(Limit: 500), ct);
        Owners = open.Succeeded ? [.. open.Value.Select(i => (i.OwnerId, i.OwnerName)).Distinct().OrderBy(o => o.OwnerName, StringComparer.Ordinal)] : [];
        if (errors.Count > 0)
        {
            Error = new ComplaintInvalid(errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var found = status is null && owner is null && !Overdue ? open : await actions.OverviewAsync(new ComplaintActionFilter(status, owner, Overdue, 500), ct);
        Items = found.Succeeded ? found.Value : [];
        return Page();
    }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);
}
