using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Demo;

/// <summary>
/// Two-factor sign-in in the demo: <c>compliance2</c> has an authenticator with a published demo key (README), so that the
/// second sign-in step can be tried on first start; the other accounts, which the crawl and the bench sign in as with the
/// password alone, have none, and no role requires it (Admin → Sign-in policy shows the counts).
/// </summary>
internal static class TwoFactorDemoData
{
    /// <summary>RFC 4648 Base32 of the 20 bytes <c>"steward-demo-2fa-key"</c>; a demo-only secret, as the demo password is.</summary>
    public const string DemoKey = "ON2GK53BOJSC2ZDFNVXS2MTGMEWWWZLZ";

    public const string Account = "compliance2";

    public static async Task SeedAsync(StewardDbContext db, PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var staffId = await db.Set<Staff>().Where(s => s.Username == Account).Select(s => s.Id).SingleAsync(ct);
        db.Add(new StaffTwoFactor { StaffId = staffId, SecretCipher = protector.Encrypt(DemoKey)!, EnabledAt = now, CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }
}
