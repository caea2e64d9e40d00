using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Complaints;

/// <summary>
/// The letter templates: the version in force of each kind and language, one of them opened with its text, the variables a
/// template may use, the statements it must make and its history; compliance publishes a new version (refusals at the text).
/// </summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintLetterTemplatesModel(ComplaintLetterTemplates templates, CurrentUser user) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public ComplaintLetterKind Kind { get; set; } = ComplaintLetterKind.Acknowledgment;

    [BindProperty(SupportsGet = true)]
    public string? Language { get; set; }

    [BindProperty]
    public int? BasedOn { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<ComplaintLetterTemplateDto> InForce { get; private set; } = [];

    public IReadOnlyList<ComplaintLetterTemplateDto> History { get; private set; } = [];

    public ComplaintLetterTemplateDto? Selected { get; private set; }

    public bool CanPublish => user.Can(Permission.ComplaintsOversee);

    public string SelectedLanguage => ComplaintLetterTemplates.LanguageOf(Language) ?? Platform.Localization.Cultures.Chinese;

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(string key) => Shared.FieldErrors.For(Error, key);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var published = await templates.PublishAsync(new ComplaintLetterTemplatePublishRequest(Kind, SelectedLanguage, BasedOn, Body, Note), ct);
        if (published.Succeeded)
        {
            return Redirect(FormattableString.Invariant($"/Complaints/LetterTemplates?kind={Kind}&language={SelectedLanguage}"));
        }

        if (published.Error is ForbiddenError)
        {
            return Forbid();
        }

        Error = published.Error;
        return await ShowAsync(ct, published.Error.Status);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken ct, int status = StatusCodes.Status200OK)
    {
        InForce = await templates.InForceAsync(ct);
        History = await templates.HistoryAsync(Kind, SelectedLanguage, ct);
        Selected = History.FirstOrDefault();
        if (Selected is null)
        {
            return NotFound();
        }

        if (Error is null)
        {
            (Body, BasedOn) = (Selected.Body, Selected.Version);
        }

        Response.StatusCode = status;
        return Page();
    }
}
