using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CasePagesTests;

namespace Steward.Tests.Features.Public;

/// <summary>
/// A customer answers on the public status page (or its API) while the case waits on them: the message reaches the case,
/// the case resumes and its SLA clock's pause ends at that instant, and whoever has the case is told. No demo data, so the
/// built-in fallback calendar applies: Mon–Fri 09:00–17:30 in Shanghai (UTC+08:00), no holidays, no lunch break.
/// </summary>
public sealed class PublicReplyTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset Sh(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, China);

    // StewardApp.CreateCaseAsync gives the contact phone 13800138000.
    private const string Phone = "13800138000";

    private static async Task<(StewardApp App, HttpClient Agent, Steward.Platform.Identity.Staff AgentStaff, long Id, string Reference)> WaitingCaseAsync(DatabaseProvider provider)
    {
        var settings = new Dictionary<string, string?> { ["Security:SignIn:TokenLifetimeMinutes"] = "10080" };
        var app = await StewardApp.StartAsync(provider, settings, TestClock.Create(Sh(2026, 11, 2, 9).ToUniversalTime()));
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var client = await app.ApiClientAsync(agent.Username);
        var created = await StewardApp.CreateCaseAsync(client, kind: "BusinessHandling", branchId: branch.Id, teamId: team.Id);
        var id = created.GetProperty("id").GetInt64();
        var version = created.GetProperty("version").GetInt32();
        version = (await (await client.PostAsync($"/api/v1/cases/{id}/pick", null)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        foreach (var action in new[] { "Review", "Start" })
        {
            version = (await (await client.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, version })).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        }

        // Monday 10:00 the agent asks the customer for a document.
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 10).ToUniversalTime());
        await (await client.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "WaitOnCustomer", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return (app, client, agent, id, created.GetProperty("reference").GetString()!);
    }

    private static JsonElement Resolution(JsonElement sla) =>
        sla.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("targetType").GetString() == "Resolution" && c.GetProperty("layer").GetString() == "Institution");

    [Theory, BothDatabases]
    public async Task CustomerReply_WhileWaiting_ResumesTheCase_EndsThePause_AndTellsTheAssignee(DatabaseProvider provider)
    {
        var (app, agent, agentStaff, id, reference) = await WaitingCaseAsync(provider);
        var agentId = agentStaff.Id;
        await using var running = app;

        // Monday 14:00 the customer answers on the status page's API.
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 14).ToUniversalTime());
        var answered = await app.AnonymousClient().PostAsJsonAsync("/api/v1/public/cases/replies",
            new { reference = reference.ToLowerInvariant(), contact = Phone, body = "身份证复印件已补交，请查收。" }, StewardApp.Json);
        var status = await answered.ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(status.GetProperty("waitingOnCustomer").GetBoolean());
        var own = Assert.Single(status.GetProperty("replies").EnumerateArray());
        Assert.True(own.GetProperty("fromCustomer").GetBoolean());
        Assert.Equal("身份证复印件已补交，请查收。", own.GetProperty("body").GetString());

        var detail = await (await agent.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("None", detail.GetProperty("waiting").GetString());
        Assert.Contains(detail.GetProperty("messages").EnumerateArray(), m => m.GetProperty("visibility").GetString() == "Customer");
        var types = detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["CustomerMessageAdded", "Transitioned"], types[^2..]);

        // Resolution of business handling: 3 business days after the day of receipt (Mon 11-02) → Thu 11-05 17:30. Paused
        // Mon 10:00–14:00 = 4 working hours, so it moves to Fri 11-06 09:00 + 4 h = 13:00.
        var resolution = Resolution(await (await agent.GetAsync($"/api/v1/cases/{id}/sla")).ShouldBeJsonAsync(HttpStatusCode.OK));
        Assert.Equal("Running", resolution.GetProperty("status").GetString());
        Assert.Equal(Sh(2026, 11, 6, 13), resolution.GetProperty("dueAt").GetDateTimeOffset());

        var told = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.StaffId == agentId && n.Kind == "case-customer-message").ToListAsync());
        var note = Assert.Single(told);
        Assert.Equal($"客户在案件 {reference} 留言：身份证复印件已补交，请查收。", note.TextZh);
        Assert.Equal($"/Cases/{id}", note.Link);
    }

    [Theory, BothDatabases]
    public async Task CustomerReply_RefusedWithoutProof_Empty_OrWithAFileOfAnotherKind_WritesNothing(DatabaseProvider provider)
    {
        var (app, agent, _, id, reference) = await WaitingCaseAsync(provider);
        await using var running = app;
        var anonymous = app.AnonymousClient();
        anonymous.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        // A wrong contact gets the status look-up's answer: nothing says the case exists.
        var wrong = await anonymous.PostAsJsonAsync("/api/v1/public/cases/replies", new { reference, contact = "13900000000", body = "hello" }, StewardApp.Json);
        Assert.Equal("urn:steward:problem:case-not-found", (await wrong.ShouldBeProblemAsync(HttpStatusCode.NotFound)).GetProperty("type").GetString());

        var empty = await anonymous.PostAsJsonAsync("/api/v1/public/cases/replies", new { reference, contact = Phone, body = "  " }, StewardApp.Json);
        var problem = await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));

        // An executable renamed .pdf: refused by its content (415), and the message that came with it is not kept either.
        using var form = new MultipartFormDataContent
        {
            { new StringContent(reference), "reference" },
            { new StringContent(Phone), "contact" },
            { new StringContent("see attached"), "body" },
            { new ByteArrayContent("MZ\x90\0\x03\0\0\0"u8.ToArray()), "file", "scan.pdf" },
        };
        var refused = await anonymous.PostAsync("/api/v1/public/cases/attachments", form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);

        var detail = await (await agent.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("WaitingOnCustomer", detail.GetProperty("waiting").GetString());
        Assert.Empty(detail.GetProperty("messages").EnumerateArray());
        Assert.Empty(detail.GetProperty("attachments").EnumerateArray());
    }

    [Theory, BothDatabases]
    public async Task CustomerReply_OnThePage_WithAFile_ShowsAsTheirs_AndAnEmptyOneIsRefusedAtTheField(DatabaseProvider provider)
    {
        var (app, agent, _, id, reference) = await WaitingCaseAsync(provider);
        await using var running = app;
        var customer = AnonymousPage(app);
        var token = await customer.TokenAsync("/Public/Status");

        // Empty: 400, the message at the message field, in Chinese only, and the case still waits.
        var empty = await customer.PostFormWithTokenAsync("/Public/Status?handler=Reply", new() { ["Reference"] = reference, ["Contact"] = Phone, ["Body"] = "" }, token);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var html = await empty.Content.ReadAsStringAsync();
        Assert.Matches(@"id=""body-error"" data-testid=""field-error"">[^<]*留言[^<]*</div>", html);
        Assert.DoesNotMatch(@"id=""body-error"" data-testid=""field-error"">[^<]*[A-Za-z]{3,}[^<]*</div>", html);
        Assert.Contains("我们在等您的回复", html, StringComparison.Ordinal);

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(reference), "Reference" },
            { new StringContent(Phone), "Contact" },
            { new StringContent("补充材料见附件。"), "Body" },
            { new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray()), "file", "补充材料.pdf" },
        };
        var sent = await customer.Http.PostAsync("/Public/Status?handler=Reply", form);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        html = await sent.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"reply-sent\"", html, StringComparison.Ordinal);
        Assert.Contains("您的留言", html, StringComparison.Ordinal);
        Assert.Contains("补充材料见附件。", html, StringComparison.Ordinal);
        Assert.DoesNotContain("我们在等您的回复", html, StringComparison.Ordinal);

        var detail = await (await agent.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("None", detail.GetProperty("waiting").GetString());
        var file = Assert.Single(detail.GetProperty("attachments").EnumerateArray());
        Assert.Equal("补充材料.pdf", file.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", file.GetProperty("contentType").GetString());
    }

    [Theory, BothDatabases]
    public async Task CustomerReply_OnAClosedCase_IsRefused_AndStaffCannotWriteAsTheCustomer(DatabaseProvider provider)
    {
        var (app, agent, agentUser, id, reference) = await WaitingCaseAsync(provider);
        await using var running = app;

        // Staff cannot post a "customer" message through their own reply endpoints' page handler either.
        var staffPage = await PageClient.SignInAsync(app, agentUser.Username);
        var forged = await staffPage.PostFormAsync($"/Cases/{id}?handler=Message", new() { ["visibility"] = "Customer", ["body"] = "假冒客户" }, $"/Cases/{id}");
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Empty((await (await agent.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("messages").EnumerateArray());

        var version = (await (await agent.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();
        await (await agent.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action = "Cancel", version, cancelReason = "Withdrawn" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var late = await app.AnonymousClient().PostAsJsonAsync("/api/v1/public/cases/replies", new { reference, contact = Phone, body = "还有一个问题" }, StewardApp.Json);
        var problem = await late.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("case-finished", problem.GetProperty("type").GetString(), StringComparison.Ordinal);

        var status = await (await app.AnonymousClient().PostAsJsonAsync("/api/v1/public/cases/status", new { reference, contact = Phone }, StewardApp.Json)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(status.GetProperty("canReply").GetBoolean());
    }
}
