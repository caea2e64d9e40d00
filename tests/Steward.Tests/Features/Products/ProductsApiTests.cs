using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Products;

/// <summary>The product catalogue API (issue 12): the higher rating applies, field errors, status changes, risk raises, who may do what.</summary>
public sealed class ProductsApiTests
{
    private static object Fund(string code = "FND-TEST", string issuer = "R3", string distributor = "R2", int? version = null) => new
    {
        code, name = "测试混合基金", nameEn = "Test hybrid fund", category = "Fund", issuerRiskLevel = issuer, distributorRiskLevel = distributor,
        expectedReturnMinPercent = 2.5m, expectedReturnMaxPercent = 6m, liquidityDays = 3, termDays = (int?)null, minimumAmount = 1000m,
        currency = "CNY", recordedSalesRequired = true, version,
    };

    [Theory, BothDatabases]
    public async Task EffectiveRiskLevel_IsTheHigherOfTheTwoRatings_AndARaiseIsRecordedWithNoHoldersYet(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        // Issuer R3, bank R2 → R3.
        var created = await (await admin.PostJsonAsync("/api/v1/products", Fund())).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("R3", created.GetProperty("riskLevel").GetString());
        Assert.Equal("OnSale", created.GetProperty("status").GetString());
        var id = created.GetProperty("id").GetInt64();

        // The bank rates it R4 now (issuer still R3) → R4, a raise from R3.
        var raised = await (await admin.PutJsonAsync($"/api/v1/products/{id}", Fund(issuer: "R3", distributor: "R4", version: created.GetProperty("version").GetInt32())))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("R4", raised.GetProperty("riskLevel").GetString());

        // Issuer R1, bank R4 → still R4: no new raise.
        var same = await (await admin.PutJsonAsync($"/api/v1/products/{id}", Fund(issuer: "R1", distributor: "R4", version: raised.GetProperty("version").GetInt32())))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("R4", same.GetProperty("riskLevel").GetString());

        var raises = await (await admin.GetAsync($"/api/v1/products/{id}/risk-raises")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var raise = Assert.Single(raises.EnumerateArray());
        Assert.Equal("R3", raise.GetProperty("previousLevel").GetString());
        Assert.Equal("R4", raise.GetProperty("newLevel").GetString());
        Assert.Equal(0, raise.GetProperty("uncoveredHolders").GetArrayLength());

        // A stale version is refused and changes nothing.
        var stale = await (await admin.PutJsonAsync($"/api/v1/products/{id}", Fund(issuer: "R5", distributor: "R5", version: created.GetProperty("version").GetInt32())))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-version", stale.GetProperty("code").GetString());
        Assert.Equal("R4", await app.WithDbAsync(db => db.Set<Product>().Where(p => p.Id == id).Select(p => p.RiskLevel.ToString()).SingleAsync()));
    }

    [Fact]
    public void UncoveredHolders_AreThoseBelowTheNewLevel_AndTheUnassessed()
    {
        // R4 needs C4 or C5 (matching table): C3 and unassessed are left uncovered, C4 and C5 are not.
        var holders = new[]
        {
            new ProductHolder(1, "C-3", 3, 1000m), new ProductHolder(2, "C-4", 4, 1000m), new ProductHolder(3, "C-5", 5, 1000m), new ProductHolder(4, "C-0", null, 10m),
        };
        Assert.Equal(["C-0", "C-3"], ProductService.UncoveredBy(holders, ProductRiskLevel.R4).Select(h => h.CustomerReference));
        Assert.Equal(ProductRiskLevel.R5, ProductRisk.Effective(ProductRiskLevel.R5, ProductRiskLevel.R1));
        Assert.Equal(ProductRiskLevel.R2, ProductRisk.Effective(ProductRiskLevel.R1, ProductRiskLevel.R2));
    }

    [Theory, BothDatabases]
    public async Task BadProduct_IsRefusedFieldByField_InTheCallersLanguage_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var bad = new
        {
            code = "fnd mix", name = "", nameEn = "Fund", category = "Fund", issuerRiskLevel = "R2", distributorRiskLevel = (string?)null,
            expectedReturnMinPercent = 5m, expectedReturnMaxPercent = 3m, liquidityDays = -1, termDays = 0, minimumAmount = 10.005m, currency = "rmb",
            recordedSalesRequired = false,
        };

        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var en = await (await admin.PostJsonAsync("/api/v1/products", bad)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", en.GetProperty("code").GetString());
        Assert.Equal("Some fields are not valid", en.GetProperty("title").GetString());
        var errors = en.GetProperty("errors");
        Assert.Equal(
            ["code", "currency", "distributorRiskLevel", "expectedReturnMaxPercent", "liquidityDays", "minimumAmount", "name", "termDays"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("The upper end of the expected return is below the lower end.", errors.GetProperty("expectedReturnMaxPercent")[0].GetString());

        admin.DefaultRequestHeaders.AcceptLanguage.Clear();
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        var zh = await (await admin.PostJsonAsync("/api/v1/products", bad)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("部分字段无效", zh.GetProperty("title").GetString());
        Assert.Equal("请选择本行的风险评级（R1–R5）。", zh.GetProperty("errors").GetProperty("distributorRiskLevel")[0].GetString());
        Assert.Equal("流动性须为 0 至 36500 天。", zh.GetProperty("errors").GetProperty("liquidityDays")[0].GetString());

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Product>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Status_SuspendNeedsAReason_WithdrawnIsFinal_AndTheListFiltersByIt(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var created = await (await compliance.PostJsonAsync("/api/v1/products", Fund("BND-X", "R1", "R1"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt32();

        var noReason = await (await compliance.PostJsonAsync($"/api/v1/products/{id}/status", new { status = "Suspended", version })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));

        var suspended = await (await compliance.PostJsonAsync($"/api/v1/products/{id}/status", new { status = "Suspended", reason = "额度用完", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Suspended", suspended.GetProperty("status").GetString());
        Assert.Equal("额度用完", suspended.GetProperty("statusReason").GetString());
        Assert.Equal(TestClock.DefaultStart, suspended.GetProperty("statusChangedAt").GetDateTimeOffset());

        var withdrawn = await (await compliance.PostJsonAsync($"/api/v1/products/{id}/status",
            new { status = "Withdrawn", reason = "到期清算", version = suspended.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var back = await (await compliance.PostJsonAsync($"/api/v1/products/{id}/status",
            new { status = "OnSale", version = withdrawn.GetProperty("version").GetInt32() })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(back.GetProperty("errors").TryGetProperty("status", out _));

        var listed = await (await compliance.GetAsync("/api/v1/products?status=Withdrawn&category=Fund")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["BND-X"], listed.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        var onSale = await (await compliance.GetAsync("/api/v1/products?status=OnSale")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, onSale.GetProperty("total").GetInt32());

        // Searching: by a piece of the code in any case, of the Chinese name, or of the English name in any case.
        await (await compliance.PostJsonAsync("/api/v1/products", Fund("FND-Y", "R3", "R3"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        foreach (var (q, expected) in new[] { ("bnd", new[] { "BND-X" }), ("混合", new[] { "BND-X", "FND-Y" }), ("HYBRID", new[] { "BND-X", "FND-Y" }), ("fnd-y", new[] { "FND-Y" }), ("货币", Array.Empty<string>()) })
        {
            var found = await (await compliance.GetAsync("/api/v1/products?q=" + Uri.EscapeDataString(q))).ShouldBeJsonAsync(HttpStatusCode.OK);
            Assert.Equal(expected, found.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        }
    }

    [Theory, BothDatabases]
    public async Task Agents_ReadTheCatalogue_ButOnlyManagersChangeIt_AndACreateRetriedWithItsKeyIsMadeOnce(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        async Task<HttpResponseMessage> CreateAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/products") { Content = JsonContent.Create(Fund("WM-KEY", "R2", "R2"), options: StewardApp.Json) };
            request.Headers.Add("Idempotency-Key", "create-wm-key");
            return await client.SendAsync(request);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await CreateAsync(agent)).StatusCode);
        var first = await (await CreateAsync(admin)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var again = await CreateAsync(admin);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Product>().CountAsync()));

        var read = await (await agent.GetAsync($"/api/v1/products/{first.GetProperty("id").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("WM-KEY", read.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden,
            (await agent.PostJsonAsync($"/api/v1/products/{first.GetProperty("id").GetInt64()}/status", new { status = "Suspended", reason = "x", version = 1 })).StatusCode);
    }
}
