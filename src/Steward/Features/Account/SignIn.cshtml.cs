using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Account;

public sealed class SignInModel(SignInService signIn, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
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
                var principal = SignInService.CreatePrincipal(result.Staff!, CookieAuthenticationDefaults.AuthenticationScheme);
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
                if (result.Staff!.Culture is { Length: > 0 } preferred && Cultures.Supported.Contains(preferred))
                {
                    CultureModel.Remember(Response, preferred, time);
                }

                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
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
