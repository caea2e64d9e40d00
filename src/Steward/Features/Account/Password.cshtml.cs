using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

/// <summary>
/// A staff member changes their own password: the current one is checked, the new one must meet the
/// policy, and every other sign-in of the account ends (new security stamp); this browser stays signed in.
/// </summary>
public sealed class PasswordModel(StewardDbContext db, IPasswordHasher<Staff> hasher, PasswordPolicy policy, CurrentUser user) : PageModel
{
    [BindProperty]
    public string Current { get; set; } = "";

    [BindProperty]
    public string New { get; set; } = "";

    [BindProperty]
    public string Confirm { get; set; } = "";

    public bool Done { get; private set; }

    public Error? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var staff = await db.Set<Staff>().SingleAsync(s => s.Id == user.StaffId, ct);
        var errors = new Dictionary<string, string[]>();
        if (hasher.VerifyHashedPassword(staff, staff.PasswordHash, Current ?? "") == PasswordVerificationResult.Failed)
        {
            errors["current"] = ["The current password is not correct. 当前密码不正确。"];
        }

        var broken = policy.Check(New ?? "", staff.Username);
        if (broken.Count > 0)
        {
            errors["new"] = broken.Select(OrganisationService.PasswordMessage).ToArray();
        }
        else if (New != Confirm)
        {
            errors["confirm"] = ["The two new passwords differ. 两次输入的新密码不一致。"];
        }

        if (errors.Count > 0)
        {
            Error = new InvalidError("validation", "The password was not changed 密码未修改", "", errors);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        staff.PasswordHash = hasher.HashPassword(staff, New!);
        staff.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(ct);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, SignInService.CreatePrincipal(staff, CookieAuthenticationDefaults.AuthenticationScheme));
        Done = true;
        return Page();
    }
}
