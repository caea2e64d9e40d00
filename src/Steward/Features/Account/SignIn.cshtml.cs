using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Account;

public sealed class SignInModel(SignInService signIn, PendingSignIn pending, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    [BindProperty]
    public string Username { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            Message = l["account.signin.missing"];
            return Page();
        }

        var result = await signIn.CheckAsync(Username, Password, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Success:
                var next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
                if (result.Need != SecondFactorNeed.None)
                {
                    // Not in yet: the code, or setting up the authenticator a role requires, comes first.
                    pending.Begin(Response, result.Staff!, result.Need, next);
                    return Redirect(result.Need == SecondFactorNeed.Code ? "/Account/SecondFactor" : "/Account/TwoFactor");
                }

                await PendingSignIn.CompleteAsync(HttpContext, result.Staff!, time);
                return LocalRedirect(next);
            case SignInOutcome.LockedOut:
                Message = l["account.signin.locked"];
                break;
            case SignInOutcome.InvalidCredentials:
                Message = l["account.signin.invalid"];
                break;
        }

        Password = "";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
