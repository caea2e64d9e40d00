using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>Calibration batches (inspectors and compliance only): the list and the new batch form, its mistakes said at the field.</summary>
public sealed class QualityCalibrationsModel(QualityCalibrations calibrations, QualityScorecards scorecards, CurrentUser user) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Scorecard { get; set; }

    /// <summary>Case ids or references, separated by spaces, commas or lines.</summary>
    [BindProperty]
    public string? Cases { get; set; }

    [BindProperty]
    public List<long> InspectorIds { get; set; } = [];

    public IReadOnlyList<QaCalibrationSummaryDto> Batches { get; private set; } = [];

    public IReadOnlyList<QaScorecardDto> Scorecards { get; private set; } = [];

    public IReadOnlyList<Staff> Inspectors { get; private set; } = [];

    public Error? Error { get; private set; }

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityCalibrate))
        {
            return Forbid();
        }

        var picked = (Cases ?? "").Split([' ', ',', '，', '、', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var made = await calibrations.CreateAsync(new QaCalibrationCreateRequest(Name, Scorecard, picked, InspectorIds), ct);
        if (made.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Quality/Calibrations/{made.Value.Id}"));
        }

        Error = made.Error;
        Response.StatusCode = made.Error.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Batches = (await calibrations.ListAsync(ct)).Value ?? [];
        Scorecards = await scorecards.CurrentAsync(QaSubjectKind.CaseHandling, ct);
        Inspectors = await calibrations.InspectorsAsync(ct);
    }
}

/// <summary>One batch: the cases × inspectors matrix, "score this case" for the reader's own cells, closing, and the agreement.</summary>
public sealed class QualityCalibrationModel(QualityCalibrations calibrations, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public QaCalibrationDto? Batch { get; private set; }

    public Error? Error { get; private set; }

    public long? Me => user.StaffId;

    public bool Chinese => Cultures.IsChinese(CultureInfo.CurrentUICulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await calibrations.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return found.Error is ForbiddenError ? Forbid() : NotFound();
        }

        Batch = found.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostCloseAsync(CancellationToken ct)
    {
        var closed = await calibrations.CloseAsync(Id, ct);
        if (closed.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Quality/Calibrations/{Id}"));
        }

        if (closed.Error is ForbiddenError)
        {
            return Forbid();
        }

        Error = closed.Error;
        Response.StatusCode = closed.Error.Status;
        var found = await calibrations.GetAsync(Id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Batch = found.Value;
        return Page();
    }

    /// <summary>A kappa as shown: two decimals (four in the API).</summary>
    public static string Kappa(decimal k) => k.ToString("0.00", CultureInfo.InvariantCulture);
}
