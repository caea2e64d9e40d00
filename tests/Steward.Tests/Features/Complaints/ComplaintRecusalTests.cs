using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>Recusal (CBIRC 2020 No. 3, 回避): the person complained about, their line manager and the seller may not be assigned, unless compliance overrides.</summary>
public sealed class ComplaintRecusalTests
{
    [Theory, BothDatabases]
    public async Task Assign_ToTheStaffComplainedAboutTheirLeadOrTheSeller_IsRefused_UntilComplianceOverrides(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var team = await app.CreateTeamAsync(branch.Id);
        var subject = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var seller = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var handler = await app.CreateStaffAsync(branch.Id, StaffRole.BackOffice);
        var (_, manager) = await app.SignInAsync(branch.Id, StaffRole.BranchManager);
        var (_, compliance) = await app.SignInAsync(branch.Id, StaffRole.Compliance);
        var caseId = (await StewardApp.CreateCaseAsync(manager)).GetProperty("id").GetInt64();
        var complaint = await (await manager.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b =>
        {
            b["subjectStaffId"] = subject.Id;
            b["sellerStaffId"] = seller.Id;
        }))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();
        Assert.Equal(
            [(subject.Id, "ComplainedAbout"), (lead.Id, "LineManager"), (seller.Id, "Seller")],
            complaint.GetProperty("recused").EnumerateArray().Select(r => (r.GetProperty("staffId").GetInt64(), r.GetProperty("ground").GetString())));

        foreach (var (staff, ground) in new[] { (subject, "complained about"), (lead, "manages"), (seller, "sold") })
        {
            var refused = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/assignment", new { staffId = staff.Id, reason = "分派" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal("recusal-required", refused.GetProperty("code").GetString());
            Assert.True(refused.GetProperty("errors").TryGetProperty("staffId", out _), ground);
        }

        Assert.Null(await app.WithDbAsync(db => db.Set<Case>().Where(c => c.Id == caseId).Select(c => c.AssigneeId).SingleAsync()));

        // Someone without a direct interest is assigned.
        var assigned = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/assignment", new { staffId = handler.Id, reason = "分派" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(handler.Id, assigned.GetProperty("assigneeId").GetInt64());

        // Only compliance overrides, and only with a reason; then the lead may be assigned.
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostJsonAsync($"/api/v1/complaints/{id}/recusal-overrides", new { staffId = lead.Id, reason = "人手不足" })).StatusCode);
        var noReason = await (await compliance.PostJsonAsync($"/api/v1/complaints/{id}/recusal-overrides", new { staffId = lead.Id })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var notRecused = await (await compliance.PostJsonAsync($"/api/v1/complaints/{id}/recusal-overrides", new { staffId = handler.Id, reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(notRecused.GetProperty("errors").TryGetProperty("staffId", out _));
        var overridden = await (await compliance.PostJsonAsync($"/api/v1/complaints/{id}/recusal-overrides", new { staffId = lead.Id, reason = "团队仅一名主管，已由合规复核。" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(overridden.GetProperty("recused").EnumerateArray().Single(r => r.GetProperty("staffId").GetInt64() == lead.Id).GetProperty("overridden").GetBoolean());
        var overrideRows = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().CountAsync(e => e.EntityType == "ComplaintRecusalOverride"));
        Assert.Equal(1, overrideRows);

        var byLead = await (await manager.PostJsonAsync($"/api/v1/complaints/{id}/assignment", new { staffId = lead.Id, reason = "合规已豁免回避" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(lead.Id, byLead.GetProperty("assigneeId").GetInt64());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
