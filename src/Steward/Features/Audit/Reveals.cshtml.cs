using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Audit;
using Steward.Platform.Problems;

namespace Steward.Features.Audit;

/// <summary>The personal-data access review: who was shown whose data, when and why, with the patterns worth a look flagged.</summary>
public sealed class RevealsModel(RevealReview review, AuditPresenter presenter, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Flagged { get; set; }

    public RevealReviewDto? Review { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // Dates are the institution's days; "to" is the last day shown, so the period ends at the start of the next.
        var period = RevealReview.Period(
            From is { } f ? await presenter.StartOfDayAsync(f, ct) : null,
            To is { } t ? await presenter.StartOfDayAsync(t.AddDays(1), ct) : null,
            time.GetUtcNow());
        if (!period.Succeeded)
        {
            Error = period.Error;
            Response.StatusCode = period.Error.Status;
            return;
        }

        Review = await review.ReviewAsync(period.Value.From, period.Value.To, Flagged, ct);
    }

    public static string At(RevealDto r) => Cases.CaseDisplay.At(r.OccurredAt, r.BranchTimeZone);

    public static string? Link(RevealDto r) => r.SubjectType switch
    {
        "Customer" => "/Customers/Details?id=" + r.SubjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "Case" => "/Cases/" + r.SubjectId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
