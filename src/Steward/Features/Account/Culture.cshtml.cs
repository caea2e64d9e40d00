using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Account;

/// <summary>
/// Switches the UI language: remembers the choice in a cookie for a year and, for a signed-in staff
/// member, in their account, so it follows them to another browser at the next sign-in.
/// </summary>
public sealed class CultureModel(TimeProvider time, CurrentUser user, StewardDbContext db) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(string culture, string? returnUrl, CancellationToken ct)
    {
        var chosen = Cultures.Supported.Contains(culture) ? culture : Cultures.Chinese;
        Cultures.Remember(Response, chosen, time);
        if (user.StaffId is { } staffId && await db.Set<Staff>().SingleOrDefaultAsync(s => s.Id == staffId, ct) is { } staff && staff.Culture != chosen)
        {
            staff.Culture = chosen;
            await db.SaveChangesAsync(ct);
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
