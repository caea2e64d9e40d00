using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

/// <summary>
/// A staff member changes their own password: the current one is checked, the new one must meet the
/// policy, and every other sign-in of the account ends (new security stamp); this browser stays signed in.
/// The current password is checked by <see cref="SignInService"/>, under the same lockout as the sign-in page: a
/// session left open (or taken) is no way to guess the password without limit. When the guesses lock the account,
/// this session ends too.
/// </summary>
public sealed class PasswordModel(StewardDbContext db, IPasswordHasher<Staff> hasher, PasswordPolicy policy, CurrentUser user,
    SignInService signIn, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string Current { get; set; } = "";

    [BindProperty]
    public string New { get; set; } = "";

    [BindProperty]
    public string Confirm { get; set; } = "";

    public bool Done { get; private set; }

    /// <summary>Too many wrong current passwords: the account is locked and this session has ended.</summary>
    public bool Locked { get; private set; }

    public Error? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = await signIn.CheckAsync(user.Username, Current ?? "", ct, reconfirm: true);
        if (check.Outcome == SignInOutcome.LockedOut)
        {
            await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            Locked = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var staff = await db.Set<Staff>().SingleAsync(s => s.Id == user.StaffId, ct);
        var errors = new Dictionary<string, string[]>();
        if (check.Outcome != SignInOutcome.Success)
        {
            errors["current"] = [l["account.password.currentWrong"]];
        }

        var broken = policy.Check(New ?? "", staff.Username);
        if (broken.Count > 0)
        {
            errors["new"] = broken.Select(OrganisationService.PasswordMessage).ToArray();
        }
        else if (New != Confirm)
        {
            errors["confirm"] = [l["account.password.confirmDiffers"]];
        }

        if (errors.Count > 0)
        {
            Error = new InvalidError("validation", l["account.password.notChanged"], "", errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        staff.PasswordHash = hasher.HashPassword(staff, New!);
        staff.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SignInService.CreatePrincipal(staff, CookieAuthenticationDefaults.AuthenticationScheme, StaffSessions.CurrentKey(User)));
        Done = true;
        return Page();
    }
}
