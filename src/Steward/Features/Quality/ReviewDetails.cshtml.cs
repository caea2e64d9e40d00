using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// One review: the scorecard version's items with the answers, comments and item scores, the score; for the reviewed staff
/// member accept or dispute (within the window); for their team lead or another inspector, resolving a dispute.
/// </summary>
public sealed class QualityReviewDetailsModel(QualityReviews reviews, StewardDbContext db, CurrentUser user, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? SuggestedScore { get; set; }

    [BindProperty]
    public string? DisputeComment { get; set; }

    [BindProperty]
    public string? ResolveScore { get; set; }

    [BindProperty]
    public string? ResolutionComment { get; set; }

    public QaReviewDto? Review { get; private set; }

    public ScorecardContent? Card { get; private set; }

    public bool MayRespond { get; private set; }

    public bool MayDispute { get; private set; }

    public bool MayResolve { get; private set; }

    public Error? Error { get; private set; }

    public string? Done { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    public string? Zone { get; private set; }

    public string At(DateTimeOffset instant) => Cases.CaseDisplay.At(instant, Zone);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAcceptAsync(CancellationToken ct) => AfterAsync(reviews.AcceptAsync(Id, ct), "accepted", ct);

    public Task<IActionResult> OnPostDisputeAsync(CancellationToken ct) =>
        AfterAsync(reviews.DisputeAsync(Id, new QaDisputeRequest(ParseScore(SuggestedScore), DisputeComment), ct), "disputed", ct);

    public Task<IActionResult> OnPostUpholdAsync(CancellationToken ct) =>
        AfterAsync(reviews.ResolveAsync(Id, new QaResolveRequest(true, null, ResolutionComment), ct), "resolved", ct);

    public Task<IActionResult> OnPostChangeAsync(CancellationToken ct) =>
        AfterAsync(reviews.ResolveAsync(Id, new QaResolveRequest(false, ParseScore(ResolveScore), ResolutionComment), ct), "resolved", ct);

    public static string Score(decimal score) => QualityIndexModel.Score(score);

    // Either separator is read; anything else is no number (the service then says what a score is at the field).
    private static decimal? ParseScore(string? text) =>
        decimal.TryParse((text ?? "").Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : text is { Length: > 0 } ? -1 : null;

    private async Task<IActionResult> AfterAsync(Task<Outcome<QaReviewDto>> action, string done, CancellationToken ct)
    {
        var result = await action;
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (result.Succeeded)
        {
            Done = done;
            (SuggestedScore, DisputeComment, ResolveScore, ResolutionComment) = (null, null, null, null);
        }
        else
        {
            Error = result.Error;
            Response.StatusCode = result.Error.Status;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await reviews.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Review = found.Value;
        Zone = await db.Set<Organisation.Branch>().Where(b => b.Id == Review.BranchId).Select(b => b.TimeZone).SingleOrDefaultAsync(ct);
        Card = ScorecardContent.Parse(await db.Set<QualityScorecard>().Where(s => s.Id == Review.ScorecardId).Select(s => s.ContentJson).SingleAsync(ct));
        MayRespond = Review.Status == QaReviewStatus.Open && Review.StaffId == user.StaffId;
        MayDispute = MayRespond && time.GetUtcNow() <= Review.DisputeUntil;
        MayResolve = Review.Status == QaReviewStatus.Disputed
            && await reviews.MayResolveAsync(new QualityReview { StaffId = Review.StaffId, InspectorId = Review.InspectorId, TeamId = Review.TeamId }, ct);
        return true;
    }
}
