using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Holdings;

/// <summary>
/// Issue 12, "When a product's risk level is raised, holders whose level no longer covers it are listed and told": each
/// uncovered holder's relationship manager — or, without one, the home branch's managers — is notified, with a link to
/// the customer; holders still covered tell nobody.
/// </summary>
public sealed class RiskRaiseNoticeTests
{
    [Theory, BothDatabases]
    public async Task RaisingAProduct_TellsTheRelationshipManagerOfEachUncoveredHolder_OrTheBranchManager(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (rm, rmClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, managerClient) = await app.SignInAsync(branch.Id, StaffRole.BranchManager);
        var (coveredRm, coveredRmClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var served = await app.CreateCustomerAsync(branch.Id, name: "李明");
        var unserved = await app.CreateCustomerAsync(branch.Id, name: "王芳");
        var covered = await app.CreateCustomerAsync(branch.Id, name: "赵强");
        await app.WithDbAsync(async db =>
        {
            await db.Set<Customer>().Where(c => c.Id == served.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskTolerance, RiskTolerance.C2).SetProperty(c => c.RelationshipManagerId, rm.Id));
            await db.Set<Customer>().Where(c => c.Id == unserved.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskTolerance, RiskTolerance.C1));
            await db.Set<Customer>().Where(c => c.Id == covered.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskTolerance, RiskTolerance.C4).SetProperty(c => c.RelationshipManagerId, coveredRm.Id));
        });
        var created = await (await admin.PostJsonAsync("/api/v1/products", new
        {
            code = "FND-RAISE", name = "平衡基金", nameEn = "Balanced fund", category = "Fund", issuerRiskLevel = "R1", distributorRiskLevel = "R1",
            liquidityDays = 3, currency = "CNY", recordedSalesRequired = false,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var csv = $"customer_reference,product_code,balance,currency,as_of\n{served.Reference},FND-RAISE,5000,CNY,2026-11-20\n{unserved.Reference},FND-RAISE,800,CNY,2026-11-20\n"
            + $"{covered.Reference},FND-RAISE,9000,CNY,2026-11-20\n";
        await (await admin.PostAsync("/api/v1/holdings/imports", new StringContent(csv, Encoding.UTF8, "text/csv"))).ShouldBeJsonAsync(HttpStatusCode.Created);

        // R1 → R3: C1 and C2 no longer cover it (C1 covers R1, C2 up to R2); C4 still does.
        await (await admin.PutJsonAsync($"/api/v1/products/{created.GetProperty("id").GetInt64()}", new
        {
            code = "FND-RAISE", name = "平衡基金", nameEn = "Balanced fund", category = "Fund", issuerRiskLevel = "R1", distributorRiskLevel = "R3",
            liquidityDays = 3, currency = "CNY", recordedSalesRequired = false, version = created.GetProperty("version").GetInt32(),
        })).ShouldBeJsonAsync(HttpStatusCode.OK);

        var toRm = await NoticesAsync(rmClient);
        var notice = Assert.Single(toRm);
        Assert.Equal($"/Customers/Details?id={served.Id}", notice.GetProperty("link").GetString());
        Assert.Equal($"产品「平衡基金」风险等级由 R1 上调为 R3，客户 {served.Reference}（C2）已不再匹配：请告知客户，必要时重新测评。", notice.GetProperty("text").GetString());
        var toManager = Assert.Single(await NoticesAsync(managerClient));
        Assert.Equal($"/Customers/Details?id={unserved.Id}", toManager.GetProperty("link").GetString());
        Assert.Empty(await NoticesAsync(coveredRmClient));
    }

    private static async Task<List<JsonElement>> NoticesAsync(HttpClient client)
    {
        var page = await (await client.GetAsync("/api/v1/notifications")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "product.riskRaised")];
    }
}
