using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Sla;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Letter templates as data: versions, the checks on publish (parse, known variables, regulatory statements), who may publish (issue 13).</summary>
public sealed class ComplaintLetterTemplateTests
{
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private const string FinalResponseEnWithoutOmbudsman = """
        <p>Case reference: {{ reference }}</p>
        <p>Our decision: {{ outcome }}. Why: {{ root_cause }}</p>
        {% if regime_code == "UK-FCA-DISP" %}<p>If you are unhappy, write to us again.</p>
        {% else %}<p>You may ask our higher office to review the decision within 30 days.</p>{% endif %}
        """;

    [Theory, BothDatabases]
    public async Task Publish_Version2_NewLettersUseIt_AndAnIssuedVersion1LetterIsUnchanged(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var created = await StewardApp.CreateCaseAsync(agent);
        var (caseId, reference) = (created.GetProperty("id").GetInt64(), created.GetProperty("reference").GetString()!);
        var id = (await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var first = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var firstBody = first.GetProperty("body").GetString()!;
        Assert.Equal("acknowledgment.en.v1", first.GetProperty("template").GetString());

        // The four templates in force are the shipped texts, version 1.
        var inForce = await (await agent.GetAsync("/api/v1/complaints/letter-templates")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["acknowledgment.zh.v1", "acknowledgment.en.v1", "final-response.zh.v1", "final-response.en.v1"],
            inForce.EnumerateArray().Select(t => t.GetProperty("code").GetString()));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        var published = await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "Acknowledgment", language = "en", basedOn = 1, note = "Shorter wording",
            body = "<p>Case reference: {{ reference }}</p>\n<p>Dear {{ complainant }}, we have logged your complaint of {{ received_on }}. Version two.</p>",
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal((2, "acknowledgment.en.v2"), (published.GetProperty("version").GetInt32(), published.GetProperty("code").GetString()));

        var second = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("acknowledgment.en.v2", 2), (second.GetProperty("template").GetString(), second.GetProperty("number").GetInt32()));
        // The case's contact is 李雷; received 2 March 2026.
        Assert.Equal($"<p>Case reference: {reference}</p>\n<p>Dear 李雷, we have logged your complaint of 2 March 2026. Version two.</p>", second.GetProperty("body").GetString());

        // The letter issued before is as it was; the Chinese template is still version 1.
        var again = await (await agent.GetAsync($"/api/v1/complaints/{id}/letters/{first.GetProperty("id").GetInt64()}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("acknowledgment.en.v1", firstBody), (again.GetProperty("template").GetString(), again.GetProperty("body").GetString()));
        Assert.Contains("We received your complaint on 2 March 2026", firstBody, StringComparison.Ordinal);
        var zh = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "Acknowledgment", language = "zh-CN" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal("acknowledgment.zh.v1", zh.GetProperty("template").GetString());

        var history = await (await agent.GetAsync("/api/v1/complaints/letter-templates/Acknowledgment/en/versions")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([2, 1], history.EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var v1 = await (await agent.GetAsync("/api/v1/complaints/letter-templates/Acknowledgment/en/1")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Contains("{{ what_happened }}", v1.GetProperty("body").GetString(), StringComparison.Ordinal);

        // A publish based on version 1 now is stale; the publish is audited once.
        await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new { kind = "Acknowledgment", language = "en", basedOn = 1, body = "<p>{{ reference }}</p>" }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<AuditEntry>().CountAsync(e => e.EntityType == "ComplaintLetterTemplate")));
    }

    [Theory, BothDatabases]
    public async Task Publish_UnknownVariableOrBadTag_IsRefusedNamingIt_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchAsync();
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);

        var unknown = await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "Acknowledgment", language = "zh-CN", basedOn = 1, body = "<p>案件编号：{{ reference }}，账号：{{ customer_iban | upcase }}</p>",
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            "未知变量“customer_iban”：函件可使用的变量为 institution, branch, reference, today, complainant, received_on, what_happened, what_they_want, deadline, regime, regime_code, outcome, root_cause, remedies。",
            unknown.GetProperty("errors").GetProperty("body")[0].GetString());

        var badTag = await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "Acknowledgment", language = "zh-CN", basedOn = 1, body = "<p>{{ reference }}</p>{% frobnicate %}",
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("模板语法有误：", badTag.GetProperty("errors").GetProperty("body")[0].GetString(), StringComparison.Ordinal);

        // A variable the template assigns itself is its own.
        await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "Acknowledgment", language = "zh-CN", basedOn = 1, body = "{% assign ref = reference %}<p>案件编号：{{ ref }}</p>",
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(5, await app.WithDbAsync(db => db.Set<ComplaintLetterTemplate>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Publish_FinalResponseWithoutTheOmbudsmanStatement_IsRefused_AndOnlyComplianceMayPublish(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchAsync();
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var (_, manager) = await app.SignInAsync(branch.Id, StaffRole.BranchManager);

        var missing = await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "FinalResponse", language = "en", basedOn = 1, body = FinalResponseEnWithoutOmbudsman,
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        // Only the FCA statement is missing: the PRC branch has the review within 30 days, both give the decision and its reasons.
        Assert.Equal(["在英国 FCA 规则（DISP 1.6）下，函件须写明自答复之日起六个月内将投诉提交金融申诉专员服务机构（Financial Ombudsman Service）的权利。"],
            missing.GetProperty("errors").GetProperty("body").EnumerateArray().Select(e => e.GetString()));

        // Without the decision's reasons, both regimes' letters lack them: one message.
        var noReasons = await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new
        {
            kind = "FinalResponse", language = "en", basedOn = 1,
            body = FinalResponseEnWithoutOmbudsman.Replace(" Why: {{ root_cause }}", "", StringComparison.Ordinal)
                .Replace("write to us again.", "you may refer your complaint to the Financial Ombudsman Service within six months.", StringComparison.Ordinal),
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["函件须写明处理决定（{{ outcome }}）及其原因（{{ root_cause }}）。"], noReasons.GetProperty("errors").GetProperty("body").EnumerateArray().Select(e => e.GetString()));

        // A branch manager (and any other role) may read but not publish, even a good text.
        var good = FinalResponseEnWithoutOmbudsman.Replace("write to us again.", "you may refer your complaint to the Financial Ombudsman Service within six months.", StringComparison.Ordinal);
        await (await manager.PostJsonAsync("/api/v1/complaints/letter-templates", new { kind = "FinalResponse", language = "en", basedOn = 1, body = good }))
            .ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await manager.GetAsync("/api/v1/complaints/letter-templates")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<ComplaintLetterTemplate>().CountAsync()));
        await (await compliance.PostJsonAsync("/api/v1/complaints/letter-templates", new { kind = "FinalResponse", language = "en", basedOn = 1, body = good }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
    }
}
