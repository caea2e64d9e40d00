using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Acknowledgment and final response letters rendered from the Liquid templates in both languages and stored with the case.</summary>
public sealed class ComplaintLetterTests
{
    /// <summary>Monday 2 March 2026, 10:00 in Shanghai.</summary>
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Letters_AreRenderedInBothLanguages_StoredWithTheCase_AndTheFinalResponseWaitsForTheOutcome(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent);
        var (caseId, reference) = (created.GetProperty("id").GetInt64(), created.GetProperty("reference").GetString()!);
        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["whatHappened"] = "手续费 <b>50 元</b> 未告知")))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();

        var zh = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "zh-CN" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var zhBody = zh.GetProperty("body").GetString()!;
        // The case's contact is 李雷 (StewardApp.CreateCaseAsync); received 2 March, decision due by the end of 17 March (PRC, 15 days).
        foreach (var expected in new[] { "尊敬的李雷", reference, "2026年3月2日", "2026年3月17日", "手续费 &lt;b&gt;50 元&lt;/b&gt; 未告知" })
        {
            Assert.Contains(expected, zhBody, StringComparison.Ordinal);
        }

        var en = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var enBody = en.GetProperty("body").GetString()!;
        foreach (var expected in new[] { "Dear 李雷", "received your complaint on 2 March 2026", "by 17 March 2026" })
        {
            Assert.Contains(expected, enBody, StringComparison.Ordinal);
        }

        Assert.Equal(("acknowledgment.en.v1", 1), (en.GetProperty("template").GetString(), en.GetProperty("number").GetInt32()));
        var again = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, again.GetProperty("number").GetInt32());

        // No final response before the outcome; a bad language is refused at its field.
        var early = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "zh-CN" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("letter-before-outcome", early.GetProperty("code").GetString());
        var badLanguage = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "fr" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badLanguage.GetProperty("errors").TryGetProperty("language", out _));

        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "Upheld", rootCause = "销售时未披露赎回费率。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "FeeRefund", amount = 50m })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var finalZh = (await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "zh-CN" })).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("body").GetString()!;
        foreach (var expected in new[] { "投诉成立", "销售时未披露赎回费率。", "退还费用 CNY 50.00", "30 日内", "金融纠纷调解" })
        {
            Assert.Contains(expected, finalZh, StringComparison.Ordinal);
        }

        var finalEn = (await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("body").GetString()!;
        foreach (var expected in new[] { "Our decision: <strong>Upheld</strong>", "Fee refund CNY 50.00", "within 30 days", "mediation" })
        {
            Assert.Contains(expected, finalEn, StringComparison.Ordinal);
        }

        // Stored with the case: five letters on this case's id.
        Assert.Equal(5, await app.WithDbAsync(db => db.Set<ComplaintLetter>().CountAsync(l => l.CaseId == caseId)));
        Assert.Equal(5, (await (await agent.GetAsync($"/api/v1/complaints/{id}/letters")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Theory, BothDatabases]
    public async Task FinalResponse_UnderFca_StatesTheRightToTheOmbudsmanWithinSixMonths(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.FcaCode, zone: "Europe/London");
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        var id = (await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => { b["currency"] = "GBP"; b["fcaProductGroup"] = "BANKING"; }))).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "NotUpheld", rootCause = "The fee was in the signed terms." })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var body = (await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("body").GetString()!;
        Assert.Contains("refer your complaint to the Financial Ombudsman Service within six months", body, StringComparison.Ordinal);
        Assert.Contains("Not upheld", body, StringComparison.Ordinal);
    }
}
