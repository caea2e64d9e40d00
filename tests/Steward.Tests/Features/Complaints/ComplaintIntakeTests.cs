using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Complaint intake on an existing case, classification as data, recoding and "not a complaint" (issue 13, step 1 and 2).</summary>
public sealed class ComplaintIntakeTests
{
    /// <summary>Monday 2 March 2026, 10:00 in Shanghai.</summary>
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Intake_ViaApi_RecordsTheComplaintOnTheCase_WithThePrcDecisionDeadline(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var product = await app.CreateProductAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await StewardApp.CreateCaseAsync(agent, subject: "赎回手续费", kind: "Consultation");
        var caseId = created.GetProperty("id").GetInt64();

        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["productId"] = product.Id)))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();
        Assert.Equal((caseId, "Customer", 1234.50m, "CNY", product.Id, "Counter"), (complaint.GetProperty("caseId").GetInt64(), complaint.GetProperty("complainantKind").GetString(),
            complaint.GetProperty("amountInDispute").GetDecimal(), complaint.GetProperty("currency").GetString(), complaint.GetProperty("productId").GetInt64(),
            complaint.GetProperty("channel").GetString()));
        Assert.Equal(["PRODUCT", "A01", "B99", "C05"], complaint.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        Assert.Equal(SlaPresets.PrcCode, complaint.GetProperty("regime").GetString());

        // Received Monday 2 March 2026 (the case's creation): the day of receipt is not counted, so the 15th day is Tuesday 17 March,
        // a working day; the decision is due by its end, 24:00 in Shanghai = 16:00 UTC.
        var decision = Assert.Single(complaint.GetProperty("deadlines").EnumerateArray());
        Assert.Equal(("decision", "2026-03-17", new DateTimeOffset(2026, 3, 17, 16, 0, 0, TimeSpan.Zero)),
            (decision.GetProperty("kind").GetString(), decision.GetProperty("lastDay").GetString(), decision.GetProperty("dueAt").GetDateTimeOffset()));

        // The case is now a complaint (its lifecycle and clocks are the case's), the record is audited, and a second intake is refused.
        var kind = await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == caseId).Select(c => c.Kind).SingleAsync());
        Assert.Equal(CaseKind.Complaint, kind);
        Assert.Single(await app.AuditEntriesAsync("Complaint", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var again = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("complaint-exists", again.GetProperty("code").GetString());

        // Read and listed within the branch; another branch's agent sees nothing of it.
        Assert.Equal(id, (await (await agent.GetAsync($"/api/v1/complaints/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("id").GetInt64());
        var list = await (await agent.GetAsync("/api/v1/complaints")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(list.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
        var other = await app.CreateBranchAsync();
        var (_, stranger) = await app.SignInAsync(other.Id, StaffRole.Agent);
        await (await stranger.GetAsync($"/api/v1/complaints/{id}")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await stranger.GetAsync("/api/v1/complaints")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        await (await stranger.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        // An administrator does not handle complaints.
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/v1/complaints")).StatusCode);
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task Intake_WithAnUnknownCodeOrABadAmountOrNoProof_IsRefusedAtTheField_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        foreach (var (change, field) in new (Action<Dictionary<string, object?>>, string)[]
        {
            (b => b["jrtCause"] = "C77", "jrtCause"),
            (b => b["jrtChannel"] = "Z1", "jrtChannel"),
            (b => b["nature"] = "feelings", "nature"),
            (b => b["amountInDispute"] = -1m, "amountInDispute"),
            (b => b["amountInDispute"] = 10.005m, "amountInDispute"),
            (b => { b["complainantKind"] = "Heir"; b["representativeName"] = "王小红"; }, "proofNote"),
            (b => b["whatTheyWant"] = "  ", "whatTheyWant"),
            (b => b["productId"] = 999_999, "productId"),
        })
        {
            var refused = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, change))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("complaint-invalid", refused.GetProperty("code").GetString());
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out var messages), field);
            Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        }

        // The unknown code's message names the code and the set, in the caller's language.
        agent.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var english = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["jrtCause"] = "C77"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Unknown code \"C77\" in JR/T 0169 C (cause) (classification version 1).", english.GetProperty("errors").GetProperty("jrtCause")[0].GetString());

        var (count, kind) = await app.WithDbAsync(async db => (await db.Set<Complaint>().CountAsync(), await db.Set<Case>().Where(c => c.Id == caseId).Select(c => c.Kind).SingleAsync()));
        Assert.Equal((0, CaseKind.Consultation), (count, kind));

        // An heir with a proof note is accepted.
        var heir = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b =>
        {
            b["complainantKind"] = "Heir";
            b["representativeName"] = "王小红";
            b["proofNote"] = "已查验公证继承证明书原件。";
            b["amountInDispute"] = 0m;
        }))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(("Heir", "王小红", 0m), (heir.GetProperty("complainantKind").GetString(), heir.GetProperty("representativeName").GetString(), heir.GetProperty("amountInDispute").GetDecimal()));
    }

    [Theory, BothDatabases]
    public async Task Recode_WithAReason_ChangesTheCodes_AndRecordsTheRecoding(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();
        var version = complaint.GetProperty("version").GetInt32();

        var noReason = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification", new { nature = "SERVICE", jrtChannel = "A01", jrtBusiness = "B99", jrtCause = "C01", version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var unknown = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification", new { nature = "SERVICE", jrtChannel = "A01", jrtBusiness = "B42", jrtCause = "C01", reason = "x", version }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("jrtBusiness", out _));

        var recoded = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification",
            new { nature = "service", jrtChannel = "A01", jrtBusiness = "B99", jrtCause = "C01", reason = "调查后确认为服务态度问题", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["SERVICE", "A01", "B99", "C01"], recoded.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()));
        var recoding = Assert.Single(recoded.GetProperty("recodings").EnumerateArray());
        Assert.Equal(("PRODUCT A01 B99 C05", "SERVICE A01 B99 C01", "调查后确认为服务态度问题"),
            (recoding.GetProperty("fromCodes").GetString(), recoding.GetProperty("toCodes").GetString(), recoding.GetProperty("reason").GetString()));

        // Based on the old version: stale.
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/classification",
            new { nature = "POLICY", jrtChannel = "A01", jrtBusiness = "B99", jrtCause = "C01", reason = "再改", version })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, (await app.AuditEntriesAsync("Complaint", id.ToString(System.Globalization.CultureInfo.InvariantCulture))).Count);
    }

    [Theory, BothDatabases]
    public async Task NotAComplaint_IsRecordedWithItsReason_AndAudited(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var noReason = await (await agent.PostJsonAsync("/api/v1/complaints/dismissals", new { caseId, reason = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var dismissed = await (await agent.PostJsonAsync("/api/v1/complaints/dismissals", new { caseId, reason = "客户仅咨询费率，未表示不满。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var dismissalId = dismissed.GetProperty("id").GetInt64();
        var entry = Assert.Single(await app.AuditEntriesAsync("ComplaintDismissal", dismissalId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("reason", entry.Changes, StringComparison.Ordinal);
        Assert.Equal(CaseKind.Consultation, await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == caseId).Select(c => c.Kind).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task FcaBranch_ShowsTheSummaryResolutionAndTheFinalResponseDeadlines_AndNeedsTheProductGroup(DatabaseProvider provider)
    {
        // Monday 2 March 2026, 10:00 in London (GMT).
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.FcaCode, zone: "Europe/London");
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var missing = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["currency"] = "GBP"))).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(missing.GetProperty("errors").TryGetProperty("fcaProductGroup", out _));

        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => { b["currency"] = "GBP"; b["fcaProductGroup"] = "BANKING"; })))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var deadlines = complaint.GetProperty("deadlines").EnumerateArray()
            .Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("lastDay").GetString(), d.GetProperty("dueAt").GetDateTimeOffset())).ToList();
        // DISP 1.5: close of business (17:30, the fallback hours) of the third business day after Monday = Thursday 5 March, GMT.
        // DISP 1.6.2R: eight weeks = 56 days after 2 March = Monday 27 April, ending 24:00 BST = 23:00 UTC.
        Assert.Equal(
            [("summaryResolution", "2026-03-05", new DateTimeOffset(2026, 3, 5, 17, 30, 0, TimeSpan.Zero)),
             ("finalResponse", "2026-04-27", new DateTimeOffset(2026, 4, 27, 23, 0, 0, TimeSpan.Zero))],
            deadlines);
    }
}
