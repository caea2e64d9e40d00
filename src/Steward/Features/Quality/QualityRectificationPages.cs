using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>Rectifications the reader may see: inspectors all, a team lead their team's, everyone else their own.</summary>
public sealed class QualityRectificationsModel(QualityRectifications rectifications) : PageModel
{
    public IReadOnlyList<QaRectificationDto> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Rows = await rectifications.ListAsync(null, 200, ct);
}

/// <summary>One rectification: what failed, by when, the evidence form for the staff member, the re-check and its verification for an inspector.</summary>
public sealed class QualityRectificationModel(QualityRectifications rectifications, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty]
    public string? Evidence { get; set; }

    [BindProperty]
    public string? ReviewId { get; set; }

    public QaRectificationDto? Rect { get; private set; }

    public Error? Error { get; private set; }

    public string? Done { get; private set; }

    public bool Mine => Rect?.StaffId == user.StaffId;

    public bool Inspector => user.Can(Permission.QualityInspect);

    public bool Active => Rect?.Status is QaRectificationStatus.Open or QaRectificationStatus.EvidenceSubmitted;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostEvidenceAsync(CancellationToken ct) =>
        await AfterAsync(await rectifications.SubmitEvidenceAsync(Id, new QaEvidenceRequest(Evidence), ct), "evidence", ct);

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        long? reviewId = string.IsNullOrWhiteSpace(ReviewId) ? null : long.TryParse(ReviewId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1;
        return await AfterAsync(await rectifications.VerifyAsync(Id, new QaVerifyRequest(reviewId), ct), "verified", ct);
    }

    private async Task<IActionResult> AfterAsync(Outcome<QaRectificationDto> result, string done, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            (Done, Evidence, ReviewId) = (done, null, null);
        }
        else
        {
            Error = result.Error;
            Response.StatusCode = result.Error.Status;
        }

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await rectifications.GetAsync(Id, ct);
        Rect = found.Value;
        return found.Succeeded;
    }
}
