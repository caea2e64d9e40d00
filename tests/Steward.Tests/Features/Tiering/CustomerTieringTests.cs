using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Customers;
using Steward.Features.Holdings;
using Steward.Features.Products;
using Steward.Features.Tiering;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Tiering;

/// <summary>
/// Customer tiering (issue 12): the shipped rules (migration 0019: Silver 50,000 CNY and 1 product, Gold 500,000 and 2,
/// Platinum 2,000,000 and 3, Private 6,000,000 and 3; 90 days' grace) place customers from their holdings; an upgrade at once
/// with its reason and figures, a downgrade only after the grace period; the rules edited with field-named errors and versions.
/// The test clock starts Mon 2026-11-23 01:00 UTC; the job runs daily.
/// </summary>
public sealed class CustomerTieringTests
{
    private static readonly Dictionary<string, string?> DailyJob = new() { ["Customers:Tiering:IntervalMinutes"] = "1440" };

    private sealed class Holdings(StewardApp app)
    {
        private long? importId;

        public async Task AddAsync(long customerId, ProductCategory category, decimal balance, string currency = "CNY") => await app.WithDbAsync(async db =>
        {
            if (importId is null)
            {
                var import = new HoldingImport { FileName = "core.csv", Sha256 = app.Unique("sha"), Format = HoldingFileFormat.Csv, ImportedAt = app.Clock.GetUtcNow() };
                db.Add(import);
                await db.SaveChangesAsync();
                importId = import.Id;
            }

            var product = new Product
            {
                Code = app.Unique("P-"), Name = "测试产品", NameEn = "Test product", Category = category,
                IssuerRiskLevel = ProductRiskLevel.R2, DistributorRiskLevel = ProductRiskLevel.R2, RiskLevel = ProductRiskLevel.R2,
            };
            db.Add(product);
            await db.SaveChangesAsync();
            db.Add(new Holding { CustomerId = customerId, ProductId = product.Id, Balance = balance, Currency = currency, AsOf = new DateOnly(2026, 11, 20), ImportId = importId!.Value });
            await db.SaveChangesAsync();
        });
    }

    private static Task<CustomerTier> TierAsync(StewardApp app, long id) =>
        app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().Where(c => c.Id == id).Select(c => c.Tier).SingleAsync());

    private static Task<List<CustomerTierChange>> ChangesAsync(StewardApp app, long id) =>
        app.WithDbAsync(db => db.Set<CustomerTierChange>().AsNoTracking().Where(c => c.CustomerId == id).OrderBy(c => c.Id).ToListAsync());

    private static Task<JobPass> RunAsync(StewardApp app) => app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(TierRecompute.JobName);

    [Theory, BothDatabases]
    public async Task Recompute_AumJustOverGold_UpgradesAtOnceWithItsReason_AndCasePriorityFollowsTheTier(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var holdings = new Holdings(app);

        // Gold: deposit 300,000.00 + fund 200,000.01 = 500,000.01 ≥ 500,000. The loan (a product, not an asset) and the USD deposit
        // (not converted) count as products held only: 4 products, assets 500,000.01 < 2,000,000 (Platinum).
        var gold = await app.CreateCustomerAsync(branch.Id);
        await holdings.AddAsync(gold.Id, ProductCategory.Deposit, 300_000.00m);
        await holdings.AddAsync(gold.Id, ProductCategory.Fund, 200_000.01m);
        await holdings.AddAsync(gold.Id, ProductCategory.Loan, 1_000_000m);
        await holdings.AddAsync(gold.Id, ProductCategory.Deposit, 900_000m, "USD");

        // 499,999.99 in two products: just under Gold, so Silver (≥ 50,000 and 1 product).
        var silver = await app.CreateCustomerAsync(branch.Id);
        await holdings.AddAsync(silver.Id, ProductCategory.Deposit, 299_999.99m);
        await holdings.AddAsync(silver.Id, ProductCategory.WealthManagement, 200_000m);

        // 6,000,000 in three products: Private banking.
        var wealthy = await app.CreateCustomerAsync(branch.Id);
        await holdings.AddAsync(wealthy.Id, ProductCategory.Deposit, 1_000_000m);
        await holdings.AddAsync(wealthy.Id, ProductCategory.Bond, 2_000_000m);
        await holdings.AddAsync(wealthy.Id, ProductCategory.Insurance, 3_000_000m);

        var standard = await app.CreateCustomerAsync(branch.Id);

        Assert.Null((await RunAsync(app)).Error);
        Assert.Equal((CustomerTier.Gold, CustomerTier.Silver, CustomerTier.Private, CustomerTier.Standard),
            (await TierAsync(app, gold.Id), await TierAsync(app, silver.Id), await TierAsync(app, wealthy.Id), await TierAsync(app, standard.Id)));
        var change = Assert.Single(await ChangesAsync(app, gold.Id));
        Assert.Equal((CustomerTier.Standard, CustomerTier.Gold, TierChangeReason.Qualified, 500_000.01m, 500_000m, 4, 0, 1, (DateTimeOffset?)null, TestClock.DefaultStart),
            (change.FromTier, change.ToTier, change.Reason, change.Aum, change.ThresholdAum, change.ProductsHeld, change.TenureMonths, change.RuleSetVersion, change.BelowSince, change.ChangedAt));
        Assert.Contains(await app.AuditEntriesAsync(nameof(Customer), gold.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), e => e.Changes.Contains("Gold"));
        Assert.Empty(await ChangesAsync(app, standard.Id));

        // A second pass on the same figures changes nothing.
        Assert.Null((await RunAsync(app)).Error);
        Assert.Single(await ChangesAsync(app, gold.Id));
        Assert.Single(await ChangesAsync(app, wealthy.Id));

        // The history through the API, for readers of the customer file in its branch only.
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var history = await (await agent.GetAsync($"/api/v1/customers/{gold.Id}/tier-history")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Gold", history.GetProperty("tier").GetString());
        var first = Assert.Single(history.GetProperty("changes").EnumerateArray());
        Assert.Equal(("Standard", "Gold", "Qualified", 500_000.01m), (first.GetProperty("from").GetString(), first.GetProperty("to").GetString(), first.GetProperty("reason").GetString(), first.GetProperty("aum").GetDecimal()));
        var (_, stranger) = await app.SignInAsync(other.Id, StaffRole.Agent);
        await (await stranger.GetAsync($"/api/v1/customers/{gold.Id}/tier-history")).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        // The customer page shows the change with its reason.
        var pages = await PageClient.SignInAsync(app, (await app.CreateStaffAsync(branch.Id, StaffRole.Agent)).Username, language: "en");
        var (status, page) = await pages.GetAsync($"/Customers/Details?id={gold.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Qualified: assets 500,000.01 ≥ 500,000.00 CNY, 4 products held (rules version 1)", System.Net.WebUtility.HtmlDecode(page));

        // Case priority reads the tier: shipped rules raise a suggestion of a Private banking customer from Normal to High.
        var created = await (await agent.PostAsJsonAsync("/api/v1/cases", new
        {
            kind = "Suggestion", channel = "Counter", subject = "建议", description = "客户对网点服务提出建议。", branchId = branch.Id, customerId = wealthy.Id,
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("High", created.GetProperty("priority").GetString());
    }

    [Theory, BothDatabases]
    public async Task Recompute_BelowTheTier_DowngradesOnlyOnThePassNinetyDaysAfterItWasFirstSeen(DatabaseProvider provider)
    {
        // Day 0 (2026-11-23 01:00 UTC): a Gold customer with 100,000 in one deposit meets Silver only: below since day 0, still Gold.
        // The downgrade comes on the first pass at or after below-since + 90 days: day 89 still Gold, day 90 (2027-02-21) Silver.
        await using var app = await StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = await app.CreateCustomerAsync(branch.Id, CustomerTier.Gold);
        var recovers = await app.CreateCustomerAsync(branch.Id, CustomerTier.Gold);
        var holdings = new Holdings(app);
        await holdings.AddAsync(customer.Id, ProductCategory.Deposit, 100_000m);
        await holdings.AddAsync(recovers.Id, ProductCategory.Deposit, 100_000m);

        Assert.Null((await RunAsync(app)).Error);
        Assert.Equal(CustomerTier.Gold, await TierAsync(app, customer.Id));
        Assert.Equal(TestClock.DefaultStart, await app.WithDbAsync(db => db.Set<CustomerTierStanding>().Where(s => s.CustomerId == customer.Id).Select(s => s.BelowSince).SingleAsync()));

        // Day 10: the second customer meets Gold again (another 450,000 in a fund: 550,000, 2 products): the grace period ends unused.
        for (var day = 1; day <= 89; day++)
        {
            if (day == 10)
            {
                await holdings.AddAsync(recovers.Id, ProductCategory.Fund, 450_000m);
            }

            Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), TierRecompute.JobName)).Error);
        }

        Assert.Equal(CustomerTier.Gold, await TierAsync(app, customer.Id));
        Assert.Empty(await ChangesAsync(app, customer.Id));
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var grace = await (await agent.GetAsync($"/api/v1/customers/{customer.Id}/tier-history")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(TestClock.DefaultStart.AddDays(90), grace.GetProperty("downgradeFrom").GetDateTimeOffset());

        Assert.Null((await app.AdvanceUntilPassAsync(TimeSpan.FromDays(1), TierRecompute.JobName)).Error);
        Assert.Equal(CustomerTier.Silver, await TierAsync(app, customer.Id));
        var change = Assert.Single(await ChangesAsync(app, customer.Id));
        Assert.Equal((CustomerTier.Gold, CustomerTier.Silver, TierChangeReason.GraceExpired, 100_000m, 500_000m, 1, (DateTimeOffset?)TestClock.DefaultStart, new DateTimeOffset(2027, 2, 21, 1, 0, 0, TimeSpan.Zero)),
            (change.FromTier, change.ToTier, change.Reason, change.Aum, change.ThresholdAum, change.ProductsHeld, change.BelowSince, change.ChangedAt));

        // The one who recovered stays Gold, never changed, and is no longer below.
        Assert.Equal(CustomerTier.Gold, await TierAsync(app, recovers.Id));
        Assert.Empty(await ChangesAsync(app, recovers.Id));
        Assert.Null(await app.WithDbAsync(db => db.Set<CustomerTierStanding>().Where(s => s.CustomerId == recovers.Id).Select(s => s.BelowSince).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task TierRules_NonMonotonicThresholds_RefusedNamingTheField_StaleVersionIs409(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        await (await agent.GetAsync("/api/v1/customers/tier-rules")).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var read = await admin.GetAsync("/api/v1/customers/tier-rules");
        var rules = await read.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("\"1\"", 1, 90, 500_000m), (read.Headers.ETag?.Tag, rules.GetProperty("version").GetInt32(), rules.GetProperty("graceDays").GetInt32(), rules.GetProperty("gold").GetProperty("minAum").GetDecimal()));

        object Body(int? version, decimal goldAum = 500_000m, int platinumProducts = 3, int graceDays = 60) => new
        {
            version, graceDays,
            silver = new { minAum = 50_000m, minProducts = 1 },
            gold = new { minAum = goldAum, minProducts = 2 },
            platinum = new { minAum = 2_000_000m, minProducts = platinumProducts, minTenureMonths = 12 },
            @private = new { minAum = 6_000_000m, minProducts = 3, minTenureMonths = 12 },
        };

        // Gold asking less than Silver, Platinum fewer products than Gold: refused at those fields, nothing saved.
        var refused = await (await admin.PutJsonAsync("/api/v1/customers/tier-rules", Body(1, goldAum: 40_000m, platinumProducts: 1))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = refused.GetProperty("errors");
        Assert.Equal(["gold.minAum", "platinum.minProducts"], errors.EnumerateObject().Select(e => e.Name).Order().ToArray());
        Assert.Contains("50,000", errors.GetProperty("gold.minAum")[0].GetString());

        var saved = await (await admin.PutJsonAsync("/api/v1/customers/tier-rules", Body(1))).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((2, 60, 12), (saved.GetProperty("version").GetInt32(), saved.GetProperty("graceDays").GetInt32(), saved.GetProperty("private").GetProperty("minTenureMonths").GetInt32()));
        await (await admin.PutJsonAsync("/api/v1/customers/tier-rules", Body(1))).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // The version may come as If-Match instead.
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/customers/tier-rules") { Content = JsonContent.Create(Body(null, graceDays: 30)) };
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var third = await (await admin.SendAsync(request)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((3, 30), (third.GetProperty("version").GetInt32(), third.GetProperty("graceDays").GetInt32()));
        Assert.NotEmpty(await app.AuditEntriesAsync(nameof(CustomerTierRuleSet), "1"));

        // The page: Platinum asking less than Gold is refused with the message at the field; a valid change is saved.
        var pages = await PageClient.SignInAsync(app, (await app.CreateStaffAsync(branch.Id, StaffRole.Administrator)).Username, language: "en");
        Dictionary<string, string> Form(string platinumAum) => new()
        {
            ["Input.Version"] = "3", ["Input.GraceDays"] = "90", ["Input.Silver.MinAum"] = "50000", ["Input.Silver.MinProducts"] = "1",
            ["Input.Gold.MinAum"] = "500000", ["Input.Gold.MinProducts"] = "2", ["Input.Platinum.MinAum"] = platinumAum, ["Input.Platinum.MinProducts"] = "3",
            ["Input.Private.MinAum"] = "6000000", ["Input.Private.MinProducts"] = "3",
        };
        var bad = await pages.PostFormAsync("/Tiering/Rules", Form("400000"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Matches("id=\"platinum-aum-error\"[^>]*>A higher tier needs more assets than Gold", html);
        // Letters in a number are refused by the platform's binding guard, naming the field.
        var letters = await pages.PostFormAsync("/Tiering/Rules", Form("abc"));
        Assert.Contains("Input.Platinum.MinAum", await letters.Content.ReadAsStringAsync());
        var ok = await pages.PostFormAsync("/Tiering/Rules", Form("2000000"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        Assert.Equal(4, (await (await admin.GetAsync("/api/v1/customers/tier-rules")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task Demo_TiersMatchTheDemoHoldings_WithOneRecentUpgradeAndOneCustomerInGrace(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:Customers"] = "120", ["Demo:History"] = "false" });
        var changes = await app.WithDbAsync(db => db.Set<CustomerTierChange>().AsNoTracking().ToListAsync());
        Assert.Equal(2, changes.Count);
        Assert.Contains(changes, c => c.ChangedAt == TestClock.DefaultStart.AddDays(-6) && c.ToTier == CustomerTier.Gold);
        var grace = await app.WithDbAsync(db => db.Set<CustomerTierStanding>().AsNoTracking().SingleAsync());
        Assert.Equal(TestClock.DefaultStart.AddDays(-30), grace.BelowSince);

        // A recompute on the first day changes nobody's tier: the seeded tiers are the ones the holdings meet, and the one in
        // grace waits 60 more days.
        Assert.Null((await RunAsync(app)).Error);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<CustomerTierChange>().CountAsync()));
        Assert.Equal(CustomerTier.Gold, await TierAsync(app, grace.CustomerId));
        Assert.True(await app.WithDbAsync(db => db.Set<Customer>().AnyAsync(c => c.Tier == CustomerTier.Silver)));
    }

    private static Task<StewardApp> StartAsync(DatabaseProvider provider) => StewardApp.StartAsync(provider, DailyJob);
}
