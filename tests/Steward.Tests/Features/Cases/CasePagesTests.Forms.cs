using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Cases;

/// <summary>The case page's remaining forms (upload, assign, priority, reclassify, link, merge) and its timeline.</summary>
public sealed partial class CasePagesTests
{
    [Theory, BothDatabases]
    public async Task Upload_ThroughThePage_ThenItsPageUrlDownloadsAsAnAttachmentWithNosniff(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var page = await PageClient.SignInAsync(app, agent.Username);
        var casePage = $"/Cases/{id}";
        var bytes = Encoding.UTF8.GetBytes("客户提供的转账凭证说明。\n");

        var (_, html) = await page.GetAsync(casePage);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value)), "__RequestVerificationToken" },
            { new ByteArrayContent(bytes), "file", "凭证说明.txt" },
        };
        var uploaded = await page.Http.PostAsync($"{casePage}?handler=Attach", form);
        var attachment = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}", StewardApp.Json)).GetProperty("attachments")[0];
        var pageUrl = attachment.GetProperty("pageUrl").GetString()!;
        var (_, shown) = await page.GetAsync(casePage);
        var download = await page.Http.GetAsync(pageUrl);

        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        Assert.Equal($"/Cases/{id}?handler=File&file={attachment.GetProperty("id").GetInt64()}", pageUrl);
        Assert.StartsWith("/api/v1/cases/", attachment.GetProperty("downloadUrl").GetString(), StringComparison.Ordinal);
        Assert.Contains($"href=\"{WebUtility.HtmlEncode(pageUrl)}\"", shown, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("凭证说明.txt", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory, BothDatabases]
    public async Task Assign_WithAReason_GivesTheCaseToAnotherPersonAndRecordsTheReason(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var other = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, StaffRole.TeamLead);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        (await api.PostAsync($"/api/v1/cases/{id}/pick", null)).EnsureSuccessStatusCode();
        var page = await PageClient.SignInAsync(app, lead.Username);

        var withoutReason = await page.PostFormAsync($"/Cases/{id}?handler=Assign", new() { ["staffId"] = Id(other.Id), ["Version"] = Version((await page.GetAsync($"/Cases/{id}")).Html) }, $"/Cases/{id}");
        await PostOkAsync(page, $"/Cases/{id}", "Assign", new() { ["staffId"] = Id(other.Id), ["Reason"] = "原处理人休假" });
        var c = await app.WithDbAsync(db => db.Set<Case>().SingleAsync(x => x.Id == id));
        var last = await app.WithDbAsync(db => db.Set<CaseEvent>().Where(e => e.CaseId == id).OrderBy(e => e.Id).LastAsync());

        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        Assert.Equal(other.Id, c.AssigneeId);
        Assert.Equal("原处理人休假", last.Reason);
        Assert.Equal(CaseEventText.ReassignedPerson, last.DetailCode);
    }

    [Theory, BothDatabases]
    public async Task OverridePriority_WithAReason_SetsItAndMarksItOverridden(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (lead, api) = await app.SignInAsync(branch.Id, StaffRole.TeamLead);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var page = await PageClient.SignInAsync(app, lead.Username);

        await PostOkAsync(page, $"/Cases/{id}", "Priority", new() { ["priority"] = "Urgent", ["Reason"] = "客户为媒体记者" });
        var (_, html) = await page.GetAsync($"/Cases/{id}");

        var c = await app.WithDbAsync(db => db.Set<Case>().SingleAsync(x => x.Id == id));
        Assert.Equal(CasePriority.Urgent, c.Priority);
        Assert.True(c.PriorityOverridden);
        Assert.Contains("普通 → 紧急", html, StringComparison.Ordinal);
        Assert.Contains("客户为媒体记者", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Reclassify_ToComplaint_ShowsTheChangeInTheReadersLanguage(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var page = await PageClient.SignInAsync(app, agent.Username);

        await PostOkAsync(page, $"/Cases/{id}", "Reclassify", new() { ["kind"] = "Complaint", ["Reason"] = "客户明确表示投诉" });
        var (_, chinese) = await page.GetAsync($"/Cases/{id}?culture=zh-CN");
        var (_, english) = await page.GetAsync($"/Cases/{id}?culture=en");

        // The seeded rule "Complaint ⇒ at least High" raises Normal to High.
        Assert.Contains("咨询 → 投诉 · 优先级 普通 → 高", chinese, StringComparison.Ordinal);
        Assert.Contains("咨询 · 柜面 · 普通", chinese, StringComparison.Ordinal);
        Assert.DoesNotContain("Consultation", EventDetails(chinese), StringComparison.Ordinal);
        Assert.Contains("Consultation → Complaint · priority Normal → High", english, StringComparison.Ordinal);
        Assert.Equal(CaseKind.Complaint, await app.WithDbAsync(db => db.Set<Case>().Where(x => x.Id == id).Select(x => x.Kind).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task LinkAndMerge_ByReference_RelateTheCasesAndCancelTheDuplicate(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var first = await StewardApp.CreateCaseAsync(api, subject: "网银无法登录");
        var second = await StewardApp.CreateCaseAsync(api, subject: "网银登录失败");
        var third = await StewardApp.CreateCaseAsync(api, subject: "网银登录报错");
        var (firstId, secondId, thirdId) = (first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64(), third.GetProperty("id").GetInt64());
        var page = await PageClient.SignInAsync(app, agent.Username);

        await PostOkAsync(page, $"/Cases/{firstId}", "Link", new() { ["reference"] = Reference(second) });
        await PostOkAsync(page, $"/Cases/{thirdId}", "Merge", new() { ["reference"] = Reference(first), ["Reason"] = "同一客户同一问题" });
        var unknown = await page.PostFormAsync($"/Cases/{firstId}?handler=Link", new() { ["reference"] = "SV-19990101-000001" }, $"/Cases/{firstId}");
        var (_, html) = await page.GetAsync($"/Cases/{firstId}");

        Assert.Contains($"href=\"/Cases/{secondId}\">{Reference(second)}</a>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/Cases/{thirdId}\">{Reference(third)}</a>", html, StringComparison.Ordinal);
        Assert.Contains("← " + Reference(third), html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var duplicate = await app.WithDbAsync(db => db.Set<Case>().SingleAsync(x => x.Id == thirdId));
        Assert.Equal((CaseStatus.Cancelled, CaseCancelReason.Duplicate, (long?)firstId), (duplicate.Status, duplicate.CancelReason, duplicate.MergedIntoId));
    }

    [Theory, BothDatabases]
    public async Task Timeline_ReplyAndNoteEventsNameTheirMessages_AndThePageShowsEachBesideItsEvent(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        foreach (var (kind, text) in new[] { ("notes", "备注甲"), ("replies", "回复乙"), ("notes", "备注丙") })
        {
            (await api.PostAsJsonAsync($"/api/v1/cases/{id}/{kind}", new { body = text }, StewardApp.Json)).EnsureSuccessStatusCode();
        }

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/cases/{id}", StewardApp.Json);
        var messages = detail.GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetInt64(), m => m.GetProperty("body").GetString());
        var named = detail.GetProperty("timeline").EnumerateArray().Where(e => e.GetProperty("type").GetString() is "ReplyAdded" or "NoteAdded")
            .Select(e => (e.GetProperty("type").GetString(), messages[e.GetProperty("messageId").GetInt64()])).ToList();
        var page = await PageClient.SignInAsync(app, agent.Username);
        var (_, html) = await page.GetAsync($"/Cases/{id}");
        var cards = TimelineCards().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value.Trim())).ToList();

        Assert.Equal([("NoteAdded", "备注甲"), ("ReplyAdded", "回复乙"), ("NoteAdded", "备注丙")], named);
        Assert.Equal([("note", "备注甲"), ("reply", "回复乙"), ("note", "备注丙")], cards);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static string EventDetails(string html) => string.Concat(EventDetail().Matches(html).Select(m => m.Groups[1].Value));

    [GeneratedRegex(@"name=""__RequestVerificationToken"" type=""hidden"" value=""([^""]+)""")]
    private static partial Regex Token();

    [GeneratedRegex(@"data-testid=""event-detail"">([^<]*)<")]
    private static partial Regex EventDetail();

    [GeneratedRegex(@"data-testid=""(reply|note)"">\s*<div class=""card-header[^>]*>[^<]*</div>\s*<div class=""card-body[^>]*>([^<]*)</div>")]
    private static partial Regex TimelineCards();
}
