using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Cases;
using Steward.Platform.Problems;

namespace Steward.Features.Cases.Public;

/// <summary>
/// A customer's view of their case at <c>/Public/Status</c> (no sign-in): the reference and the
/// phone number or e-mail given on the request unlock status, dates and public replies, never
/// internal notes or staff names. An unknown reference and a wrong contact get the same answer
/// (404, same words), so the page tells nothing about cases the caller cannot prove are theirs.
/// The form posts, so the contact never appears in a URL or a server log. While the case is open the customer may write on
/// it and send a file (<see cref="PublicCaseReplies"/>): the reference and contact go with that form too (hidden fields,
/// posted, never in the URL) and are checked again.
/// </summary>
public sealed class StatusModel(PublicCaseService intake, PublicCaseReplies replies) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    [BindProperty]
    public string? Contact { get; set; }

    public PublicCaseStatus? Result { get; private set; }

    public bool NotFoundShown { get; private set; }

    /// <summary>What the customer wrote, kept when the message is refused so that nothing typed is lost.</summary>
    [BindProperty]
    public string? Body { get; set; }

    /// <summary>Why the customer's message was refused (its field messages show at the field).</summary>
    public Error? ReplyError { get; private set; }

    /// <summary>The customer's message was received.</summary>
    public bool ReplySent { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await BrandAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await BrandAsync(ct);
        var found = await intake.StatusAsync(new PublicStatusRequest(Reference, Contact), ct);
        if (!found.Succeeded)
        {
            NotFoundShown = true;
            Response.StatusCode = found.Error.Status;
            return Page();
        }

        Result = found.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostReplyAsync(IFormFile? file, CancellationToken ct)
    {
        await BrandAsync(ct);
        await using var stream = file is { Length: > 0 } ? file.OpenReadStream() : null;
        var sent = await replies.ReplyAsync(new PublicReplyRequest(Reference, Contact, Body), stream is null ? null : new PublicFile(file!.FileName, stream, file.Length), ct);

        if (sent.Succeeded)
        {
            Result = sent.Value;
            ReplySent = true;
            // Sent: the form starts empty again (the posted text would otherwise be shown back and could be sent twice).
            Body = null;
            ModelState.Remove(nameof(Body));
            return Page();
        }

        Response.StatusCode = sent.Error.Status;
        var found = await intake.StatusAsync(new PublicStatusRequest(Reference, Contact), ct);
        if (!found.Succeeded)
        {
            NotFoundShown = true;
            return Page();
        }

        Result = found.Value;
        // A refused file is the file field's problem: say so there.
        ReplyError = sent.Error is AttachmentTooLarge or AttachmentTypeRefused
            ? new InvalidError(sent.Error.Code, sent.Error.Title, sent.Error.Detail, new Dictionary<string, string[]> { ["file"] = [sent.Error.Detail] })
            : sent.Error;
        return Page();
    }

    private async Task BrandAsync(CancellationToken ct) =>
        ViewData["Brand"] = await intake.InstitutionNameAsync(Platform.Localization.Cultures.IsChinese(System.Globalization.CultureInfo.CurrentUICulture), ct);

    /// <summary>The instant as local time of the case's branch (the zone comes with the status).</summary>
    public string At(DateTimeOffset instant) => CaseDisplay.At(instant, Result?.TimeZone);
}
