using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>A stored letter, printable (the browser's print, or Chromium's PDF).</summary>
[RequirePermission(Permission.ComplaintsHandle)]
public sealed class ComplaintLetterModel(ComplaintLetters letters, ComplaintLetterPdf pdf) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public long LetterId { get; set; }

    public ComplaintLetterDto? Letter { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var letter = await letters.GetAsync(Id, LetterId, ct);
        if (!letter.Succeeded)
        {
            return NotFound();
        }

        Letter = letter.Value;
        return Page();
    }

    /// <summary>The letter as PDF, printed on the server (headless Chromium).</summary>
    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        var printed = await pdf.PrintAsync(Id, LetterId, ct);
        return printed.Succeeded ? File(printed.Value.Content, "application/pdf", printed.Value.FileName) : NotFound();
    }
}
