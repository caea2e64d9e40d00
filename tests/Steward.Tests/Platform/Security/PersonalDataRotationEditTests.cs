using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
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
/// Issue 12, key rotation, the cases <see cref="PersonalDataKeyRotationTests"/> leaves out: a customer edited under the new
/// key before the job runs keeps the edit (the job rewrites only the case contact still under key 1), the customer is found
/// by the new phone and by identity number but no longer by the old phone, the case contact still decrypts, and no
/// plaintext reaches the database.
/// </summary>
public sealed class PersonalDataRotationEditTests
{
    [Theory, BothDatabases]
    public async Task AnEditUnderTheNewKey_SurvivesTheJob_AndCaseContactAndIdSearchStillWork(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var second = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var created = await (await (await app.ApiClientAsync(agent.Username)).PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual()))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var caseId = (await StewardApp.CreateCaseAsync(await app.ApiClientAsync(agent.Username))).GetProperty("id").GetInt64();

        await using var rotated = app.StartNodeWith(new Dictionary<string, string?> { ["Security:PersonalData:Keys:2"] = second, ["Security:PersonalData:ActiveKeyId"] = "2" });
        var api = await rotated.ApiClientAsync(agent.Username);
        // The agent changes the phone before the job has run: every value of the file is written again, under key 2.
        await (await api.PutJsonAsync($"/api/v1/customers/{id}", CustomerFileTests.Individual(phone: "13600001111", version: created.GetProperty("version").GetInt32())))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        await using (var scope = rotated.Services.CreateAsyncScope())
        {
            // Left under key 1: only the case's contact phone.
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PersonalDataReencryption>().RunAsync());
        }

        var hit = Assert.Single((await (await api.GetAsync("/api/v1/customers?q=13600001111")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, hit.GetProperty("id").GetInt64());
        Assert.Empty((await (await api.GetAsync("/api/v1/customers?q=13912345678")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var byId = Assert.Single((await (await api.GetAsync("/api/v1/customers?q=" + CustomerFileTests.Adult)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        Assert.Equal(id, byId.GetProperty("id").GetInt64());

        var detail = await (await api.GetAsync($"/api/v1/cases/{caseId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("138****8000", detail.GetProperty("contact").GetProperty("phone").GetString()); // 13800138000 masked

        var stored = JsonSerializer.Serialize(await rotated.WithDbAsync(db => db.Set<Customer>().AsNoTracking().ToListAsync()))
            + JsonSerializer.Serialize(await rotated.WithDbAsync(db => db.Set<Case>().AsNoTracking().Select(c => new { c.ContactPhoneCipher, c.ContactEmailCipher, c.ContactPhoneIndex }).ToListAsync()));
        foreach (var plain in new[] { "13600001111", "13912345678", "13800138000", CustomerFileTests.Adult, "ouyang.mingyue@mail.example" })
        {
            Assert.DoesNotContain(plain, stored, StringComparison.Ordinal);
        }

        var ciphers = await rotated.WithDbAsync(db => db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(c => new[] { c.IdNumberCipher, c.PhoneCipher, c.EmailCipher, c.AddressCipher }).SingleAsync());
        Assert.All(ciphers, v => Assert.StartsWith("v2:2:", v, StringComparison.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task ANodeWithoutTheKey_AnswersAProblemNamingTheMissingKey_NotABare500(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        long id;
        await using (var rotated = app.StartNodeWith(new Dictionary<string, string?>
        {
            ["Security:PersonalData:Keys:2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ["Security:PersonalData:ActiveKeyId"] = "2",
        }))
        {
            id = (await (await (await rotated.ApiClientAsync(agent.Username)).PostJsonAsync("/api/v1/customers", CustomerFileTests.Individual()))
                .ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }

        // The first node was never given key 2: the masked file cannot be built.
        var problem = await (await (await app.ApiClientAsync(agent.Username)).GetAsync($"/api/v1/customers/{id}")).ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        Assert.Equal("personal-data-key-missing", problem.GetProperty("code").GetString());
        Assert.Equal("此服务器无法读取个人信息", problem.GetProperty("title").GetString());
    }
}
