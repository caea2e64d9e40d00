using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Notifications;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>
/// A complaint between intake and archive: the initial assessment (a legal impact opens a legal task), investigation tasks
/// (owners who need not recuse themselves, due dates), the outcome waiting for the tasks, the complainant's response to the
/// final letter (a dispute within 30 days reopens the decision and the case; CBIRC 2020 No. 3), and the archive.
/// </summary>
public sealed class ComplaintProcessTests
{
    /// <summary>Monday 2 March 2026, 10:00 in Shanghai (02:00 UTC).</summary>
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    [Theory, BothDatabases]
    public async Task Complaint_GoesFromAssessment_ThroughTasks_AReview_AndIsArchived(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (agentStaff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (backOffice, backOfficeClient) = await app.SignInAsync(branch.Id, StaffRole.BackOffice);
        var (compliance, complianceClient) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var subject = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var caseId = await StartedCaseAsync(agent);
        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["subjectStaffId"] = subject.Id)))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();
        Assert.Equal(["no-outcome"], Blockers(complaint));

        // The assessment needs a yes or no to each question; a legal impact needs the legal task's owner and due date. Nothing is written.
        var empty = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/assessment", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["inScope", "legalImpact", "regulatoryImpact"], FieldsOf(empty));
        var noOwner = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/assessment", new { inScope = true, regulatoryImpact = false, legalImpact = true }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["legalDueOn", "legalOwnerId"], FieldsOf(noOwner));
        Assert.Null(await app.WithDbAsync(db => db.Set<Complaint>().Where(c => c.Id == id).Select(c => c.AssessedAt).SingleAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintTask>().CountAsync()));

        var assessed = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/assessment",
            new { inScope = true, regulatoryImpact = false, legalImpact = true, note = "客户称将起诉。", legalOwnerId = compliance.Id, legalDueOn = "2026-03-06" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var process = assessed.GetProperty("process");
        Assert.True(process.GetProperty("assessment").GetProperty("legalImpact").GetBoolean());
        var legal = Assert.Single(process.GetProperty("tasks").EnumerateArray());
        Assert.Equal(("Legal", compliance.Id, "2026-03-06", "Open"),
            (legal.GetProperty("kind").GetString(), legal.GetProperty("ownerId").GetInt64(), legal.GetProperty("dueOn").GetString(), legal.GetProperty("status").GetString()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.StaffId == compliance.Id && n.Kind == "complaint.task")));

        // The staff member complained about may not investigate; a due date yesterday (1 March) is refused.
        var recused = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/tasks", new { kind = "Investigation", title = "调取录音", ownerId = subject.Id, dueOn = "2026-03-04" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["ownerId"], FieldsOf(recused));
        var late = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/tasks", new { kind = "Investigation", title = "调取录音", ownerId = backOffice.Id, dueOn = "2026-03-01" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["dueOn"], FieldsOf(late));
        var withTask = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/tasks", new { kind = "Investigation", title = "调取销售录音和签字文件", ownerId = backOffice.Id, dueOn = "2026-03-04" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var investigation = withTask.GetProperty("process").GetProperty("tasks")[1];
        var taskId = investigation.GetProperty("id").GetInt64();
        Assert.Equal(["no-outcome", "open-task"], Blockers(withTask));

        // The outcome waits for the tasks; only the owner (or a lead, manager, compliance) finishes one, and says what was found.
        var tooEarly = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "Upheld", rootCause = "销售时未披露赎回费率。" }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["outcome"], FieldsOf(tooEarly));
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/tasks/{taskId}/completion", new { result = "x" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var noResult = await (await backOfficeClient.PostJsonAsync($"/api/v1/complaints/{id}/tasks/{taskId}/completion", new { })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["result"], FieldsOf(noResult));
        await (await backOfficeClient.PostJsonAsync($"/api/v1/complaints/{id}/tasks/{taskId}/completion", new { result = "录音显示未提示赎回费。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await complianceClient.PostJsonAsync($"/api/v1/complaints/{id}/tasks/{legal.GetProperty("id").GetInt64()}/completion", new { result = "诉讼风险低。" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        // Outcome; no response is recorded before the final letter; after it, the archive waits for the response (or the window's end).
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "Upheld", rootCause = "销售时未披露赎回费率。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var noLetter = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/confirmation", new { response = "Accepted" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("response-before-final-letter", noLetter.GetProperty("code").GetString());
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "zh-CN" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var waiting = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/archive", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(["awaiting-response"], waiting.GetProperty("blockers").EnumerateArray().Select(b => b.GetString()));
        var afterLetter = await (await agent.GetAsync($"/api/v1/complaints/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        // Letter of 2 March (Shanghai) + 30 days: 1 April 2026.
        Assert.Equal("2026-04-01", afterLetter.GetProperty("process").GetProperty("reviewWindowLastDay").GetString());
        await (await agent.PostJsonAsync($"/api/v1/cases/{caseId}/transitions", new { action = "Resolve", version = afterLetter.GetProperty("caseVersion").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        // 18 days later the complainant disputes it: the reason is required; then the decision is reopened for review, and so is the case.
        app.Clock.Advance(TimeSpan.FromDays(18));
        agent = await app.ApiClientAsync(agentStaff.Username);
        var noReason = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/confirmation", new { response = "Disputed" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["note"], FieldsOf(noReason));
        var reviewed = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/confirmation", new { response = "Disputed", note = "认为补偿金额不足。" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, reviewed.GetProperty("outcome").ValueKind);
        Assert.Equal("InProgress", reviewed.GetProperty("caseStatus").GetString());
        var review = Assert.Single(reviewed.GetProperty("process").GetProperty("reviews").EnumerateArray());
        Assert.Equal(("Upheld", "认为补偿金额不足。"), (review.GetProperty("previousOutcome").GetString(), review.GetProperty("reason").GetString()));
        Assert.Equal(["no-outcome"], Blockers(reviewed));

        // The review's decision, its letter and the complainant's acceptance: archived, the case closed, nothing more decided on it.
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "PartlyUpheld", rootCause = "销售时未披露赎回费率。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "zh-CN" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/confirmation", new { response = "Accepted" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var archived = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/archive", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Closed", archived.GetProperty("caseStatus").GetString());
        Assert.Equal(JsonValueKind.String, archived.GetProperty("process").GetProperty("archivedAt").ValueKind);
        var closed = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "Apology" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("complaint-archived", closed.GetProperty("code").GetString());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task Dispute_AfterThirtyDaysOfTheFinalLetter_IsRefused_AndTheComplaintMayThenBeArchived(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (agentStaff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = await StartedCaseAsync(agent);
        var id = (await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "NotUpheld", rootCause = "费率已在合同中载明。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/letters", new { kind = "FinalResponse", language = "en" })).ShouldBeJsonAsync(HttpStatusCode.Created);

        // 1 April 23:59 in Shanghai (15:59 UTC) is the last day: the archive still waits.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 15, 59, 0, TimeSpan.Zero));
        agent = await app.ApiClientAsync(agentStaff.Username);
        var lastDay = await (await agent.GetAsync($"/api/v1/complaints/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["awaiting-response"], Blockers(lastDay));

        // 2 April 00:01 in Shanghai: a dispute opens no review (the decision stands), and the complaint may be archived.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 4, 1, 16, 1, 0, TimeSpan.Zero));
        var refused = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/reopen", new { reason = "仍不认可。" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("review-window-closed", refused.GetProperty("code").GetString());
        Assert.Contains("2026-04-01", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintReview>().CountAsync()));
        Assert.Equal(ComplaintOutcome.NotUpheld, await app.WithDbAsync(db => db.Set<Complaint>().Where(c => c.Id == id).Select(c => c.Outcome).SingleAsync()));
        var archived = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/archive", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Closed", archived.GetProperty("caseStatus").GetString());
    }

    /// <summary>A new case moved to work in progress (Review, Start), as a complaint under investigation is.</summary>
    private static async Task<long> StartedCaseAsync(HttpClient agent)
    {
        var created = await StewardApp.CreateCaseAsync(agent);
        var caseId = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt32();
        foreach (var action in new[] { "Review", "Start" })
        {
            version = (await (await agent.PostJsonAsync($"/api/v1/cases/{caseId}/transitions", new { action, version })).ShouldBeJsonAsync(HttpStatusCode.OK))
                .GetProperty("version").GetInt32();
        }

        return caseId;
    }

    private static IEnumerable<string?> Blockers(JsonElement complaint) =>
        complaint.GetProperty("process").GetProperty("archiveBlockers").EnumerateArray().Select(b => b.GetString());

    private static IEnumerable<string> FieldsOf(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
}
