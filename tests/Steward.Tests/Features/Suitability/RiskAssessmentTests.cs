using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Suitability;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Suitability.SuitabilityTestData;

namespace Steward.Tests.Features.Suitability;

/// <summary>
/// Risk-tolerance assessments (issue 12; 《金融机构产品适当性管理办法》): scored from the questionnaire version, a changed level only
/// after the customer confirms, never without the customer present, at most two a day and eight in twelve months, the
/// questionnaire versioned, the online link used once. The test clock starts Mon 2026-11-23 09:00 in Shanghai.
/// </summary>
public sealed class RiskAssessmentTests
{
    [Theory, BothDatabases]
    public async Task Assessment_IsScoredByTheBands_AChangedLevelWaitsForTheCustomer_AndAThirdOnOneDayIsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (staff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        var url = $"/api/v1/customers/{id}/risk-assessments";

        // Staff never answer alone: without the customer present it is refused at that field, as are skipped and unknown answers.
        var absent = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C3, customerPresent = false })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(absent.GetProperty("errors").TryGetProperty("customerPresent", out _));
        var partial = new Dictionary<string, string>(C3) { ["goal"] = "z", ["colour"] = "a" };
        partial.Remove("loss");
        var bad = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = partial, customerPresent = true })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var fields = bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToList();
        Assert.Equal(["answers.colour", "answers.goal", "answers.loss"], fields);
        await (await agent.PostJsonAsync(url, new { questionnaireNumber = 7, answers = C3, customerPresent = true })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // 60 points → C3; the customer was unassessed, so the new level waits for their confirmation.
        var first = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C3, customerPresent = true })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(60, first.GetProperty("score").GetInt32());
        Assert.Equal("C3", first.GetProperty("level").GetString());
        Assert.Equal("AwaitingConfirmation", first.GetProperty("status").GetString());
        Assert.Equal("Counter", first.GetProperty("channel").GetString());
        var customer = await (await agent.GetAsync($"/api/v1/customers/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Unassessed", customer.GetProperty("riskTolerance").GetString());

        var confirmed = await (await agent.PostJsonAsync($"/api/v1/risk-assessments/{first.GetProperty("id").GetInt64()}/confirm",
            new { version = first.GetProperty("version").GetInt32(), accept = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Confirmed", confirmed.GetProperty("status").GetString());
        Assert.True(confirmed.GetProperty("isCurrent").GetBoolean());
        // Valid 12 months: taken 2026-11-23 01:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 11, 23, 1, 0, 0, TimeSpan.Zero), confirmed.GetProperty("validUntil").GetDateTimeOffset());
        customer = await (await agent.GetAsync($"/api/v1/customers/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("C3", customer.GetProperty("riskTolerance").GetString());

        // A second the same day: 17 points → C1, a change, so C3 stays until the customer confirms — they decline.
        var second = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C1, customerPresent = true })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((17, "C1", "AwaitingConfirmation"), (second.GetProperty("score").GetInt32(), second.GetProperty("level").GetString(), second.GetProperty("status").GetString()));
        await (await agent.PostJsonAsync($"/api/v1/risk-assessments/{second.GetProperty("id").GetInt64()}/confirm",
            new { version = second.GetProperty("version").GetInt32(), accept = false })).ShouldBeJsonAsync(HttpStatusCode.OK);
        customer = await (await agent.GetAsync($"/api/v1/customers/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("C3", customer.GetProperty("riskTolerance").GetString());

        // A third on the same local day is refused, and nothing is stored.
        var third = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C3, customerPresent = true })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("assessment-daily-limit", third.GetProperty("code").GetString());
        var history = await (await agent.GetAsync(url)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, history.GetArrayLength());

        // 15:00 UTC is 23:00 in Shanghai, still the same day; 16:00 UTC is midnight, the next day.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 15, 59, 0, TimeSpan.Zero));
        agent = await app.ApiClientAsync(staff.Username);
        await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C3, customerPresent = true })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 16, 0, 0, TimeSpan.Zero));
        agent = await app.ApiClientAsync(staff.Username);
        var nextDay = await (await agent.PostJsonAsync(url, new { questionnaireNumber = 1, answers = C3, customerPresent = true })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Confirmed", nextDay.GetProperty("status").GetString()); // C3 again: unchanged, nothing to confirm
    }

    [Theory, BothDatabases]
    public async Task EightInTwelveMonths_IsTheMost(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (staff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        for (var i = 0; i < 8; i++)
        {
            await AssessAsync(agent, id, C3);
            app.Clock.Advance(TimeSpan.FromDays(30));
            agent = await app.ApiClientAsync(staff.Username); // a token lasts hours, not a month
        }

        // Day 240: eight taken since 2026-11-23, all within twelve months.
        var refused = await (await agent.PostJsonAsync($"/api/v1/customers/{id}/risk-assessments", new { questionnaireNumber = 1, answers = C3, customerPresent = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("assessment-yearly-limit", refused.GetProperty("code").GetString());

        // Day 370: the first (day 0) is more than twelve months ago, so seven remain and one more is allowed.
        app.Clock.SetUtcNow(new DateTimeOffset(2027, 11, 28, 1, 0, 0, TimeSpan.Zero));
        await AssessAsync(await app.ApiClientAsync(staff.Username), id, C3);
    }

    [Theory, BothDatabases]
    public async Task LimitedCivilCapacity_IsC1WhateverTheScore(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        await app.WithDbAsync(async db =>
        {
            var c = await db.Set<Steward.Features.Customers.Customer>().FindAsync(id);
            c!.HasLimitedCapacity = true;
            await db.SaveChangesAsync();
        });
        var taken = await AssessAsync(agent, id, C4);
        Assert.Equal((69, "C4", "C1"), (taken.GetProperty("score").GetInt32(), taken.GetProperty("scoreLevel").GetString(), taken.GetProperty("level").GetString()));
    }

    [Theory, BothDatabases]
    public async Task OnlineLink_SubmittedFourTimesAtOnce_StoresOneAssessment_AndTheOthersAreToldTheLinkIsUsed(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        var link = await (await agent.PostAsync($"/api/v1/customers/{id}/risk-assessment-links", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var token = new Uri(link.GetProperty("url").GetString()!).Query.Split("t=")[1];

        // Two taps on two phones' worth: four submissions of the same link in flight together.
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.AnonymousClient().PostJsonAsync("/api/v1/public/risk-assessment", new { token, questionnaireNumber = 1, answers = C2 })));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal("assessment-link-invalid", (await refused.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("code").GetString());
        }

        Assert.Equal(1, await app.WithDbAsync(db => db.Set<RiskAssessment>().CountAsync(a => a.CustomerId == id)));
    }

    [Theory, BothDatabases]
    public async Task OnlineLink_IsUsedOnce_RecordsTheChannel_AndTheCustomerConfirmsThroughIt(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        var link = await (await agent.PostAsync($"/api/v1/customers/{id}/risk-assessment-links", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var token = new Uri(link.GetProperty("url").GetString()!).Query.Split("t=")[1];
        var anonymous = app.AnonymousClient();

        await (await anonymous.PostJsonAsync("/api/v1/public/risk-assessment", new { token = token + "x", questionnaireNumber = 1, answers = C2 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var taken = await (await anonymous.PostJsonAsync("/api/v1/public/risk-assessment", new { token, questionnaireNumber = 1, answers = C2 })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Online", "C2", false), (taken.GetProperty("channel").GetString(), taken.GetProperty("level").GetString(), taken.GetProperty("customerPresent").GetBoolean()));
        var again = await (await anonymous.PostJsonAsync("/api/v1/public/risk-assessment", new { token, questionnaireNumber = 1, answers = C2 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("assessment-link-invalid", again.GetProperty("code").GetString());

        await (await anonymous.PostJsonAsync("/api/v1/public/risk-assessment/confirm", new { token, version = taken.GetProperty("version").GetInt32(), accept = true })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var customer = await (await agent.GetAsync($"/api/v1/customers/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("C2", customer.GetProperty("riskTolerance").GetString());

        // After 72 hours an unused link no longer opens.
        var unused = await (await agent.PostAsync($"/api/v1/customers/{id}/risk-assessment-links", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromHours(72));
        var late = new Uri(unused.GetProperty("url").GetString()!).Query.Split("t=")[1];
        await (await anonymous.PostJsonAsync("/api/v1/public/risk-assessment", new { token = late, questionnaireNumber = 1, answers = C2 })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Questionnaire_NewVersionsAreValidated_AndABaseThatIsNotCurrentIsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var current = await (await admin.GetAsync("/api/v1/risk-questionnaires/current")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, current.GetProperty("number").GetInt32());
        Assert.Equal(8, current.GetProperty("content").GetProperty("questions").GetArrayLength());

        var content = new
        {
            title = "问卷", titleEn = "Questionnaire",
            questions = new object[]
            {
                new { id = "q1", text = "问题", textEn = "Question", options = new object[] { new { id = "a", text = "甲", textEn = "A", score = 0 }, new { id = "a", text = "乙", textEn = "", score = 101 } } },
            },
            bands = new object[] { new { level = "C1", minScore = 0 }, new { level = "C2", minScore = 10 }, new { level = "C3", minScore = 10 }, new { level = "C4", minScore = 20 }, new { level = "C5", minScore = 30 } },
        };
        await (await agent.PostJsonAsync("/api/v1/risk-questionnaires", new { basedOn = 1, content })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var invalid = await (await admin.PostJsonAsync("/api/v1/risk-questionnaires", new { basedOn = 1, content })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["bands", "questions[0].options[1].id", "questions[0].options[1].score", "questions[0].options[1].text"],
            invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList());

        var good = new
        {
            title = "问卷", titleEn = "Questionnaire",
            questions = new object[]
            {
                new { id = "q1", text = "问题", textEn = "Question", options = new object[] { new { id = "a", text = "甲", textEn = "A", score = 0 }, new { id = "b", text = "乙", textEn = "B", score = 40 } } },
            },
            bands = new object[] { new { level = "C1", minScore = 0 }, new { level = "C2", minScore = 10 }, new { level = "C3", minScore = 20 }, new { level = "C4", minScore = 30 }, new { level = "C5", minScore = 40 } },
        };
        var published = await (await admin.PostJsonAsync("/api/v1/risk-questionnaires", new { basedOn = 1, content = good })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, published.GetProperty("number").GetInt32());
        await (await admin.PostJsonAsync("/api/v1/risk-questionnaires", new { basedOn = 1, content = good })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // Answers to version 1 are now refused: the customer answers the version in use.
        var id = await VerifiedCustomerAsync(app, branch.Id, agent);
        var stale = await (await agent.PostJsonAsync($"/api/v1/customers/{id}/risk-assessments", new { questionnaireNumber = 1, answers = C3, customerPresent = true }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("questionnaire-changed", stale.GetProperty("code").GetString());
        var v2 = await (await agent.PostJsonAsync($"/api/v1/customers/{id}/risk-assessments", new { questionnaireNumber = 2, answers = new { q1 = "b" }, customerPresent = true }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((2, 40, "C5"), (v2.GetProperty("questionnaireNumber").GetInt32(), v2.GetProperty("score").GetInt32(), v2.GetProperty("level").GetString()));
    }
}
