using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;
using Steward.Tests.Features.Customers;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

/// <summary>
/// Issue 12, "Rotating the personal-data key leaves every customer readable and findable": a second key becomes active,
/// new values are written under it, the job rewrites the old ones, every customer and case contact still reads and is
/// still found by phone, and the first key can then leave the ring (its index key kept).
/// </summary>
public sealed class PersonalDataKeyRotationTests
{
    [Theory, BothDatabases]
    public async Task RotatingTheKey_RewritesOldValues_AndEveryCustomerStaysReadableAndFindableByPhone(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var first = app.Settings["Security:PersonalData:Key"]!;
        var second = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var branch = await app.CreateBranchAsync();
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var before = await (await (await app.ApiClientAsync(agent.Username)).PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual()))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = before.GetProperty("id").GetInt64();
        await StewardApp.CreateCaseAsync(await app.ApiClientAsync(agent.Username));
        Assert.StartsWith("v1:", await PhoneCipherAsync(app, id), StringComparison.Ordinal);

        // The operator adds key 2 and makes it active (key 1 stays to read what is stored).
        await using (var rotated = app.StartNodeWith(new Dictionary<string, string?> { ["Security:PersonalData:Keys:2"] = second, ["Security:PersonalData:ActiveKeyId"] = "2" }))
        {
            var agentApi = await rotated.ApiClientAsync(agent.Username);
            var later = await (await agentApi.PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual(CustomerFileTests.Younger, "1990-02-28", "13700009999")))
                .ShouldBeJsonAsync(HttpStatusCode.Created);
            Assert.StartsWith("v2:2:", await PhoneCipherAsync(rotated, later.GetProperty("id").GetInt64()), StringComparison.Ordinal);

            var report = await (await (await rotated.ApiClientAsync(admin.Username)).GetAsync("/api/v1/admin/personal-data/keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal("2", report.GetProperty("activeKeyId").GetString());
            // Under key 1: the first customer's identity number, phone, e-mail and address, and the case's contact phone.
            Assert.Equal(5, report.GetProperty("stale").GetInt64());

            await using (var scope = rotated.Services.CreateAsyncScope())
            {
                Assert.Equal(5, await scope.ServiceProvider.GetRequiredService<PersonalDataReencryption>().RunAsync());
            }

            await using (var scope = rotated.Services.CreateAsyncScope())
            {
                Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<PersonalDataReencryption>().RunAsync()); // nothing left: idempotent
            }

            var text = await rotated.WithDbAsync(db => db.Set<Customer>().AsNoTracking().Select(c => new { c.IdNumberCipher, c.PhoneCipher, c.EmailCipher, c.AddressCipher }).ToListAsync());
            Assert.All(text.SelectMany(c => new[] { c.IdNumberCipher, c.PhoneCipher, c.EmailCipher, c.AddressCipher }).OfType<string>(), v => Assert.StartsWith("v2:2:", v, StringComparison.Ordinal));
            var caseText = await rotated.WithDbAsync(db => db.Set<Case>().AsNoTracking().Select(c => c.ContactPhoneCipher).ToListAsync());
            Assert.All(caseText.OfType<string>(), v => Assert.StartsWith("v2:2:", v, StringComparison.Ordinal));
            // Re-encryption is not a change of the file: the version a form holds stays valid.
            Assert.Equal(before.GetProperty("version").GetInt32(), (await (await agentApi.GetAsync($"/api/v1/customers/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
        }

        // Key 1 leaves the ring; its index key stays, so the blind indexes still match.
        await using var retired = app.StartNodeWith(new Dictionary<string, string?>
        {
            ["Security:PersonalData:Key"] = null, ["Security:PersonalData:Keys:2"] = second, ["Security:PersonalData:ActiveKeyId"] = "2", ["Security:PersonalData:IndexKey"] = first,
        });
        var agentClient = await retired.ApiClientAsync(agent.Username);
        foreach (var (phone, idNumber) in new[] { ("+86 139-1234-5678", CustomerFileTests.Adult), ("13700009999", CustomerFileTests.Younger) })
        {
            var found = await (await agentClient.GetAsync("/api/v1/customers?q=" + Uri.EscapeDataString(phone))).ShouldBeJsonAsync(HttpStatusCode.OK);
            var hit = Assert.Single(found.GetProperty("items").EnumerateArray());
            var revealed = await (await (await retired.ApiClientAsync(compliance.Username)).PostJsonAsync($"/api/v1/customers/{hit.GetProperty("id").GetInt64()}/reveal", new { purpose = "核对客户身份" }))
                .ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal(idNumber, revealed.GetProperty("idNumber").GetString());
        }
    }

    [Fact]
    public void AnActiveKeyThatIsNotInTheRing_IsRefusedAtStart()
    {
        var options = new PersonalDataOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ActiveKeyId = "7" };
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PersonalDataProtector(
            Microsoft.Extensions.Options.Options.Create(options),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing", ContentRootPath = Path.GetTempPath() }));
        Assert.Contains("ActiveKeyId is '7'", error.Message, StringComparison.Ordinal);
    }

    private static Task<string?> PhoneCipherAsync(StewardApp app, long id) =>
        app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(c => c.PhoneCipher).SingleAsync());
}
