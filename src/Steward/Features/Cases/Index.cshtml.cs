using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Features.Routing;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Cases;

/// <summary>
/// The agent's workbench at <c>/Cases</c>: three tabs (my cases, my team's queue, unassigned)
/// over the cases the person may see, with filters, full-text search, sorting and cursor paging.
/// The filter form is a plain GET form; htmx sends the same GET on every change and this page
/// then answers only the results fragment.
/// </summary>
[RequirePermission(Permission.CasesWork)]
public sealed class WorkbenchModel(CaseService cases, TeamQueues queues, OrganisationService organisation, CurrentUser user, TimeProvider time) : PageModel
{
    public const string Mine = "mine";
    public const string Team = "team";
    public const string Unassigned = "unassigned";

    /// <summary>One row of the list: the summary, and its names in the reader's language.</summary>
    public sealed record Row(CaseSummary Case, string? Customer, string? TeamName, string? AssigneeName, string? Zone);

    [BindProperty(SupportsGet = true, Name = "tab")]
    public string? Tab { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public CaseStatus? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "kind")]
    public CaseKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "channel")]
    public CaseChannel? Channel { get; set; }

    [BindProperty(SupportsGet = true, Name = "branchId")]
    public long? BranchId { get; set; }

    [BindProperty(SupportsGet = true, Name = "priority")]
    public CasePriority? Priority { get; set; }

    /// <summary>A date (yyyy-MM-dd): cases due before the start of that day in the chosen branch's zone (else the home branch's).</summary>
    [BindProperty(SupportsGet = true, Name = "dueBefore")]
    public DateOnly? DueBefore { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "cursor")]
    public string? Cursor { get; set; }

    public string ActiveTab => Tab is Team or Unassigned ? Tab : Mine;

    public IReadOnlyList<BranchDto> Branches { get; private set; } = [];

    public IReadOnlyDictionary<string, CaseCount> Counts { get; private set; } = new Dictionary<string, CaseCount>();

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool HasTeam { get; private set; }

    public bool OnDuty { get; private set; }

    public Error? Error { get; private set; }

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Branches = await organisation.BranchesAsync(user, ct);
        var viewer = await cases.ViewerAsync(ct);
        HasTeam = viewer.TeamId is not null;
        OnDuty = (await queues.DutyAsync(ct)).OnDuty;

        var filters = Filters();
        var counts = new Dictionary<string, CaseCount>();
        foreach (var tab in new[] { Mine, Team, Unassigned })
        {
            var counted = tab == Team && !HasTeam ? new CaseCount(0) : await cases.CountAsync(ForTab(filters, tab, viewer), ct);
            counts[tab] = counted.Succeeded ? counted.Value : new CaseCount(0);
        }

        Counts = counts;
        if (ActiveTab == Team && !HasTeam)
        {
            Rows = [];
        }
        else
        {
            var page = await cases.ListAsync(ForTab(filters, ActiveTab, viewer) with { Sort = Sort, Cursor = Cursor }, ct);
            if (page.Succeeded)
            {
                Rows = ToRows(page.Value.Items);
                NextCursor = page.Value.NextCursor;
            }
            else
            {
                Error = page.Error;
                Response.StatusCode = page.Error.Status;
            }
        }

        Response.Headers.Vary = "HX-Request";
        var fragment = Request.Headers.ContainsKey("HX-Request") && !Request.Headers.ContainsKey("HX-History-Restore-Request");
        return fragment ? Partial("_CaseResults", this) : Page();
    }

    /// <summary>Goes on or off duty (only people on duty receive automatically assigned cases).</summary>
    public async Task<IActionResult> OnPostDutyAsync(bool onDuty, CancellationToken ct)
    {
        await queues.SetDutyAsync(onDuty, ct);
        return Redirect("/Cases" + Request.QueryString);
    }

    /// <summary>The URL of this list with one parameter changed (null removes it) and the cursor dropped unless given.</summary>
    public string Link(string? tab = null, string? cursor = null, string? sort = null)
    {
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new("tab", tab ?? ActiveTab),
            new("status", Status?.ToString()),
            new("kind", Kind?.ToString()),
            new("channel", Channel?.ToString()),
            new("branchId", BranchId?.ToString(CultureInfo.InvariantCulture)),
            new("priority", Priority?.ToString()),
            new("dueBefore", DueBefore?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            new("q", Q),
            new("sort", sort ?? Sort),
            new("cursor", cursor),
        };
        return "/Cases" + Microsoft.AspNetCore.Http.QueryString.Create(parameters.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    private CaseListQuery Filters()
    {
        DateTimeOffset? dueBefore = null;
        if (DueBefore is { } day)
        {
            var zoneId = Branches.FirstOrDefault(b => b.Id == BranchId)?.TimeZone ?? Branches.FirstOrDefault()?.TimeZone;
            var zone = (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? DateTimeZone.Utc;
            dueBefore = LocalDate.FromDateOnly(day).AtStartOfDayInZone(zone).ToDateTimeOffset();
        }

        return new CaseListQuery
        {
            Status = Status,
            Kind = Kind,
            Channel = Channel,
            BranchId = BranchId,
            Priority = Priority,
            DueBefore = dueBefore,
            Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim(),
        };
    }

    /// <summary>Each tab is work still to do: open cases only, unless a status is chosen in the filters.</summary>
    private static CaseListQuery ForTab(CaseListQuery filters, string tab, CaseViewer viewer)
    {
        var open = filters with { Open = filters.Status is null ? true : null };
        return tab switch
        {
            Team => open with { TeamId = viewer.TeamId },
            Unassigned => open with { Assignee = "none" },
            _ => open with { Assignee = "me" },
        };
    }

    /// <summary>The rows as shown: the summary already carries the (masked) names; only the team name's language is chosen here.</summary>
    private static IReadOnlyList<Row> ToRows(IReadOnlyList<CaseSummary> items)
    {
        var chinese = Steward.Platform.Localization.Cultures.IsChinese(CultureInfo.CurrentUICulture);
        return items.Select(i => new Row(i, i.CustomerName, chinese ? i.TeamName : i.TeamNameEn ?? i.TeamName, i.AssigneeName, i.BranchTimeZone)).ToList();
    }
}
