using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Localization;

namespace Steward.Platform.Identity;

/// <summary>
/// A password accepted whose second factor (or its set-up) is still to come: who, their security stamp then, what is
/// needed, where to go after and until when — in a cookie of its own, encrypted and signed by Data Protection, good for
/// <see cref="TwoFactorOptions.PendingMinutes"/>. The person is not signed in until the second step completes; a changed
/// stamp (password reset, account disabled) voids it.
/// </summary>
public sealed class PendingSignIn(IDataProtectionProvider protection, TimeProvider time, Microsoft.Extensions.Options.IOptions<TwoFactorOptions> options, StewardDbContext db)
{
    public const string CookieName = "steward.2fa";

    private IDataProtector Protector => protection.CreateProtector("Steward.Account.PendingSignIn.v1");

    /// <summary><see cref="Method"/>: how the first step was made (the password, or single sign-on without multi-factor at the provider).</summary>
    public sealed record Pending(Staff Staff, SecondFactorNeed Need, string ReturnUrl, SessionMethod Method);

    public void Begin(HttpResponse response, Staff staff, SecondFactorNeed need, string returnUrl, SessionMethod method = SessionMethod.Password)
    {
        var until = time.GetUtcNow().AddMinutes(options.Value.PendingMinutes).ToUnixTimeSeconds();
        var payload = string.Join('\n', staff.Id.ToString(CultureInfo.InvariantCulture), staff.SecurityStamp, need.ToString(), until.ToString(CultureInfo.InvariantCulture), method.ToString(), returnUrl);
        response.Cookies.Append(CookieName, Protector.Protect(payload), new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps, Path = "/Account", IsEssential = true,
        });
    }

    /// <summary>The pending sign-in of this browser, if any and still good.</summary>
    public async Task<Pending?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return null;
        }

        string[] parts;
        try
        {
            parts = Protector.Unprotect(cookie).Split('\n');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        if (parts.Length != 6 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var staffId)
            || !Enum.TryParse<SecondFactorNeed>(parts[2], out var need) || !Enum.TryParse<SessionMethod>(parts[4], out var method)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var until) || time.GetUtcNow().ToUnixTimeSeconds() > until)
        {
            return null;
        }

        var staff = await db.Set<Staff>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId, ct);
        return staff is { IsActive: true } && staff.SecurityStamp == parts[1] ? new Pending(staff, need, parts[5], method) : null;
    }

    public static void End(HttpResponse response) => response.Cookies.Delete(CookieName, new CookieOptions { Path = "/Account" });

    /// <summary>Signs the person in with the cookie in a new session (the second step done) and ends the pending sign-in.</summary>
    public static async Task CompleteAsync(HttpContext http, Staff staff, TimeProvider time, SessionMethod method)
    {
        End(http.Response);
        var key = await http.RequestServices.GetRequiredService<StaffSessions>().StartAsync(staff, method, http.RequestAborted);
        var principal = SignInService.CreatePrincipal(staff, CookieAuthenticationDefaults.AuthenticationScheme, key);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        if (staff.Culture is { Length: > 0 } preferred && Cultures.Supported.Contains(preferred))
        {
            Cultures.Remember(http.Response, preferred, time);
        }
    }
}
