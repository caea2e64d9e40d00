using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using QRCoder;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

/// <summary>
/// Setting up, renewing and turning off two-factor sign-in: for the person signed in, or — when a role they hold
/// requires it — for someone whose password was just accepted, who is signed in once it is set up.
/// </summary>
public sealed class TwoFactorModel(TwoFactorService twoFactor, PendingSignIn pending, CurrentUser user, TimeProvider time) : PageModel
{
    public TwoFactorState? State { get; private set; }

    public TwoFactorEnrolment? Enrolment { get; private set; }

    /// <summary>The QR code of <see cref="Enrolment"/>'s link, as an SVG data URI.</summary>
    public string? QrCode { get; private set; }

    /// <summary>Recovery codes just made: shown this once.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public Error? Error { get; private set; }

    /// <summary>Which form <see cref="Error"/> belongs to.</summary>
    public string? Form { get; private set; }

    /// <summary>Set up because a role requires it, before the person is in.</summary>
    public bool Enrolling { get; private set; }

    /// <summary>Where a person signed in by setting it up goes next.</summary>
    public string? Next { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await WhoAsync(ct) is not { } staffId)
        {
            return Redirect("/Account/SignIn");
        }

        if (Enrolling)
        {
            // Required by a role: the secret is made on arrival, there is nothing else to do here.
            var begun = await twoFactor.PendingAsync(staffId, ct) ?? (await twoFactor.BeginAsync(staffId, ct)).Value;
            Show(begun);
        }
        else
        {
            Show(await twoFactor.PendingAsync(staffId, ct));
        }

        return await PageAsync(staffId, ct);
    }

    public async Task<IActionResult> OnPostBeginAsync(CancellationToken ct)
    {
        if (await WhoAsync(ct) is not { } staffId)
        {
            return Redirect("/Account/SignIn");
        }

        var begun = await twoFactor.BeginAsync(staffId, ct);
        if (!begun.Succeeded)
        {
            return await RefusedAsync(staffId, begun.Error, "begin", ct);
        }

        Show(begun.Value);
        return await PageAsync(staffId, ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(string? code, CancellationToken ct)
    {
        if (await WhoAsync(ct) is not { } staffId)
        {
            return Redirect("/Account/SignIn");
        }

        var done = await twoFactor.ConfirmAsync(staffId, code, ct);
        if (!done.Succeeded)
        {
            Show(await twoFactor.PendingAsync(staffId, ct));
            return await RefusedAsync(staffId, done.Error, "confirm", ct);
        }

        RecoveryCodes = done.Value.RecoveryCodes;
        if (Enrolling && await pending.ReadAsync(Request, ct) is { } waiting)
        {
            // Set up: the person is in now, and sees their recovery codes before going on.
            await PendingSignIn.CompleteAsync(HttpContext, waiting.Staff, time, waiting.Method);
        }

        return await PageAsync(staffId, ct);
    }

    public async Task<IActionResult> OnPostRenewAsync(string? code, CancellationToken ct)
    {
        if (await WhoAsync(ct) is not { } staffId || Enrolling)
        {
            return Redirect("/Account/SignIn");
        }

        var renewed = await twoFactor.RenewRecoveryCodesAsync(staffId, code, ct);
        if (!renewed.Succeeded)
        {
            return await RefusedAsync(staffId, renewed.Error, "renew", ct);
        }

        RecoveryCodes = renewed.Value.RecoveryCodes;
        return await PageAsync(staffId, ct);
    }

    public async Task<IActionResult> OnPostDisableAsync(string? code, CancellationToken ct)
    {
        if (await WhoAsync(ct) is not { } staffId || Enrolling)
        {
            return Redirect("/Account/SignIn");
        }

        var off = await twoFactor.DisableAsync(staffId, code, ct);
        return off.Succeeded ? Redirect("/Account/TwoFactor") : await RefusedAsync(staffId, off.Error, "disable", ct);
    }

    public IReadOnlyList<string> FieldErrors(string form) => Form == form ? Shared.FieldErrors.For(Error, "code") : [];

    private async Task<long?> WhoAsync(CancellationToken ct)
    {
        if (user.IsAuthenticated)
        {
            return user.StaffId;
        }

        if (await pending.ReadAsync(Request, ct) is { Need: SecondFactorNeed.Enrolment } waiting)
        {
            Enrolling = true;
            Next = Url.IsLocalUrl(waiting.ReturnUrl) ? waiting.ReturnUrl : "/";
            return waiting.Staff.Id;
        }

        return null;
    }

    private void Show(TwoFactorEnrolment? enrolment)
    {
        Enrolment = enrolment;
        if (enrolment is not null)
        {
            using var data = QRCodeGenerator.GenerateQrCode(enrolment.Uri, QRCodeGenerator.ECCLevel.M);
            var svg = new SvgQRCode(data).GetGraphic(4);
            QrCode = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
        }
    }

    private async Task<IActionResult> PageAsync(long staffId, CancellationToken ct)
    {
        State = await twoFactor.StateAsync(staffId, ct);
        return Page();
    }

    private async Task<IActionResult> RefusedAsync(long staffId, Error error, string form, CancellationToken ct)
    {
        Error = error;
        Form = form;
        Response.StatusCode = error.Status;
        return await PageAsync(staffId, ct);
    }
}
