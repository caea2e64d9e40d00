using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>The outer loop: improvement proposals against a service standard, tracked to done, with CSAT and NPS before and after.</summary>
public sealed class SurveyImprovementsModel(SurveyImprovements improvements, StewardDbContext db, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Segment { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Title { get; set; }

    [BindProperty]
    public string? Proposal { get; set; }

    [BindProperty]
    public SurveyStandardKind? StandardKind { get; set; }

    [BindProperty]
    public string? StandardRef { get; set; }

    [BindProperty]
    public long? OwnerId { get; set; }

    [BindProperty]
    public DateOnly? DueOn { get; set; }

    [BindProperty]
    public long? BranchId { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    [BindProperty]
    public int Version { get; set; }

    /// <summary>The proposal whose done form failed (its errors show beside it).</summary>
    public long? FailedId { get; private set; }

    public IReadOnlyList<SurveyImprovementDto> Items { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name)> Staff { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name)> Branches { get; private set; } = [];

    public bool CanManage => improvements.CanManage;

    public bool InstitutionScope => user.HasInstitutionScope;

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string field) => Shared.FieldErrors.For(Error, field);

    /// <summary>
    /// The segment a proposal came from as a person reads it ("渠道：柜台", "Channel: Counter"), not its stored key
    /// ("Channel:Counter"): the dimension's name, and the channel, kind or branch by name; other keys as they are.
    /// </summary>
    public string SegmentText(string segment, Func<string, string> text)
    {
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !Enum.TryParse<SurveyAnalysisDimension>(segment[..colon], out var dimension))
        {
            return segment;
        }

        var key = segment[(colon + 1)..];
        var value = dimension switch
        {
            SurveyAnalysisDimension.Channel => text("case.channel." + key),
            SurveyAnalysisDimension.Kind => text("case.kind." + key),
            SurveyAnalysisDimension.Branch when long.TryParse(key, out var id) && Branches.FirstOrDefault(b => b.Id == id) is { Name: { } name } => name,
            _ => key,
        };
        var separator = System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? "：" : ": ";
        return text("enum.SurveyAnalysisDimension." + dimension) + separator + value;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var done = await improvements.CreateAsync(new SurveyImprovementRequest(Title, Proposal, StandardKind, StandardRef, OwnerId, DueOn, BranchId, Segment), ct);
        if (done.Succeeded)
        {
            return Redirect("/Surveys/Improvements");
        }

        Error = done.Error;
        Response.StatusCode = done.Error.Status;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDoneAsync(long id, CancellationToken ct)
    {
        var done = await improvements.CompleteAsync(id, new SurveyImprovementDoneRequest(Note, Version), ct);
        if (done.Succeeded)
        {
            return Redirect("/Surveys/Improvements");
        }

        (Error, FailedId) = (done.Error, id);
        Response.StatusCode = done.Error.Status;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Items = await improvements.ListAsync(ct);
        var branchIds = user.BranchIds.ToList();
        var branches = db.Set<Branch>().AsNoTracking().Where(b => b.IsActive);
        branches = user.HasInstitutionScope ? branches : branches.Where(b => branchIds.Contains(b.Id));
        var chinese = Platform.Localization.Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture);
        Branches = [.. (await branches.OrderBy(b => b.Code).Select(b => new { b.Id, b.Name, b.NameEn }).ToListAsync(ct)).Select(b => (b.Id, chinese || b.NameEn.Length == 0 ? b.Name : b.NameEn))];
        var staff = db.Set<Staff>().AsNoTracking().Where(s => s.IsActive);
        staff = user.HasInstitutionScope ? staff : staff.Where(s => branchIds.Contains(s.HomeBranchId));
        Staff = [.. (await staff.OrderBy(s => s.DisplayName).Take(500).Select(s => new { s.Id, s.DisplayName }).ToListAsync(ct)).Select(s => (s.Id, s.DisplayName))];
    }
}
