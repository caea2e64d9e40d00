using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Retention;

/// <summary>
/// Compliance's retention desk (decision 0052): the disposition review (approve or defer what the daily job listed; what is
/// held and why), holds (place, release), and the rules (change a period, never below the legal minimum).
/// </summary>
[RequirePermission(Permission.RetentionManage)]
public sealed class RetentionIndexModel(RetentionRules rules, RetentionHolds holds, Disposition disposition, TimeProvider time) : PageModel
{
    public IReadOnlyList<RetentionRuleDto> Rules { get; private set; } = [];

    public IReadOnlyList<RetentionHoldDto> Holds { get; private set; } = [];

    public DispositionListDto Reviews { get; private set; } = new([], []);

    /// <summary>The failed form's error, and which form it belongs to (e.g. <c>rule-3</c>, <c>hold</c>, <c>defer-12</c>).</summary>
    public Error? Error { get; private set; }

    public string? ErrorForm { get; private set; }

    public string? Done { get; private set; }

    [BindProperty]
    public HoldSubject? SubjectType { get; set; }

    [BindProperty]
    public long? SubjectId { get; set; }

    [BindProperty]
    public HoldKind? Kind { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public int? PeriodMonths { get; set; }

    [BindProperty]
    public DateOnly? Until { get; set; }

    [BindProperty]
    public int? Version { get; set; }

    public DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public Task<IActionResult> OnPostRuleAsync(long id, CancellationToken ct) =>
        ResultAsync(rules.ChangePeriodAsync(id, new RetentionRuleChange(PeriodMonths, Version), ct), "rule-" + Id(id), "retention.done.rule", ct);

    public Task<IActionResult> OnPostHoldAsync(CancellationToken ct) =>
        ResultAsync(holds.PlaceAsync(new RetentionHoldRequest(SubjectType, SubjectId, Kind, Reason), ct), "hold", "retention.done.hold", ct);

    public Task<IActionResult> OnPostReleaseAsync(long id, CancellationToken ct) =>
        ResultAsync(holds.ReleaseAsync(id, new RetentionHoldRelease(Reason, Version), ct), "release-" + Id(id), "retention.done.release", ct);

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct) =>
        ResultAsync(disposition.ApproveAsync(id, new DispositionDecision(Reason, Version), ct), "approve-" + Id(id), "retention.done.approve", ct);

    public Task<IActionResult> OnPostDeferAsync(long id, CancellationToken ct) =>
        ResultAsync(disposition.DeferAsync(id, new DispositionDeferral(Reason, Until, Version), ct), "defer-" + Id(id), "retention.done.defer", ct);

    /// <summary>The legal basis in the reader's language.</summary>
    public static string Basis(RetentionRuleDto r) => Cultures.IsChinese(CultureInfo.CurrentUICulture) ? r.LegalBasis : r.LegalBasisEn;

    public static string At(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—";

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public IReadOnlyList<string> Errors(string form, params string[] fields) => ErrorForm == form ? Shared.FieldErrors.For(Error, fields) : [];

    private async Task<IActionResult> ResultAsync<T>(Task<Outcome<T>> work, string form, string done, CancellationToken ct)
    {
        var outcome = await work;
        if (outcome.Succeeded)
        {
            Done = done;
            ModelState.Clear();
            (SubjectType, SubjectId, Kind, Reason, PeriodMonths, Until, Version) = (null, null, null, null, null, null, null);
        }
        else
        {
            Error = outcome.Error;
            ErrorForm = form;
            Response.StatusCode = outcome.Error.Status;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rules = await rules.ListAsync(ct);
        Holds = await holds.ListAsync(includeReleased: false, ct);
        Reviews = await disposition.ListAsync(null, ct);
    }
}
