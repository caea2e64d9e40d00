using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Quality;

/// <summary>
/// Quality reviews: for an inspector the scorecards in force, cases lately resolved that they may review, the reviews made and
/// the open disputes; for a team lead their team's reviews and the disputes waiting for them; for anyone else their own reviews.
/// </summary>
public sealed class QualityIndexModel(
    QualityScorecards scorecards, QualityReviews reviews, QualitySampling sampling, QualityRectifications rectifications, StewardDbContext db, CurrentUser user) : PageModel
{
    public bool Inspector => user.Can(Permission.QualityInspect);

    public bool Calibrator => user.Can(Permission.QualityCalibrate);

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<QaScorecardDto> Scorecards { get; private set; } = [];

    public IReadOnlyList<(long Id, string Reference, string Subject, CaseStatus Status, DateTimeOffset? ResolvedAt)> ToReview { get; private set; } = [];

    public IReadOnlyList<QaReviewDto> Reviews { get; private set; } = [];

    public IReadOnlyList<QaReviewDto> Disputes { get; private set; } = [];

    /// <summary>Cases sampled by a plan or drawn as a re-check, waiting for a review, that this inspector did not work on.</summary>
    public IReadOnlyList<QaSampleItemDto> Sampled { get; private set; } = [];

    /// <summary>The open rectifications the reader may see (their own, their team's, or all for an inspector).</summary>
    public IReadOnlyList<QaRectificationDto> Rectifications { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Reviews = await reviews.ListAsync(new QaReviewListQuery { Limit = 50 }, ct);
        var disputed = await reviews.ListAsync(new QaReviewListQuery { Status = QaReviewStatus.Disputed, Limit = 100 }, ct);
        var mine = new List<QaReviewDto>();
        foreach (var d in disputed)
        {
            if (await reviews.MayResolveAsync(new QualityReview { StaffId = d.StaffId, InspectorId = d.InspectorId, TeamId = d.TeamId }, ct))
            {
                mine.Add(d);
            }
        }

        Disputes = mine;
        Rectifications = [.. (await rectifications.ListAsync(null, 50, ct)).Where(r => r.Status is QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted).Take(10)];
        if (Inspector && user.StaffId is { } me)
        {
            Scorecards = await scorecards.CurrentAsync(null, ct);
            Sampled = await sampling.PendingAsync(me, 20, ct);
            // Cases resolved or closed lately that nobody reviewed yet and this inspector did not work on.
            var rows = await db.Set<Case>().AsNoTracking()
                .Where(c => (c.Status == CaseStatus.Resolved || c.Status == CaseStatus.Closed) && c.AssigneeId != null && c.AssigneeId != me && c.CreatedById != me
                    && !db.Set<QualityReview>().Any(r => r.CaseId == c.Id)
                    && !db.Set<CaseEvent>().Any(e => e.CaseId == c.Id && e.ActorId == me))
                .OrderByDescending(c => c.Id).Take(10)
                .Select(c => new { c.Id, c.Reference, c.Subject, c.Status, c.ResolvedAt }).ToListAsync(ct);
            ToReview = [.. rows.Select(r => (r.Id, r.Reference, r.Subject, r.Status, r.ResolvedAt))];
        }

        return Page();
    }

    public static string Score(decimal score) => score.ToString("0.##", CultureInfo.CurrentCulture);
}
