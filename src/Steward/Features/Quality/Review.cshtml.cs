using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>
/// The review form beside the case's timeline and messages: one answer per item (its scale's points, or N/A where allowed)
/// with a comment per item, and an overall comment. A mistake is said at its item and nothing is stored; one's own case is
/// refused before the form is shown.
/// </summary>
public sealed class QualityReviewModel(
    QualityReviews reviews, QualityScorecards scorecards, QualityCalibrations calibrations, CaseService cases, StewardDbContext db, CurrentUser user) : PageModel
{
    /// <summary>Calibration mode (decision 0049): the batch's scorecard version, and the score is stored with the batch, counting nowhere.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Calibration { get; set; }

    public QaCalibrationDto? Batch { get; private set; }

    [BindProperty(SupportsGet = true)]
    public long? CaseId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Scorecard { get; set; }

    [BindProperty]
    public int? ScorecardNumber { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public CaseDetail? Case { get; private set; }

    public string? Zone { get; private set; }

    public IReadOnlyList<QaScorecardDto> Choices { get; private set; } = [];

    public QaScorecardDto? Card { get; private set; }

    /// <summary>What was posted, item id → value text ("na" for N/A) and comment, to show the form again after a mistake.</summary>
    public Dictionary<string, (string? Value, string? Comment)> Posted { get; } = new(StringComparer.Ordinal);

    public Error? Error { get; private set; }

    /// <summary>A refusal of the whole review (the case is the inspector's own work, nobody to review, no such case).</summary>
    public Error? Refusal { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    public string At(DateTimeOffset instant) => CaseDisplay.At(instant, Zone);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        if (Case is not null && user.StaffId is { } me
            && await reviews.OwnWorkAsync(await db.Set<Case>().AsNoTracking().SingleAsync(c => c.Id == Case.Id, ct), me, ct))
        {
            Refusal = new QaOwnWork();
            Response.StatusCode = Refusal.Status;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return Forbid();
        }

        var answers = new Dictionary<string, QaAnswer>(StringComparer.Ordinal);
        foreach (var (key, values) in Request.Form)
        {
            if (key.StartsWith("a.", StringComparison.Ordinal) && key.Length > 2)
            {
                var id = key[2..];
                var text = values.ToString().Trim();
                var comment = Request.Form["c." + id].ToString();
                Posted[id] = (text, comment);
                if (text.Length == 0)
                {
                    continue;
                }

                answers[id] = text == "na"
                    ? new QaAnswer(null, true, comment)
                    : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? new QaAnswer(v, false, comment) : new QaAnswer(int.MinValue, false, comment);
            }
        }

        // A comment without an answer is kept on the form too.
        foreach (var (key, values) in Request.Form)
        {
            if (key.StartsWith("c.", StringComparison.Ordinal) && key.Length > 2 && !Posted.ContainsKey(key[2..]))
            {
                Posted[key[2..]] = (null, values.ToString());
            }
        }

        Error? failed;
        if (Calibration is { } batchId)
        {
            var scored = await calibrations.ScoreAsync(batchId, new QaCalibrationScoreRequest(CaseId, answers, Comment), ct);
            if (scored.Succeeded)
            {
                return Redirect("/Quality/Calibrations/" + batchId.ToString(CultureInfo.InvariantCulture));
            }

            failed = scored.Error;
        }
        else
        {
            var done = await reviews.CreateAsync(new QaReviewCreateRequest(CaseId, Scorecard, ScorecardNumber, answers, Comment), ct);
            if (done.Succeeded)
            {
                return Redirect("/Quality/Reviews/" + done.Value.Id.ToString(CultureInfo.InvariantCulture));
            }

            failed = done.Error;
        }

        await LoadAsync(ct);
        Response.StatusCode = failed.Status;
        if (failed is QaReviewInvalid)
        {
            Error = failed;
        }
        else
        {
            Refusal = failed;
        }

        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Calibration is { } batchId)
        {
            var batch = await calibrations.GetAsync(batchId, ct);
            if (!batch.Succeeded)
            {
                Refusal = batch.Error;
                Response.StatusCode = batch.Error.Status;
                return;
            }

            Batch = batch.Value;
            var version = await db.Set<QualityScorecard>().AsNoTracking().SingleAsync(s => s.Id == Batch.ScorecardId, ct);
            Choices = [QualityScorecards.ToDto(version)];
            Refusal = Batch.Status != QaCalibrationStatus.Open ? new QaCalibrationClosed()
                : user.StaffId is not { } me || !Batch.Inspectors.Any(i => i.Id == me) ? new QaNotInvited()
                : CaseId is { } c && !Batch.Cases.Any(x => x.CaseId == c) ? new QaCalibrationInvalid(new Dictionary<string, string[]> { ["caseId"] = ["Name a case of the batch. 请指明本批次中的案件。"] })
                : null;
            if (Refusal is not null)
            {
                Response.StatusCode = Refusal.Status;
            }
        }
        else
        {
            Choices = await scorecards.CurrentAsync(QaSubjectKind.CaseHandling, ct);
        }

        Card = Choices.FirstOrDefault(c => c.Code == Scorecard) ?? Choices.FirstOrDefault();
        Scorecard = Card?.Code;
        if (CaseId is not { } id)
        {
            Refusal = new InvalidRequest("caseId", "Name the case to review. 请指明要质检的案件。");
            return;
        }

        var found = await cases.GetAsync(id, ct);
        if (!found.Succeeded)
        {
            Refusal = found.Error;
            Response.StatusCode = found.Error.Status;
            return;
        }

        Case = found.Value;
        Zone = await db.Set<Branch>().Where(b => b.Id == Case.BranchId).Select(b => b.TimeZone).SingleOrDefaultAsync(ct);
    }
}
