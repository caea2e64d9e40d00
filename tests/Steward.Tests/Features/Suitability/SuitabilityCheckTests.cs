using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Features.Customers;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Suitability.SuitabilityTestData;

namespace Steward.Tests.Features.Suitability;

/// <summary>
/// The suitability check (issue 12, "Must show"): the matching table of 《证券期货投资者适当性管理办法》 Art. 18, the insist rule
/// of Art. 19 (never for the lowest category), no active promotion above the level (Art. 22), an expired assessment, the
/// 65+ second review with its cooling-off period, an expired certificate, and replay under a changed rule set.
/// The test clock starts Mon 2026-11-23 09:00 in Shanghai (01:00 UTC).
/// </summary>
public sealed class SuitabilityCheckTests
{
    [Theory, BothDatabases]
    public async Task R4ForAC2Customer_IsBlockedWithItsReasons_AndOnlyAnInsistingBuyerMayProceedAfterTheWarning(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        await AssessAsync(agent, customer, C2);
        var r4 = await ProductAsync(app, "WM-R4", ProductRiskLevel.R4);

        // Recommending: C2 covers up to R2 (Art. 18), and staff never promote above the level (Art. 22).
        var recommended = await (await CheckAsync(agent, customer, r4)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("Block", "Blocked"), (recommended.GetProperty("outcome").GetString(), recommended.GetProperty("status").GetString()));
        Assert.Equal(["levelAboveRecommend"], Codes(recommended));
        Assert.Equal(["C2", "R4", "R2"], Args(recommended, "levelAboveRecommend"));
        var stored = await (await agent.GetAsync($"/api/v1/suitability/checks/{recommended.GetProperty("id").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("C2", 36, "R4", 1), (stored.GetProperty("inputs").GetProperty("customer").GetProperty("level").GetString(),
            stored.GetProperty("inputs").GetProperty("customer").GetProperty("score").GetInt32(), stored.GetProperty("inputs").GetProperty("product").GetProperty("level").GetString(),
            stored.GetProperty("ruleSetNumber").GetInt32()));

        // Selling without the customer insisting is blocked too; with it, the sale may go on after the special warning.
        var sold = await (await CheckAsync(agent, customer, r4, "Sell", 100_000m)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Block", sold.GetProperty("outcome").GetString());
        Assert.Equal(["levelAbove"], Codes(sold));
        var insisted = await (await CheckAsync(agent, customer, r4, "Sell", 100_000m, insists: true)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("ProceedAfterWarning", "AwaitingAcknowledgment"), (insisted.GetProperty("outcome").GetString(), insisted.GetProperty("status").GetString()));
        Assert.StartsWith("特别风险警示", insisted.GetProperty("warningText").GetString());
        Assert.Contains("R4", insisted.GetProperty("warningText").GetString());

        var url = $"/api/v1/suitability/checks/{insisted.GetProperty("id").GetInt64()}/acknowledge";
        var notYet = await (await agent.PostJsonAsync(url, new { version = insisted.GetProperty("version").GetInt32(), customerAcknowledged = false })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(notYet.GetProperty("errors").TryGetProperty("customerAcknowledged", out _));
        var acknowledged = await (await agent.PostJsonAsync(url, new { version = insisted.GetProperty("version").GetInt32(), customerAcknowledged = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cleared", acknowledged.GetProperty("status").GetString());
        Assert.True(acknowledged.GetProperty("mayProceedNow").GetBoolean());
        Assert.Equal(TestClock.DefaultStart, acknowledged.GetProperty("acknowledgedAt").GetDateTimeOffset());

        // The file lists the three decisions, newest first.
        var list = await (await agent.GetAsync($"/api/v1/customers/{customer}/suitability-decisions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["Cleared", "Blocked", "Blocked"], list.EnumerateArray().Select(d => d.GetProperty("status").GetString()).ToList());
    }

    [Theory, BothDatabases]
    public async Task TheLowestCategory_IsBlockedAboveItsLevelEvenWhenInsisting(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        await AssessAsync(agent, customer, C1);
        var r2 = await ProductAsync(app, "WM-R2", ProductRiskLevel.R2);
        var r1 = await ProductAsync(app, "DEP-R1", ProductRiskLevel.R1, ProductCategory.Deposit);

        var insisted = await (await CheckAsync(agent, customer, r2, "Sell", 10_000m, insists: true)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Block", insisted.GetProperty("outcome").GetString());
        Assert.Equal(["levelAboveLowest"], Codes(insisted));
        var fine = await (await CheckAsync(agent, customer, r1, "Sell", 10_000m)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Pass", fine.GetProperty("outcome").GetString());
        Assert.Empty(Codes(fine));
    }

    [Theory, BothDatabases]
    public async Task AnExpiredAssessment_BlocksUntilRenewed(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (staff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        await AssessAsync(agent, customer, C3);
        var r2 = await ProductAsync(app, "WM-R2", ProductRiskLevel.R2);

        // Taken 2026-11-23 01:00 UTC, valid 12 months: one minute before the end it still counts, at the end it does not.
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 11, 23, 0, 59, 0, TimeSpan.Zero));
        agent = await app.ApiClientAsync(staff.Username);
        Assert.Equal("Pass", (await (await CheckAsync(agent, customer, r2)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("outcome").GetString());
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 11, 23, 1, 0, 0, TimeSpan.Zero));
        var expired = await (await CheckAsync(agent, customer, r2)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["assessmentExpired"], Codes(expired));
        Assert.Equal(["2027-11-23", "12"], Args(expired, "assessmentExpired"));

        await AssessAsync(agent, customer, C3);
        Assert.Equal("Pass", (await (await CheckAsync(agent, customer, r2)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("outcome").GetString());
    }

    [Theory, BothDatabases]
    public async Task A76YearOldsR4Purchase_WaitsForASecondReviewer_ThenTheCoolingOffPeriod(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (seller, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (leader, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        // Born 1949-12-31: 76 on 2026-11-23.
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent, CustomerFileTests.Elder, "1949-12-31", "13700001111");
        await AssessAsync(agent, customer, C4);
        var r4 = await ProductAsync(app, "WM-R4", ProductRiskLevel.R4);

        var decision = await (await CheckAsync(agent, customer, r4, "Sell", 100_000m)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Pass", decision.GetProperty("outcome").GetString());
        Assert.Equal(["elderlyReview"], Codes(decision));
        Assert.Equal(["76", "24"], Args(decision, "elderlyReview"));
        var id = decision.GetProperty("id").GetInt64();
        var acknowledged = await (await agent.PostJsonAsync($"/api/v1/suitability/checks/{id}/acknowledge", new { version = decision.GetProperty("version").GetInt32(), customerAcknowledged = true }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("AwaitingReview", acknowledged.GetProperty("status").GetString());
        Assert.False(acknowledged.GetProperty("mayProceedNow").GetBoolean());

        // The seller may not review their own sale; an agent may not review at all.
        await (await agent.PostJsonAsync($"/api/v1/suitability/checks/{id}/review", new { version = acknowledged.GetProperty("version").GetInt32(), approve = true })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var queue = await (await lead.GetAsync("/api/v1/suitability/checks/awaiting-review")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(queue.EnumerateArray()).GetProperty("id").GetInt64());
        var reviewed = await (await lead.PostJsonAsync($"/api/v1/suitability/checks/{id}/review", new { version = acknowledged.GetProperty("version").GetInt32(), approve = true }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Cleared", reviewed.GetProperty("status").GetString());
        Assert.False(reviewed.GetProperty("mayProceedNow").GetBoolean());
        Assert.Equal(TestClock.DefaultStart.AddHours(24), reviewed.GetProperty("proceedFrom").GetDateTimeOffset());

        app.Clock.Advance(TimeSpan.FromHours(24));
        agent = await app.ApiClientAsync(seller.Username);
        lead = await app.ApiClientAsync(leader.Username);
        var later = await (await agent.GetAsync($"/api/v1/suitability/checks/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(later.GetProperty("mayProceedNow").GetBoolean());

        // A team lead who runs a check cannot be its reviewer either.
        var own = await (await CheckAsync(lead, customer, r4, "Sell", 100_000m)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var ownAck = await (await lead.PostJsonAsync($"/api/v1/suitability/checks/{own.GetProperty("id").GetInt64()}/acknowledge", new { version = own.GetProperty("version").GetInt32(), customerAcknowledged = true }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var self = await (await lead.PostJsonAsync($"/api/v1/suitability/checks/{own.GetProperty("id").GetInt64()}/review", new { version = ownAck.GetProperty("version").GetInt32(), approve = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("reviewer-is-seller", self.GetProperty("code").GetString());
    }

    [Theory, BothDatabases]
    public async Task AnAgentWhoseFundCertificateExpiredYesterday_IsBlockedFromRecommendingAFund(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (lapsed, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (current, colleague) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        await app.WithDbAsync(async db =>
        {
            var fund = await db.Set<QualificationType>().Where(t => t.Code == "FUND").Select(t => t.Id).SingleAsync();
            db.Add(new StaffQualification { StaffId = lapsed.Id, QualificationTypeId = fund, CertificateNumber = "F-OLD", IssuedOn = new DateOnly(2022, 11, 23), ExpiresOn = new DateOnly(2026, 11, 22) });
            db.Add(new StaffQualification { StaffId = current.Id, QualificationTypeId = fund, CertificateNumber = "F-NEW", IssuedOn = new DateOnly(2025, 1, 1), ExpiresOn = new DateOnly(2026, 11, 23) });
            await db.SaveChangesAsync();
        });
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        await AssessAsync(agent, customer, C3);
        var fundProduct = await ProductAsync(app, "FUND-R3", ProductRiskLevel.R3, ProductCategory.Fund, qualification: "FUND");

        var blocked = await (await CheckAsync(agent, customer, fundProduct)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Block", blocked.GetProperty("outcome").GetString());
        Assert.Equal(["staffNotQualified"], Codes(blocked));
        Assert.Equal(["FUND"], Args(blocked, "staffNotQualified"));
        // The colleague's certificate ends today: today it is still valid.
        Assert.Equal("Pass", (await (await CheckAsync(colleague, customer, fundProduct)).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("outcome").GetString());
    }

    [Theory, BothDatabases]
    public async Task ARecordedDecision_ReplaysUnderAChangedRuleSet_AndReportsTheDifference(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        await AssessAsync(agent, customer, C3);
        var r3 = await ProductAsync(app, "WM-R3", ProductRiskLevel.R3);

        // 400,000 of 850,000 declared: 47%, within the 50% of rule set 1.
        var decision = await (await CheckAsync(agent, customer, r3, "Sell", 400_000m)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Pass", decision.GetProperty("outcome").GetString());
        var id = decision.GetProperty("id").GetInt64();

        var rules = (await (await compliance.GetAsync("/api/v1/suitability/rule-sets/1")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("rules");
        var changed = System.Text.Json.Nodes.JsonNode.Parse(rules.GetRawText())!;
        changed["maxShareOfDeclaredAssets"] = 0.3m;
        await (await agent.PostJsonAsync("/api/v1/suitability/rule-sets", new { basedOn = 1, rules = changed })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var badRules = System.Text.Json.Nodes.JsonNode.Parse(rules.GetRawText())!;
        badRules["maxLevel"]!["C3"] = "R1";
        var invalid = await (await compliance.PostJsonAsync("/api/v1/suitability/rule-sets", new { basedOn = 1, rules = badRules })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("maxLevel", out _));
        var v2 = await (await compliance.PostJsonAsync("/api/v1/suitability/rule-sets", new { basedOn = 1, rules = changed, note = "30% cap" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, v2.GetProperty("number").GetInt32());

        var replay = await (await compliance.PostJsonAsync($"/api/v1/suitability/checks/{id}/replay", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal((1, "Pass", 2, "Block", true), (replay.GetProperty("originalRuleSet").GetInt32(), replay.GetProperty("originalOutcome").GetString(),
            replay.GetProperty("ruleSet").GetInt32(), replay.GetProperty("outcome").GetString(), replay.GetProperty("changed").GetBoolean()));
        var added = Assert.Single(replay.GetProperty("added").EnumerateArray());
        Assert.Equal("amountOutOfLine", added.GetProperty("code").GetString());
        Assert.Equal(["400,000.00", "850,000.00", "30%"], added.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList());
        Assert.Empty(replay.GetProperty("removed").EnumerateArray());

        // Under its own rule set the decision replays unchanged; the stored decision itself is untouched.
        var same = await (await compliance.PostJsonAsync($"/api/v1/suitability/checks/{id}/replay", new { ruleSetNumber = 1 })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(same.GetProperty("changed").GetBoolean());
        await (await compliance.PostJsonAsync($"/api/v1/suitability/checks/{id}/replay", new { ruleSetNumber = 9 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await agent.PostJsonAsync($"/api/v1/suitability/checks/{id}/replay", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var after = await (await agent.GetAsync($"/api/v1/suitability/checks/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Pass", 1), (after.GetProperty("outcome").GetString(), after.GetProperty("ruleSetNumber").GetInt32()));
    }

    [Theory, BothDatabases]
    public async Task BadInput_NamesTheField_AndOtherBranchesCustomersAreNotFound(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var other = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, stranger) = await app.SignInAsync(other.Id, StaffRole.Agent);
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var customer = await VerifiedCustomerAsync(app, branch.Id, agent);
        var r1 = await ProductAsync(app, "DEP-R1", ProductRiskLevel.R1, ProductCategory.Deposit);

        var bad = await (await agent.PostJsonAsync("/api/v1/suitability/checks", new { customerId = customer, productId = 999_999, action = "Sell", amount = -5m })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["amount", "productId"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList());
        var foreign = await (await CheckAsync(stranger, customer, r1)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["customerId"], foreign.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList());
        await (await stranger.GetAsync($"/api/v1/customers/{customer}/risk-assessments")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync("/api/v1/suitability/checks", new { customerId = customer, productId = r1, action = "Recommend" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        // Unassessed and a product the bank suspended: every reason at once.
        await app.WithDbAsync(async db =>
        {
            var p = await db.Set<Product>().FindAsync(r1);
            p!.Status = ProductStatus.Suspended;
            await db.SaveChangesAsync();
        });
        var blocked = await (await CheckAsync(agent, customer, r1)).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["assessmentMissing", "productNotOnSale"], Codes(blocked).Order().ToList());
    }
}
