using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Complaints;
using Steward.Features.Sla;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Complaints;

/// <summary>The complaint pages: intake from a case, refusals at their fields, recusal at the assignee field, a letter's printable page.</summary>
public sealed class ComplaintPagesTests
{
    private static readonly DateTimeOffset MondayMorningShanghai = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Form(Action<Dictionary<string, string>>? change = null)
    {
        var form = new Dictionary<string, string>
        {
            ["Input.ComplainantKind"] = "Customer", ["Input.WhatHappened"] = "柜员态度恶劣，拒绝解释收费。", ["Input.WhatTheyWant"] = "道歉。", ["Input.AmountInDispute"] = "",
            ["Input.Currency"] = "CNY", ["Input.Channel"] = "Counter", ["Input.Nature"] = "SERVICE", ["Input.JrtChannel"] = "A01", ["Input.JrtBusiness"] = "B01", ["Input.JrtCause"] = "C01",
        };
        change?.Invoke(form);
        return form;
    }

    [Theory, BothDatabases]
    public async Task IntakeViaThePage_RefusesAtTheField_ThenRecords_AndTheComplaintPageShowsTheDeadline(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var caseId = (await StewardApp.CreateCaseAsync(await app.ApiClientAsync(agent.Username))).GetProperty("id").GetInt64();
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        var url = $"/Complaints/New?caseId={caseId}";

        var (status, form) = await pages.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"complaint-intake-form\"", form, StringComparison.Ordinal);

        var badAmount = await pages.PostFormAsync(url, Form(f => f["Input.AmountInDispute"] = "12.345"));
        Assert.Equal(HttpStatusCode.BadRequest, badAmount.StatusCode);
        var html = await badAmount.Content.ReadAsStringAsync();
        Assert.Contains("id=\"amountInDispute-error\"", html, StringComparison.Ordinal);
        Assert.Contains("at most 2 decimals", html, StringComparison.Ordinal);
        var unknown = await pages.PostFormAsync(url, Form(f => f["Input.JrtCause"] = "C77"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("id=\"jrtCause-error\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Complaint>().CountAsync()));
        // The case page offers the intake until the complaint is taken in, then links its record.
        var (_, casePage) = await pages.GetAsync($"/Cases/{caseId}");
        Assert.Contains($"/Complaints/New?caseId={caseId}", HtmlForms.Parse(casePage).QuerySelector("[data-testid=case-complaint-intake]")?.GetAttribute("href"), StringComparison.Ordinal);

        var saved = await pages.PostFormAsync(url, Form(f => f["Input.AmountInDispute"] = "88.50"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var (detailsStatus, details) = await pages.GetAsync(saved.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, detailsStatus);
        Assert.Contains("2026-03-17 end of day", details, StringComparison.Ordinal);
        Assert.Contains("CNY 88.50", details, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<Complaint>().AsNoTracking().SingleAsync());
        Assert.Equal((caseId, 88.50m, "SERVICE", "C01"), (stored.CaseId, stored.AmountInDispute, stored.Nature, stored.JrtCause));
        (_, casePage) = await pages.GetAsync($"/Cases/{caseId}");
        Assert.Equal($"/Complaints/Details?id={stored.Id}", HtmlForms.Parse(casePage).QuerySelector("[data-testid=case-complaint-link]")?.GetAttribute("href"));

        // The list shows it; an administrator may not open the complaint pages.
        var (_, list) = await pages.GetAsync("/Complaints");
        Assert.Contains($"/Complaints/Details?id={stored.Id}", list, StringComparison.Ordinal);
        var row = HtmlForms.Parse(list).QuerySelector("[data-testid=complaint-row]")!.TextContent;
        Assert.Contains("Service · C01 Service attitude and quality", System.Text.RegularExpressions.Regex.Replace(row, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain("SERVICE", row, StringComparison.Ordinal);
        // The deadline reads as on the complaint page: the last day "end of day", not midnight of the day after.
        Assert.Contains("2026-03-17 end of day", row, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-03-18 00:00", row, StringComparison.Ordinal);
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var adminPages = await PageClient.SignInAsync(app, admin.Username);
        Assert.Equal(HttpStatusCode.Forbidden, (await adminPages.GetAsync("/Complaints")).Status);
    }

    [Theory, BothDatabases]
    public async Task ComplaintPage_RefusesTheRecusedAssigneeAtTheField_AndPrintsTheLetter(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var subject = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.BranchManager);
        var api = await app.ApiClientAsync(manager.Username);
        var caseId = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var id = (await (await api.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, b => b["subjectStaffId"] = subject.Id))).ShouldBeJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        var pages = await PageClient.SignInAsync(app, manager.Username, language: "en");
        var url = $"/Complaints/Details?id={id}";

        var refused = await pages.PostFormAsync(url + "&handler=Assign", new() { ["staffId"] = subject.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = "x" }, url);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"assign-staffId-error\"", html, StringComparison.Ordinal);
        Assert.Contains("The complaint is about this staff member", html, StringComparison.Ordinal);

        var noCause = await pages.PostFormAsync(url + "&handler=Outcome", new() { ["outcome"] = "Upheld" }, url);
        Assert.Equal(HttpStatusCode.BadRequest, noCause.StatusCode);
        Assert.Contains("id=\"outcome-rootCause-error\"", await noCause.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var letter = await pages.PostFormAsync(url + "&handler=Letter", new() { ["kind"] = "Acknowledgment", ["language"] = "zh-CN" }, url);
        Assert.Equal(HttpStatusCode.Redirect, letter.StatusCode);
        var (status, printable) = await pages.GetAsync(letter.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("lang=\"zh-CN\"", printable, StringComparison.Ordinal);
        Assert.Contains("2026年3月17日", printable, StringComparison.Ordinal);

        // A refused remedy keeps what was typed.
        var badRemedy = await pages.PostFormAsync(url + "&handler=Remedy", new() { ["kind"] = "Compensation", ["amount"] = "12.345", ["note"] = "补偿利息" }, url);
        Assert.Equal(HttpStatusCode.BadRequest, badRemedy.StatusCode);
        var remedyForm = HtmlForms.Parse(await badRemedy.Content.ReadAsStringAsync()).QuerySelector("[data-testid=complaint-remedy-form]")!;
        Assert.Equal("12.345", remedyForm.QuerySelector("input[name=amount]")!.GetAttribute("value"));
        Assert.Equal("补偿利息", remedyForm.QuerySelector("input[name=note]")!.GetAttribute("value"));
        Assert.NotNull(remedyForm.QuerySelector("option[value=Compensation][selected]"));

        // A remedy above the branch manager's limit (50,000) waits for compliance: only compliance is offered the approve button.
        var proposed = await pages.PostFormAsync(url + "&handler=Remedy", new() { ["kind"] = "Goodwill", ["amount"] = "60000", ["note"] = "" }, url);
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var (_, managerView) = await pages.GetAsync(url);
        var remedy = HtmlForms.Parse(managerView).QuerySelector("[data-testid=complaint-remedy]");
        Assert.NotNull(remedy);
        Assert.Contains("Waiting for approval", remedy.TextContent, StringComparison.Ordinal);
        Assert.Null(remedy.QuerySelector("form"));
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        var compliancePages = await PageClient.SignInAsync(app, compliance.Username, language: "en");
        var (_, complianceView) = await compliancePages.GetAsync(url);
        var approve = HtmlForms.Parse(complianceView).QuerySelector("[data-testid=complaint-remedy] form");
        Assert.NotNull(approve);
        var remedyId = approve.QuerySelector("input[name=remedyId]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.Redirect, (await compliancePages.PostFormAsync(url + "&handler=Approve", new() { ["remedyId"] = remedyId }, url)).StatusCode);
        Assert.Equal(RemedyStatus.Approved, await app.WithDbAsync(db => db.Set<ComplaintRemedy>().Select(x => x.Status).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task ComplaintPage_AddsATask_RefusingMistakesAtTheirFields_AndSaysWhatTheArchiveWaitsFor(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(MondayMorningShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var backOffice = await app.CreateStaffAsync(branch.Id, StaffRole.BackOffice);
        var api = await app.ApiClientAsync(agent.Username);
        var caseId = (await StewardApp.CreateCaseAsync(api)).GetProperty("id").GetInt64();
        var id = (await (await api.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId))).ShouldBeJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        var url = $"/Complaints/Details?id={id}";

        var (_, page) = await pages.GetAsync(url);
        var doc = HtmlForms.Parse(page);
        Assert.NotNull(doc.QuerySelector("[data-testid=complaint-task-form]"));
        // A new case: the archive waits for the outcome and for work on the case to start.
        Assert.Equal(["the outcome is recorded", "work on the case has started"],
            doc.QuerySelectorAll("[data-testid=complaint-archive-blockers] li").Select(li => li.TextContent.Trim()));

        // No title and a due date in the past: both said at their fields, what was typed kept, nothing stored.
        var refused = await pages.PostFormAsync(url + "&handler=Task", new Dictionary<string, string>
        {
            ["kind"] = "Investigation", ["title"] = "", ["ownerId"] = backOffice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["dueOn"] = "2026-03-01",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = HtmlForms.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Say what is to be found out.", html.QuerySelector("#task-title-error")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("A day from today (2026-03-02)", html.QuerySelector("#task-dueOn-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-03-01", html.QuerySelector("#task-dueOn")?.GetAttribute("value"));
        Assert.Equal(backOffice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), html.QuerySelector("#task-ownerId option[selected]")?.GetAttribute("value"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintTask>().CountAsync()));

        var saved = await pages.PostFormAsync(url + "&handler=Task", new Dictionary<string, string>
        {
            ["kind"] = "Investigation", ["title"] = "调取销售录音", ["ownerId"] = backOffice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["dueOn"] = "2026-03-04",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        (_, page) = await pages.GetAsync(url);
        var task = HtmlForms.Parse(page).QuerySelector("[data-testid=complaint-task]")!.TextContent;
        Assert.Contains("调取销售录音", task, StringComparison.Ordinal);
        Assert.Contains("due 2026-03-04", task, StringComparison.Ordinal);
        Assert.Contains(backOffice.DisplayName, task, StringComparison.Ordinal);
    }
}
