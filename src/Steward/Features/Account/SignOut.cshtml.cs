using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Steward.Features.Account;

public sealed class SignOutModel(Steward.Platform.Identity.StaffSessions sessions) : PageModel
{
    /// <summary>Ends the session (it no longer appears among the person's sessions) and the cookie.</summary>
    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await sessions.EndCurrentAsync(User, ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/Account/SignIn");
    }
}
