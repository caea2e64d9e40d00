using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Holdings;
using Steward.Features.Products;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Holdings;

/// <summary>
/// The holdings import (issue 12): every row checked and refused with its number and reason, wrong columns refuse the
/// file, the same content twice writes once, the holders a risk raise leaves uncovered, branch scope, who may import.
/// The test clock is 2026-11-23 09:00 in Shanghai, so 2026-11-24 is in the future.
/// </summary>
public sealed class HoldingImportTests
{
    private static async Task<long> ProductAsync(StewardApp app, string code, ProductRiskLevel level = ProductRiskLevel.R2) => await app.WithDbAsync(async db =>
    {
        var product = new Product
        {
            Code = code, Name = "测试基金", NameEn = "Test fund", Category = ProductCategory.Fund, IssuerRiskLevel = level, DistributorRiskLevel = level, RiskLevel = level,
        };
        db.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    });

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static Task<int> HoldingCountAsync(StewardApp app) => app.WithDbAsync(db => db.Set<Holding>().CountAsync());

    [Theory, BothDatabases]
    public async Task Import_WithGoodAndBadRows_ReportsEachBadRowWithItsNumberAndReason_AndStoresOnlyTheGoodOnes(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var a = await app.CreateCustomerAsync(branch.Id);
        var b = await app.CreateCustomerAsync(branch.Id);
        var fund = await ProductAsync(app, app.Unique("FND-H"));
        var fundCode = await app.WithDbAsync(db => db.Set<Product>().Where(p => p.Id == fund).Select(p => p.Code).SingleAsync());

        // Line 1 is the header. Good: lines 2 and 3. Bad: 4 unknown customer, 5 unknown product, 6 balance not a number,
        // 7 negative balance, 8 currency of two letters, 9 30 February, 10 tomorrow, 11 and 12 the same pair twice.
        var csv = string.Join("\n",
            "customer_reference,product_code,balance,currency,as_of",
            $"{a.Reference},{fundCode},10000.50,CNY,2026-11-20",
            $"{b.Reference},{fundCode},\"2500\",usd,2026-11-23",
            $"C-NOBODY,{fundCode},1,CNY,2026-11-20",
            $"{a.Reference},NO-SUCH,1,CNY,2026-11-20",
            $"{b.Reference},{fundCode}X,abc,CNY,2026-11-20",
            $"{b.Reference},{fundCode}Y,-5,CNY,2026-11-20",
            $"{b.Reference},{fundCode}Z,5,RM,2026-11-20",
            $"{b.Reference},{fundCode}W,5,CNY,2026-02-30",
            $"{b.Reference},{fundCode}V,5,CNY,2026-11-24",
            $"C-DUP,P-DUP,5,CNY,2026-11-20",
            $"c-dup,p-dup,6,CNY,2026-11-20",
            "");
        var response = await admin.PostAsync("/api/v1/holdings/imports?fileName=core-2026-11-23.csv", Csv(csv));
        var body = await response.ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.False(body.GetProperty("alreadyImported").GetBoolean());
        var import = body.GetProperty("import");
        Assert.Equal("core-2026-11-23.csv", import.GetProperty("fileName").GetString());
        Assert.Equal(11, import.GetProperty("rowsRead").GetInt32());
        Assert.Equal(2, import.GetProperty("rowsAccepted").GetInt32());
        Assert.Equal(9, import.GetProperty("rowsRejected").GetInt32());

        var rejected = import.GetProperty("rejections").EnumerateArray()
            .Select(r => (Row: r.GetProperty("row").GetInt32(), Field: r.GetProperty("field").GetString(), Reason: r.GetProperty("reason").GetString())).ToList();
        // Rows 5–10 name products that do not exist too (the code with a suffix), so they carry that reason beside their own.
        Assert.Contains((4, "customer_reference", "UnknownCustomer"), rejected);
        Assert.Contains((5, "product_code", "UnknownProduct"), rejected);
        Assert.Contains((6, "balance", "BalanceNotANumber"), rejected);
        Assert.Contains((7, "balance", "BalanceNegative"), rejected);
        Assert.Contains((8, "currency", "CurrencyInvalid"), rejected);
        Assert.Contains((9, "as_of", "DateInvalid"), rejected);
        Assert.Contains((10, "as_of", "DateInFuture"), rejected);
        Assert.Contains((11, "customer_reference", "Duplicate"), rejected);
        Assert.Contains((12, "customer_reference", "Duplicate"), rejected);
        Assert.DoesNotContain(rejected, r => r.Row is 2 or 3);
        var duplicate = import.GetProperty("rejections").EnumerateArray().First(r => r.GetProperty("row").GetInt32() == 11 && r.GetProperty("reason").GetString() == "Duplicate");
        Assert.Equal("12", duplicate.GetProperty("value").GetString());
        Assert.Equal("The same customer and product appear again in row(s) 12.", duplicate.GetProperty("message").GetString());

        // Only the two good rows are stored, the currency in capitals.
        var stored = await app.WithDbAsync(db => db.Set<Holding>().OrderBy(h => h.CustomerId).Select(h => new { h.CustomerId, h.ProductId, h.Balance, h.Currency, h.AsOf }).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.Equal((a.Id, fund, 10000.50m, "CNY", new DateOnly(2026, 11, 20)), (stored[0].CustomerId, stored[0].ProductId, stored[0].Balance, stored[0].Currency, stored[0].AsOf));
        Assert.Equal((b.Id, fund, 2500m, "USD", new DateOnly(2026, 11, 23)), (stored[1].CustomerId, stored[1].ProductId, stored[1].Balance, stored[1].Currency, stored[1].AsOf));

        // The result reads back the same, and in Chinese for a Chinese reader.
        var id = import.GetProperty("id").GetInt64();
        var zh = await app.ApiClientAsync((await app.CreateStaffAsync(branch.Id, StaffRole.BackOffice)).Username);
        zh.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("zh-CN"));
        var again = await (await zh.GetAsync($"/api/v1/holdings/imports/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var row4 = again.GetProperty("rejections").EnumerateArray().First(r => r.GetProperty("row").GetInt32() == 4);
        Assert.Equal("没有客户号为 C-NOBODY 的客户（或该客户不在您的机构范围内）。", row4.GetProperty("message").GetString());
        Assert.Equal(9, again.GetProperty("rowsRejected").GetInt32());

        // A later file with an older date does not replace the stored balance; a newer one does (JSON this time).
        var json = $$"""
            [{"customer_reference":"{{a.Reference}}","product_code":"{{fundCode}}","balance":1,"currency":"CNY","as_of":"2026-11-19"},
             {"customer_reference":"{{b.Reference}}","product_code":"{{fundCode}}","balance":3000.25,"currency":"USD","as_of":"2026-11-23"}]
            """;
        var second = (await (await admin.PostAsync("/api/v1/holdings/imports", new StringContent(json, Encoding.UTF8, "application/json"))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("import");
        Assert.Equal(1, second.GetProperty("rowsAccepted").GetInt32());
        Assert.Equal("OlderThanStored", Assert.Single(second.GetProperty("rejections").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal([10000.50m, 3000.25m], await app.WithDbAsync(db => db.Set<Holding>().OrderBy(h => h.CustomerId).Select(h => h.Balance).ToListAsync()));
    }

    [Theory, BothDatabases]
    public async Task Import_WithWrongColumns_IsOneErrorNamingThem_AndWritesNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        admin.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue("en"));
        var a = await app.CreateCustomerAsync(branch.Id);
        var code = app.Unique("FND-H");
        await ProductAsync(app, code);

        var csv = $"customer_reference,product,balance,currency,as_of\n{a.Reference},{code},100,CNY,2026-11-20\n";
        var problem = await (await admin.PostAsync("/api/v1/holdings/imports", Csv(csv))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("holding-columns-invalid", problem.GetProperty("code").GetString());
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("file").EnumerateArray()).GetString();
        Assert.Contains("missing: product_code", message);
        Assert.Contains("unknown: product", message);
        Assert.Equal(0, await HoldingCountAsync(app));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<HoldingImport>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Import_OfTheSameFileTwice_WritesOnce_AndAnswersWithTheFirstImport(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, office) = await app.SignInAsync(branch.Id, StaffRole.BackOffice);
        var a = await app.CreateCustomerAsync(branch.Id);
        var code = app.Unique("FND-H");
        await ProductAsync(app, code);
        var csv = $"customer_reference,product_code,balance,currency,as_of\n{a.Reference},{code},100,CNY,2026-11-20\n";

        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "core.csv" } };
        var first = (await (await office.PostAsync("/api/v1/holdings/imports", form)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("import");
        var auditBefore = await app.WithDbAsync(db => db.Set<Steward.Platform.Audit.AuditEntry>().CountAsync());

        var second = await (await office.PostAsync("/api/v1/holdings/imports?fileName=renamed.csv", Csv(csv))).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(second.GetProperty("alreadyImported").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("import").GetProperty("id").GetInt64());
        Assert.Equal("core.csv", second.GetProperty("import").GetProperty("fileName").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<HoldingImport>().CountAsync()));
        Assert.Equal(1, await HoldingCountAsync(app));
        Assert.Equal(auditBefore, await app.WithDbAsync(db => db.Set<Steward.Platform.Audit.AuditEntry>().CountAsync()));

        // The import and the holding it wrote are in the audit chain.
        Assert.NotEmpty(await app.AuditEntriesAsync(nameof(Holding), (await app.WithDbAsync(db => db.Set<Holding>().Select(h => h.Id).SingleAsync())).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task RiskRaise_ListsTheRealHolderWhoseLevelNoLongerCoversIt(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var c2 = await app.CreateCustomerAsync(branch.Id);
        var c4 = await app.CreateCustomerAsync(branch.Id);
        await app.WithDbAsync(async db =>
        {
            await db.Set<Customer>().Where(c => c.Id == c2.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskTolerance, RiskTolerance.C2));
            await db.Set<Customer>().Where(c => c.Id == c4.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskTolerance, RiskTolerance.C4));
        });
        var created = await (await admin.PostJsonAsync("/api/v1/products", new
        {
            code = app.Unique("FND-R"), name = "平衡基金", nameEn = "Balanced fund", category = "Fund", issuerRiskLevel = "R2", distributorRiskLevel = "R2",
            liquidityDays = 3, currency = "CNY", recordedSalesRequired = false,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var code = created.GetProperty("code").GetString();
        var csv = $"customer_reference,product_code,balance,currency,as_of\n{c2.Reference},{code},5000,CNY,2026-11-20\n{c4.Reference},{code},8000,CNY,2026-11-20\n";
        await (await admin.PostAsync("/api/v1/holdings/imports", Csv(csv))).ShouldBeJsonAsync(HttpStatusCode.Created);

        // R2 → R3: C2 covers R1–R2 only, C4 covers R1–R4 (matching table), so the C2 customer alone is left uncovered.
        await (await admin.PutJsonAsync($"/api/v1/products/{id}", new
        {
            code, name = "平衡基金", nameEn = "Balanced fund", category = "Fund", issuerRiskLevel = "R2", distributorRiskLevel = "R3",
            liquidityDays = 3, currency = "CNY", recordedSalesRequired = false, version = created.GetProperty("version").GetInt32(),
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var raise = Assert.Single((await (await admin.GetAsync($"/api/v1/products/{id}/risk-raises")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        var holder = Assert.Single(raise.GetProperty("uncoveredHolders").EnumerateArray());
        Assert.Equal(c2.Id, holder.GetProperty("customerId").GetInt64());
        Assert.Equal(c2.Reference, holder.GetProperty("customerReference").GetString());
        Assert.Equal(2, holder.GetProperty("toleranceLevel").GetInt32());
        Assert.Equal(5000m, holder.GetProperty("balance").GetDecimal());
    }

    [Theory, BothDatabases]
    public async Task CustomerHoldings_AreReadWithinBranchScope_AndAnAgentMayNotImport(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var north = await app.CreateBranchAsync();
        var south = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(north.Id, StaffRole.Administrator);
        var (_, agentNorth) = await app.SignInAsync(north.Id, StaffRole.Agent);
        var (_, agentSouth) = await app.SignInAsync(south.Id, StaffRole.Agent);
        var customer = await app.CreateCustomerAsync(north.Id);
        var code = app.Unique("FND-H");
        var product = await ProductAsync(app, code);
        var csv = $"customer_reference,product_code,balance,currency,as_of\n{customer.Reference},{code},1234.56,CNY,2026-11-20\n";
        await (await admin.PostAsync("/api/v1/holdings/imports", Csv(csv))).ShouldBeJsonAsync(HttpStatusCode.Created);

        var mine = await (await agentNorth.GetAsync($"/api/v1/customers/{customer.Id}/holdings")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var holding = Assert.Single(mine.GetProperty("holdings").EnumerateArray());
        Assert.Equal(product, holding.GetProperty("productId").GetInt64());
        Assert.Equal(1234.56m, holding.GetProperty("balance").GetDecimal());
        Assert.Equal("2026-11-20", holding.GetProperty("asOf").GetString());

        // Another branch's customer is answered exactly like one that does not exist.
        var hidden = await (await agentSouth.GetAsync($"/api/v1/customers/{customer.Id}/holdings")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var missing = await (await agentSouth.GetAsync("/api/v1/customers/999999/holdings")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(missing.GetProperty("code").GetString(), hidden.GetProperty("code").GetString());

        // A back-office member of the south branch importing a north customer's row finds no such customer.
        var (_, officeSouth) = await app.SignInAsync(south.Id, StaffRole.BackOffice);
        var other = $"customer_reference,product_code,balance,currency,as_of\n{customer.Reference},{code},1,CNY,2026-11-21\n";
        var refused = (await (await officeSouth.PostAsync("/api/v1/holdings/imports", Csv(other))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("import");
        Assert.Equal("UnknownCustomer", Assert.Single(refused.GetProperty("rejections").EnumerateArray()).GetProperty("reason").GetString());

        // An agent may not import nor read imports.
        Assert.Equal(HttpStatusCode.Forbidden, (await agentNorth.PostAsync("/api/v1/holdings/imports", Csv(other + " "))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentNorth.GetAsync("/api/v1/holdings/imports")).StatusCode);
        Assert.Equal(1234.56m, await app.WithDbAsync(db => db.Set<Holding>().Select(h => h.Balance).SingleAsync()));
    }
}
