using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Database;

public sealed class KeyRingTests
{
    [Theory, BothDatabases]
    public async Task KeyRing_IsStoredEncrypted_AndStillSignsPeopleIn(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var (_, client) = await app.SignInAsync((await app.CreateBranchAsync()).Id, Steward.Platform.Identity.StaffRole.Agent);
        using var me = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);

        var stored = await app.WithDbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());
        Assert.NotEmpty(stored);
        foreach (var xml in stored)
        {
            // The plain key ring holds the key material as <masterKey><value>base64</value></masterKey>.
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
            Assert.Matches("<encryptedSecret [^>]*KeyRingDecryptor[^>]*><stewardKeyRing version=\"1\"[^>]*>v1:", xml);
        }
    }
}
