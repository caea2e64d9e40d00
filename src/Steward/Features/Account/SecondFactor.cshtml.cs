using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Account;

/// <summary>The second step of a sign-in: the code from the authenticator app, or a recovery code.</summary>
public sealed class SecondFactorModel(PendingSignIn pending, TwoFactorService twoFactor, SignInService signIn, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await pending.ReadAsync(Request, ct) is { Need: SecondFactorNeed.Code } ? Page() : Redirect("/Account/SignIn");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await pending.ReadAsync(Request, ct) is not { Need: SecondFactorNeed.Code } waiting)
        {
            return Redirect("/Account/SignIn");
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            Message = l["account.twoFactor.codeMissing"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var verdict = await twoFactor.VerifyAsync(waiting.Staff.Id, Code, ct);
        await signIn.RecordSecondStepAsync(waiting.Staff, verdict, ct);
        Code = null;
        switch (verdict)
        {
            case SecondFactorVerdict.Accepted:
                await PendingSignIn.CompleteAsync(HttpContext, waiting.Staff, time, waiting.Method);
                return LocalRedirect(Url.IsLocalUrl(waiting.ReturnUrl) ? waiting.ReturnUrl : "/");
            case SecondFactorVerdict.Locked:
                PendingSignIn.End(Response);
                Message = l["account.twoFactor.locked"];
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
            default:
                Message = l["account.twoFactor.codeWrong"];
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
