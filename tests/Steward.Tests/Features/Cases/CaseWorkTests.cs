using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Steward.Features.Cases;
using Steward.Features.Routing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CaseLifecycleTests;

namespace Steward.Tests.Features.Cases;

public sealed class CaseWorkTests
{
    private static readonly byte[] PngBytes = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01];

    private static readonly byte[] ExeBytes = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00];

    [Theory, BothDatabases]
    public async Task Attach_PngClaimedAsText_IsStoredAsPngUnderASanitisedName(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var png = await Ok(agent.PostAsync($"/api/v1/cases/{id}/attachments", File(PngBytes, "text/plain", "截图 1.txt")));
        var passwd = await Ok(agent.PostAsync($"/api/v1/cases/{id}/attachments", File("root:x:0:0"u8.ToArray(), "text/plain", "../../etc/passwd")));

        Assert.Equal("image/png", png.GetProperty("contentType").GetString());
        Assert.Equal("截图 1.txt", png.GetProperty("fileName").GetString());
        Assert.Equal("passwd", passwd.GetProperty("fileName").GetString());
        Assert.Equal("text/plain", passwd.GetProperty("contentType").GetString());
        var download = await agent.GetAsync(png.GetProperty("downloadUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(PngBytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory, BothDatabases]
    public async Task Attach_ExeRenamedPdf_IsRefusedWith415(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var problem = await (await agent.PostAsync($"/api/v1/cases/{id}/attachments", File(ExeBytes, "application/pdf", "statement.pdf")))
            .ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal("attachment-type-refused", problem.GetProperty("code").GetString());
        Assert.Empty((await Ok(agent.GetAsync($"/api/v1/cases/{id}"))).GetProperty("attachments").EnumerateArray());
    }

    [Theory, BothDatabases]
    public async Task Attach_LargerThanTheLimit_IsRefusedWith413(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Cases:MaxAttachmentBytes"] = "1024" });
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();

        var problem = await (await agent.PostAsync($"/api/v1/cases/{id}/attachments", File(Encoding.UTF8.GetBytes(new string('a', 1025)), "text/plain", "big.txt")))
            .ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        var atLimit = await agent.PostAsync($"/api/v1/cases/{id}/attachments", File(Encoding.UTF8.GetBytes(new string('a', 1024)), "text/plain", "ok.txt"));

        Assert.Equal("attachment-too-large", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Pick_TwoAgentsAtOnce_OneWinsTheOtherGets409(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var (first, firstClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (second, secondClient) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(firstClient, teamId: team.Id)).GetProperty("id").GetInt64();

        var responses = await Task.WhenAll(firstClient.PostAsync($"/api/v1/cases/{id}/pick", null), secondClient.PostAsync($"/api/v1/cases/{id}/pick", null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ShouldBeJsonAsync(HttpStatusCode.OK);
        var loser = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("already-assigned", loser.GetProperty("code").GetString());
        var detail = await Ok(firstClient.GetAsync($"/api/v1/cases/{id}"));
        Assert.Equal(winner.GetProperty("assigneeId").GetInt64(), detail.GetProperty("assigneeId").GetInt64());
        Assert.Contains(detail.GetProperty("assigneeId").GetInt64(), new[] { first.Id, second.Id });
        Assert.Single(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "Assigned");
    }

    [Theory, BothDatabases]
    public async Task Assign_ByAnAgent_IsForbidden_AndByATeamLeadNeedsAReasonToReassign(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agentStaff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (otherStaff, _) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var id = (await StewardApp.CreateCaseAsync(agent)).GetProperty("id").GetInt64();
        await Ok(agent.PostAsync($"/api/v1/cases/{id}/pick", null));

        await (await agent.PostJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = otherStaff.Id, reason = "换人", version = 2 })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var noReason = await (await lead.PostJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = otherStaff.Id, version = 2 })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var moved = await Ok(lead.PostJsonAsync($"/api/v1/cases/{id}/assign", new { staffId = otherStaff.Id, reason = "原处理人休假", version = 2 }));

        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(otherStaff.Id, moved.GetProperty("assigneeId").GetInt64());
        Assert.NotEqual(agentStaff.Id, moved.GetProperty("assigneeId").GetInt64());
        Assert.Equal("原处理人休假", moved.GetProperty("timeline").EnumerateArray().Last().GetProperty("reason").GetString());
    }

    [Theory, BothDatabases]
    public async Task Create_ForARoundRobinTeam_AssignsInTurnToStaffOnDutyOnly(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        await app.SetTeamCaseSettingsAsync(team.Id, AssignmentMode.RoundRobin, CaseKind.Consultation);
        var one = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var two = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var offDuty = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        foreach (var staff in new[] { one, two, offDuty })
        {
            var client = await app.ApiClientAsync(staff.Username);
            await Ok(client.PutJsonAsync("/api/v1/cases/duty", new { onDuty = staff != offDuty }));
        }

        var (_, intake) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var assignees = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            assignees.Add((await StewardApp.CreateCaseAsync(intake)).GetProperty("assigneeId").GetInt64());
        }

        Assert.Equal([one.Id, two.Id, one.Id], assignees);
    }

    [Theory, BothDatabases]
    public async Task Merge_ADuplicate_CancelsItAsDuplicateAndBothTimelinesKeepTheirHistory(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var original = (await StewardApp.CreateCaseAsync(agent, subject: "信用卡年费")).GetProperty("id").GetInt64();
        var duplicate = (await StewardApp.CreateCaseAsync(agent, subject: "信用卡年费（重复）")).GetProperty("id").GetInt64();
        await Ok(agent.PostJsonAsync($"/api/v1/cases/{original}/transitions", new { action = "Review", reason = "原件审核", version = 1 }));
        await Ok(agent.PostJsonAsync($"/api/v1/cases/{duplicate}/notes", new { body = "客户又打了一次电话" }));

        var merged = await Ok(agent.PostJsonAsync($"/api/v1/cases/{duplicate}/merge", new { intoCaseId = original, reason = "同一客户同一问题", version = 1 }));
        var target = await Ok(agent.GetAsync($"/api/v1/cases/{original}"));

        Assert.Equal("Cancelled", merged.GetProperty("status").GetString());
        Assert.Equal("Duplicate", merged.GetProperty("cancelReason").GetString());
        Assert.Equal(original, merged.GetProperty("mergedIntoId").GetInt64());
        Assert.Equal(["Created", "NoteAdded", "MergedInto"], merged.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["Created", "Transitioned", "MergedFrom"], target.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("同一客户同一问题", target.GetProperty("timeline")[2].GetProperty("reason").GetString());
        Assert.Equal([duplicate], target.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("caseId").GetInt64()));
        Assert.Single(merged.GetProperty("messages").EnumerateArray());
    }

    [Theory, BothDatabases]
    public async Task PublicStatus_WithTheRightContact_ShowsOnlyPublicReplies_AndWithAWrongOneIsNotFound(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var anonymous = app.AnonymousClient();
        var receipt = await (await anonymous.PostJsonAsync("/api/v1/public/cases", new
        {
            branchId = branch.Id, kind = "Consultation", subject = "开户材料", description = "开户需要哪些材料？", name = "韩梅梅", phone = "139 0000 1111",
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var reference = receipt.GetProperty("reference").GetString();
        var id = (await Ok(agent.GetAsync($"/api/v1/cases/by-reference/{reference}"))).GetProperty("id").GetInt64();
        await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/replies", new { body = "请携带身份证原件。" }));
        await Ok(agent.PostJsonAsync($"/api/v1/cases/{id}/notes", new { body = "内部：客户曾被拒绝开户" }));

        var status = await Ok(anonymous.PostJsonAsync("/api/v1/public/cases/status", new { reference, contact = "13900001111" }));
        await (await anonymous.PostJsonAsync("/api/v1/public/cases/status", new { reference, contact = "13900002222" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("Submitted", status.GetProperty("status").GetString());
        Assert.Equal(["请携带身份证原件。"], status.GetProperty("replies").EnumerateArray().Select(r => r.GetProperty("body").GetString()));
        Assert.DoesNotContain("内部", status.GetRawText(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Create_ByAPrivateCustomerWithAComplaint_IsUrgent_AndAnOverrideIsRecorded(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var customer = await app.CreateCustomerAsync(branch.Id, Steward.Features.Customers.CustomerTier.Private);
        var (_, lead) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);

        var created = await (await lead.PostJsonAsync("/api/v1/cases", new { kind = "Complaint", channel = "Phone", subject = "服务态度", description = "柜员态度不好。", customerId = customer.Id }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        var lowered = await Ok(lead.PostJsonAsync($"/api/v1/cases/{id}/priority", new { priority = "Normal", reason = "客户已当场表示谅解", version = 1 }));

        Assert.Equal("Urgent", created.GetProperty("priority").GetString()); // complaint ⇒ High, Private tier ⇒ +1
        Assert.Equal("Normal", lowered.GetProperty("priority").GetString());
        Assert.True(lowered.GetProperty("priorityOverridden").GetBoolean());
        var last = lowered.GetProperty("timeline").EnumerateArray().Last();
        Assert.Equal("PriorityChanged", last.GetProperty("type").GetString());
        Assert.Equal("客户已当场表示谅解", last.GetProperty("reason").GetString());
        Assert.Equal("Urgent → Normal", last.GetProperty("detail").GetString());
    }

    private static MultipartFormDataContent File(byte[] bytes, string contentType, string fileName)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { content, "file", fileName } };
    }
}
