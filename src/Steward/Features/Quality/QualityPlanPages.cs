using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Quality;

/// <summary>The fields of the plan form as typed; a number that is no number is passed on as out of range, so the service says what is wanted at the field.</summary>
public sealed class QaPlanForm
{
    public string? Name { get; set; }

    public QaCycle? Cycle { get; set; }

    public string? RandomPercent { get; set; }

    public string? MinimumPerStaff { get; set; }

    public string? TargetedPerStaff { get; set; }

    public List<string> Rules { get; set; } = [];

    public List<long> BranchIds { get; set; } = [];

    public string? PassThreshold { get; set; }

    public string? TimeZone { get; set; }

    public bool IsActive { get; set; } = true;

    public QaPlanRequest ToRequest() => new(Name, Cycle, Number(RandomPercent), Whole(MinimumPerStaff), Whole(TargetedPerStaff), Rules, BranchIds, Number(PassThreshold), TimeZone, IsActive);

    public static QaPlanForm From(QaPlanDto p) => new()
    {
        Name = p.Name, Cycle = p.Cycle, RandomPercent = Text(p.RandomPercent), MinimumPerStaff = Text(p.MinimumPerStaff), TargetedPerStaff = Text(p.TargetedPerStaff),
        Rules = [.. p.Rules], BranchIds = [.. p.BranchIds], PassThreshold = Text(p.PassThreshold), TimeZone = p.TimeZone, IsActive = p.IsActive,
    };

    public static string Text(decimal d) => d.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static decimal? Number(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : decimal.TryParse(text.Trim().Replace(',', '.'), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1;

    private static int? Whole(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : -1;
}

/// <summary>The sampling plans (inspectors only): the list and a new plan.</summary>
public sealed class QualityPlansModel(QualitySampling sampling, StewardDbContext db, CurrentUser user) : PageModel
{
    [BindProperty]
    public QaPlanForm Form { get; set; } = new() { RandomPercent = "5", MinimumPerStaff = "2", TargetedPerStaff = "2", PassThreshold = "80", Cycle = QaCycle.Monthly };

    public IReadOnlyList<QaPlanDto> Plans { get; private set; } = [];

    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return Forbid();
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var made = await sampling.CreatePlanAsync(Form.ToRequest(), ct);
        if (made.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Quality/Plans/{made.Value.Id}?done=saved"));
        }

        Error = made.Error;
        Response.StatusCode = made.Error.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Plans = await sampling.ListPlansAsync(ct);
        Branches = await db.Set<Branch>().AsNoTracking().OrderBy(b => b.Code).ToListAsync(ct);
    }
}

/// <summary>One sampling plan (inspectors only): its settings, drawing a period now, and its draws.</summary>
public sealed class QualityPlanModel(QualitySampling sampling, StewardDbContext db, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    [BindProperty]
    public QaPlanForm Form { get; set; } = new();

    [BindProperty]
    public string? PeriodStart { get; set; }

    [BindProperty]
    public string? Seed { get; set; }

    public QaPlanDto? Plan { get; private set; }

    public IReadOnlyList<QaDrawDto> Draws { get; private set; } = [];

    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public Error? Error { get; private set; }

    public Error? DrawError { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!user.Can(Permission.QualityInspect))
        {
            return Forbid();
        }

        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Form = QaPlanForm.From(Plan!);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        var saved = await sampling.UpdatePlanAsync(Id, Form.ToRequest(), ct);
        if (saved.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Quality/Plans/{Id}?done=saved"));
        }

        Error = saved.Error;
        Response.StatusCode = saved.Error.Status;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostDrawAsync(CancellationToken ct)
    {
        DateOnly? start = null;
        if (!string.IsNullOrWhiteSpace(PeriodStart))
        {
            start = DateOnly.TryParseExact(PeriodStart.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : DateOnly.MinValue;
        }

        long? seed = string.IsNullOrWhiteSpace(Seed) ? null : long.TryParse(Seed.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : null;
        var drawn = await sampling.DrawAsync(Id, new QaDrawRequest(start, seed), ct);
        if (drawn.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Quality/Draws/{drawn.Value.Id}"));
        }

        DrawError = drawn.Error;
        Response.StatusCode = drawn.Error.Status;
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Form = QaPlanForm.From(Plan!);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await sampling.GetPlanAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Plan = found.Value;
        Draws = await sampling.DrawsAsync(Id, ct);
        Branches = await db.Set<Branch>().AsNoTracking().OrderBy(b => b.Code).ToListAsync(ct);
        return true;
    }
}

/// <summary>One draw (inspectors only): its period and seed, and each case picked with why; a pending case may be removed with a reason.</summary>
public sealed class QualityDrawModel(QualitySampling sampling, StewardDbContext db, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public QaDrawDto? Draw { get; private set; }

    public string PlanName { get; private set; } = "";

    public string Zone { get; private set; } = "Asia/Shanghai";

    public Error? Error { get; private set; }

    public long? ErrorItem { get; private set; }

    public string? Removed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        !user.Can(Permission.QualityInspect) ? Forbid() : await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRemoveAsync(long itemId, string? reason, CancellationToken ct)
    {
        var removed = await sampling.RemoveItemAsync(itemId, new QaRemoveItemRequest(reason), ct);
        if (removed.Succeeded)
        {
            Removed = removed.Value.CaseReference;
        }
        else
        {
            (Error, ErrorItem) = (removed.Error, itemId);
            Response.StatusCode = removed.Error.Status;
        }

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public string At(DateTimeOffset instant) => Cases.CaseDisplay.At(instant, Zone);

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var found = await sampling.GetDrawAsync(Id, ct);
        if (!found.Succeeded)
        {
            return false;
        }

        Draw = found.Value;
        var plan = await db.Set<QualitySamplingPlan>().AsNoTracking().SingleAsync(p => p.Id == Draw.PlanId, ct);
        (PlanName, Zone) = (plan.Name, plan.TimeZone);
        return true;
    }
}
