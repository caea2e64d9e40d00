using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Audit;
using Steward.Platform.Identity;

namespace Steward.Features.Audit;

/// <summary>The sign-in history (kept apart from the business audit log), newest first, with filters kept on every link.</summary>
public sealed class SignInsModel(SignInHistory history, AuditPresenter presenter, TimeProvider time) : PageModel
{
    private const int PageSize = 100;

    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public SignInOutcome? Outcome { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<(SignInRecordDto Record, string When)> Records { get; private set; } = [];

    public long? NextCursor { get; private set; }

    public string Zone { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        var filter = new SignInFilter(Person, Outcome,
            From is { } f ? await presenter.StartOfDayAsync(f, ct) : null,
            To is { } t ? await presenter.StartOfDayAsync(t.AddDays(1), ct) : null);
        var items = await history.BrowseAsync(filter, Before, PageSize, ct);
        var zone = await presenter.ZoneAsync(ct);
        Records = items.Select(r => (r, AuditPresenter.At(r.OccurredAt, zone))).ToList();
        NextCursor = items.Count == PageSize ? items[^1].Id : null;
        Zone = await presenter.ZoneLabelAsync(time.GetUtcNow(), ct);
    }

    public string Query(long? before) => string.Join("&", new Dictionary<string, string?>
    {
        ["person"] = Person,
        ["outcome"] = Outcome?.ToString(),
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["before"] = before?.ToString(CultureInfo.InvariantCulture),
    }.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key + "=" + Uri.EscapeDataString(kv.Value!)));
}
