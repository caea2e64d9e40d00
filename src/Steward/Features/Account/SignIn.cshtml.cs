using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Steward.Platform.Identity;
using Steward.Platform.Identity.Sso;
using Steward.Platform.Localization;

namespace Steward.Features.Account;

public sealed class SignInModel(SignInService signIn, PendingSignIn pending, IStringLocalizer<SharedResource> l, TimeProvider time, IOptions<SsoOptions> sso) : PageModel
{
    /// <summary>The provider's name on the "Sign in with …" button; null when single sign-on is off.</summary>
    public string? SsoProvider => sso.Value.Enabled
        ? (System.Globalization.CultureInfo.CurrentUICulture.Name.StartsWith("zh", StringComparison.Ordinal) ? sso.Value.DisplayName : sso.Value.DisplayNameEn)
        : null;

    [BindProperty]
    public string Username { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Message { get; private set; }

    /// <summary>Why a single sign-on came back refused (<c>unknown</c>, <c>unmapped</c>, <c>failed</c>), shown as a message.</summary>
    [BindProperty(SupportsGet = true, Name = "sso")]
    public string? SsoRefusal { get; set; }

    public void OnGet()
    {
        if (SsoRefusal is "unknown" or "unmapped" or "failed" or "unavailable")
        {
            Message = l["account.sso." + SsoRefusal];
        }
    }

    /// <summary>Starts single sign-on (a link, not a form: the provider is another origin, which the form-action policy forbids).</summary>
    public async Task<IActionResult> OnGetSsoAsync([FromServices] SsoSignIn sign, [FromServices] ILogger<SignInModel> logger)
    {
        if (!sso.Value.Enabled)
        {
            return NotFound();
        }

        var next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/";
        try
        {
            // The handler reads the provider's discovery document first: when the provider cannot be reached the person
            // reads that here (and the attempt is in the history), not an error page.
            await HttpContext.ChallengeAsync(SsoOptions.Scheme, new AuthenticationProperties { RedirectUri = next });
            return new EmptyResult();
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or IOException && !HttpContext.RequestAborted.IsCancellationRequested)
        {
            logger.LogWarning("Single sign-on could not start: {Reason}", e.Message);
            await sign.RecordFailureAsync(HttpContext.RequestAborted);
            return Redirect("/Account/SignIn?sso=unavailable");
        }
    }

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

                await PendingSignIn.CompleteAsync(HttpContext, result.Staff!, time, SessionMethod.Password);
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
