using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Root cause before an outcome; remedies within the approval limits by role (handler 1,000, branch manager 50,000, above: compliance).</summary>
public sealed class ComplaintRedressTests
{
    [Theory, BothDatabases]
    public async Task Outcome_WithoutARootCause_IsRefused_AndNothingIsWritten(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        var complaint = await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();

        var refused = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "Upheld", version = complaint.GetProperty("version").GetInt32() }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(refused.GetProperty("errors").TryGetProperty("rootCause", out _));
        Assert.Null(await app.WithDbAsync(db => db.Set<Complaint>().Where(c => c.Id == id).Select(c => c.Outcome).SingleAsync()));

        var decided = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome",
            new { outcome = "PartlyUpheld", rootCause = "赎回费率未在销售时披露。", version = complaint.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("PartlyUpheld", "赎回费率未在销售时披露。"), (decided.GetProperty("outcome").GetString(), decided.GetProperty("rootCause").GetString()));
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "NotUpheld", rootCause = "x" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, BothDatabases]
    public async Task Compensation_AboveTheHandlersLimit_WaitsForTheBranchManager_AndAboveTheirsForCompliance(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, manager) = await app.SignInAsync(branch.Id, StaffRole.BranchManager);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var caseId = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        var id = (await (await agent.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();

        // Bad amounts and an amount on an apology are refused; nothing is written.
        foreach (var (body, field) in new (object, string)[]
        {
            (new { kind = "Compensation", amount = -5m }, "amount"),
            (new { kind = "Compensation", amount = 12.345m }, "amount"),
            (new { kind = "FeeRefund" }, "amount"),
            (new { kind = "Apology", amount = 10m }, "amount"),
            (new { amount = 10m }, "kind"),
        })
        {
            var refused = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(field, out _), field);
        }

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintRemedy>().CountAsync()));

        // 1,000.00 is within the handler's limit: approved at once. 1,000.01 waits for a branch manager; 50,000.01 for compliance.
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "FeeRefund", amount = 1000.00m })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "Compensation", amount = 1000.01m, note = "赎回损失" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var all = await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "Compensation", amount = 50000.01m })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var remedies = all.GetProperty("remedies").EnumerateArray().ToList();
        Assert.Equal(
            [("FeeRefund", "Approved", "Handler"), ("Compensation", "PendingApproval", "BranchManager"), ("Compensation", "PendingApproval", "Compliance")],
            remedies.Select(r => (r.GetProperty("kind").GetString(), r.GetProperty("status").GetString(), r.GetProperty("approverLevel").GetString())));
        var (small, large) = (remedies[1].GetProperty("id").GetInt64(), remedies[2].GetProperty("id").GetInt64());

        // The agent cannot approve; the branch manager approves the first but not the second; compliance approves the second.
        await (await agent.PostJsonAsync($"/api/v1/complaints/{id}/remedies/{small}/approval", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var approved = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/remedies/{small}/approval", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("remedies")[1].GetProperty("status").GetString());
        var overLimit = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/remedies/{large}/approval", new { })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("remedy-approval-limit", overLimit.GetProperty("code").GetString());
        await (await compliance.PostJsonAsync($"/api/v1/complaints/{id}/remedies/{large}/approval", new { })).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await compliance.PostJsonAsync($"/api/v1/complaints/{id}/remedies/{large}/approval", new { })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        // A branch manager proposing 20,000 is within their own limit.
        var own = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/remedies", new { kind = "Goodwill", amount = 20000m })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", own.GetProperty("remedies")[3].GetProperty("status").GetString());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
