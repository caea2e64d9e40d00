using System.Globalization;
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
/// Corrective actions of upheld complaints (decision 0037): created and closed with evidence, every refusal at its field with
/// nothing written, visible exactly when the complaint is, recurrence of a root cause found exactly when the rule says.
/// </summary>
public sealed class ComplaintActionTests
{
    /// <summary>Monday 2 March 2026, 16:30 UTC = Tuesday 3 March 00:30 in Shanghai: the branch's day is already the 3rd.</summary>
    private static readonly DateTimeOffset JustAfterMidnightShanghai = new(2026, 3, 2, 16, 30, 0, TimeSpan.Zero);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>An intake as <paramref name="client"/> of a new case in their branch, then the outcome; returns the complaint's id.</summary>
    private static async Task<long> DecidedComplaintAsync(HttpClient client, string? outcome, Action<Dictionary<string, object?>>? change = null)
    {
        var caseId = (await StewardApp.CreateCaseAsync(client)).GetProperty("id").GetInt64();
        var complaint = await (await client.PostJsonAsync("/api/v1/complaints", ComplaintBuilders.Intake(caseId, change))).ShouldBeJsonAsync(HttpStatusCode.Created);
        var id = complaint.GetProperty("id").GetInt64();
        if (outcome is not null)
        {
            await (await client.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome, rootCause = "赎回费率未在销售时披露。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        return id;
    }

    [Theory, BothDatabases]
    public async Task CreateAndClose_RefusesBadInputAtTheField_AndClosesWithEvidence(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(JustAfterMidnightShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var other = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var outsider = await app.CreateStaffAsync(other.Id, StaffRole.Agent);
        var qa = await app.CreateStaffAsync(branch.Id, StaffRole.QaInspector);
        var id = await DecidedComplaintAsync(api, outcome: null);
        var url = $"/api/v1/complaints/{id}/actions";
        var valid = new Dictionary<string, object?> { ["title"] = "销售时逐项告知赎回费率", ["ownerId"] = agent.Id, ["dueOn"] = "2026-03-03" };

        // No outcome yet: refused, saying why.
        var early = await (await api.PostJsonAsync(url, valid)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("complaint-not-upheld", early.GetProperty("code").GetString());
        await (await api.PostJsonAsync($"/api/v1/complaints/{id}/outcome", new { outcome = "Upheld", rootCause = "赎回费率未在销售时披露。" })).ShouldBeJsonAsync(HttpStatusCode.OK);

        // The branch's day is 3 March (UTC's is still the 2nd): the 2nd is in the past there. An unknown owner, one of another
        // branch and one who does not handle complaints are refused at ownerId; nothing is written.
        foreach (var (field, value, key) in new (string, object?, string)[]
        {
            ("title", " ", "title"), ("dueOn", "2026-03-02", "dueOn"), ("dueOn", null, "dueOn"),
            ("ownerId", 999_999L, "ownerId"), ("ownerId", outsider.Id, "ownerId"), ("ownerId", qa.Id, "ownerId"), ("ownerId", null, "ownerId"),
        })
        {
            var body = new Dictionary<string, object?>(valid) { [field] = value };
            var refused = await (await api.PostJsonAsync(url, body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(key, out _), $"{field}={value}");
        }

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintAction>().CountAsync()));

        // Due today (the 3rd, local) is accepted and not overdue.
        var created = await (await api.PostJsonAsync(url, valid)).ShouldBeJsonAsync(HttpStatusCode.Created);
        var actionId = created.GetProperty("id").GetInt64();
        Assert.Equal(("Open", false, "2026-03-03", agent.Id), (created.GetProperty("status").GetString(), created.GetProperty("overdue").GetBoolean(),
            created.GetProperty("dueOn").GetString(), created.GetProperty("ownerId").GetInt64()));
        var version = created.GetProperty("version").GetInt32();

        // A day later (4 March 00:30 local) the 3rd is over: overdue, first in the overview (a new sign-in: the token has expired).
        app.Clock.Advance(TimeSpan.FromDays(1));
        api = await app.ApiClientAsync(agent.Username);
        var listed = await (await api.GetAsync(url)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(listed.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
        var overdue = await (await api.GetAsync("/api/v1/complaints/actions?overdue=true")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([actionId], overdue.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));

        // Done without evidence, Cancelled without a reason, back to Open: refused at the field. A stale version: 409.
        var statusUrl = $"{url}/{actionId}/status";
        foreach (var (body, key) in new (object, string)[]
        {
            (new { status = "Done", version }, "evidenceNote"), (new { status = "Cancelled", version }, "reason"), (new { status = "Open", version }, "status"),
            (new { status = "Done", evidenceAttachmentId = 999_999L, version }, "evidenceAttachmentId"),
        })
        {
            var refused = await (await api.PostJsonAsync(statusUrl, body)).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(refused.GetProperty("errors").TryGetProperty(key, out _), key);
        }

        await (await api.PostJsonAsync(statusUrl, new { status = "Done", evidenceNote = "x", version = version + 1 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(ComplaintActionStatus.Open, await app.WithDbAsync(db => db.Set<ComplaintAction>().Select(a => a.Status).SingleAsync()));

        var done = await (await api.PostJsonAsync(statusUrl, new { status = "Done", evidenceNote = "话术已修订，抽查 10 笔销售录音均已告知。", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Done", false, "话术已修订，抽查 10 笔销售录音均已告知。"),
            (done.GetProperty("status").GetString(), done.GetProperty("overdue").GetBoolean(), done.GetProperty("evidenceNote").GetString()));
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 16, 30, 0, TimeSpan.Zero), done.GetProperty("closedAt").GetDateTimeOffset());
        var closed = await (await api.PostJsonAsync(statusUrl, new { status = "Cancelled", reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("complaint-action-closed", closed.GetProperty("code").GetString());
        Assert.Empty((await (await api.GetAsync("/api/v1/complaints/actions")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());

        Assert.Equal(["Created", "Updated"], (await app.AuditEntriesAsync(nameof(ComplaintAction), Id(actionId))).Select(e => e.Action.ToString()));
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task AnAgentOfAnotherBranch_NeitherSeesNorChangesTheActions(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(JustAfterMidnightShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var other = await app.CreateBranchAsync();
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var (_, outsider) = await app.SignInAsync(other.Id, StaffRole.Agent);
        var (_, compliance) = await app.SignInAsync(other.Id, StaffRole.Compliance);
        var id = await DecidedComplaintAsync(api, "PartlyUpheld");
        var url = $"/api/v1/complaints/{id}/actions";
        var action = await (await api.PostJsonAsync(url, new { title = "复核收费告知流程", ownerId = agent.Id, dueOn = "2026-03-20" })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var actionId = action.GetProperty("id").GetInt64();

        await (await outsider.GetAsync(url)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostJsonAsync(url, new { title = "x", ownerId = agent.Id, dueOn = "2026-03-20" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await outsider.PostJsonAsync($"{url}/{actionId}/status", new { status = "Cancelled", reason = "x" })).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await outsider.GetAsync("/api/v1/complaints/actions")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal((ComplaintActionStatus.Open, 1), await app.WithDbAsync(async db => (await db.Set<ComplaintAction>().Select(a => a.Status).SingleAsync(), await db.Set<ComplaintAction>().CountAsync())));

        // Compliance sees every branch; the owner filter keeps the owner's.
        var all = await (await compliance.GetAsync($"/api/v1/complaints/actions?ownerId={agent.Id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal([actionId], all.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()));
        Assert.Empty((await (await compliance.GetAsync("/api/v1/complaints/actions?status=Done")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await compliance.GetAsync("/api/v1/complaints/actions?status=Whenever")).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Window 90 days, two complaints make a recurrence. Received (UTC, 02:00): c1 1 March (branch A, product P, C05, upheld);
    /// c2 30 May = 1 March + 90 days (branch B, product P, C05, upheld) → recurs with c1 (same product, not the same branch);
    /// c3 31 May = 1 March + 91 days (branch B, product P, C05, partly upheld) → recurs with c2 only (same product and branch; c1 is
    /// a day outside the window); c4 31 May (branch A, product P, C01, upheld) → none (another cause); c5 31 May (branch A,
    /// product P, C05, not upheld) → none, and it counts for nobody; c6 1 April (branch A, no product, C05, upheld) → recurs with
    /// c1 only (same branch; c2 and c3 are of branch B and c6 has no product; c5 is not upheld).
    /// </summary>
    [Theory, BothDatabases]
    public async Task Recurrence_IsRaisedExactlyWhenTheSameCauseIsUpheldAgainWithinTheWindow_OnTheSameProductOrBranch(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero)));
        var a = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var b = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var product = await app.CreateProductAsync();
        var (_, inA) = await app.SignInAsync(a.Id, StaffRole.Agent);
        var (_, inB) = await app.SignInAsync(b.Id, StaffRole.Agent);
        var (officer, compliance) = await app.SignInAsync(a.Id, StaffRole.Compliance);
        Action<Dictionary<string, object?>> Coded(string cause, long? productId, int month, int day) => x =>
        {
            (x["jrtCause"], x["productId"], x["receivedAt"]) = (cause, productId, new DateTimeOffset(2026, month, day, 2, 0, 0, TimeSpan.Zero));
        };

        var c1 = await DecidedComplaintAsync(inA, "Upheld", Coded("C05", product.Id, 3, 1));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintRecurrence>().CountAsync()));
        var c2 = await DecidedComplaintAsync(inB, "Upheld", Coded("C05", product.Id, 5, 30));
        var c3 = await DecidedComplaintAsync(inB, "PartlyUpheld", Coded("C05", product.Id, 5, 31));
        var c4 = await DecidedComplaintAsync(inA, "Upheld", Coded("C01", product.Id, 5, 31));
        var c5 = await DecidedComplaintAsync(inA, "NotUpheld", Coded("C05", product.Id, 5, 31));
        var c6 = await DecidedComplaintAsync(inA, "Upheld", Coded("C05", null, 4, 1));

        var pairs = await app.WithDbAsync(db => db.Set<ComplaintRecurrence>().OrderBy(r => r.Id).Select(r => new { r.ComplaintId, r.EarlierComplaintId, r.SameProduct, r.SameBranch, r.JrtCause }).ToListAsync());
        Assert.Equal([(c2, c1, true, false, "C05"), (c3, c2, true, true, "C05"), (c6, c1, false, true, "C05")], pairs.Select(p => (p.ComplaintId, p.EarlierComplaintId, p.SameProduct, p.SameBranch, p.JrtCause)));
        var alerts = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.Kind == ComplaintRecurrences.NotificationKind).OrderBy(n => n.Id).ToListAsync());
        Assert.Equal([(officer.Id, $"/Complaints/Details?id={c2}"), (officer.Id, $"/Complaints/Details?id={c3}"), (officer.Id, $"/Complaints/Details?id={c6}")], alerts.Select(n => (n.StaffId, n.Link)));
        Assert.Contains("C05", alerts[0].TextEn, StringComparison.Ordinal);

        // Both sides show it; a reader of branch A sees c1's recurrence with c2 but not which complaint of branch B it is.
        JsonElement Recurrences(JsonElement list) => list.GetProperty("recurrences");
        Assert.Equal(c2, Recurrences(await (await compliance.GetAsync($"/api/v1/complaints/{c1}/actions")).ShouldBeJsonAsync(HttpStatusCode.OK))[0].GetProperty("otherComplaintId").GetInt64());
        Assert.Equal([c1, c3], Recurrences(await (await compliance.GetAsync($"/api/v1/complaints/{c2}/actions")).ShouldBeJsonAsync(HttpStatusCode.OK))
            .EnumerateArray().Select(r => r.GetProperty("otherComplaintId").GetInt64()));
        var seenFromA = Recurrences(await (await inA.GetAsync($"/api/v1/complaints/{c1}/actions")).ShouldBeJsonAsync(HttpStatusCode.OK));
        var hidden = seenFromA[0];
        Assert.Equal(c6, seenFromA[1].GetProperty("otherComplaintId").GetInt64());
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("otherComplaintId").ValueKind);
        Assert.Equal(JsonValueKind.Null, hidden.GetProperty("otherCaseReference").ValueKind);
        foreach (var none in new[] { c4, c5 })
        {
            Assert.Empty(Recurrences(await (await compliance.GetAsync($"/api/v1/complaints/{none}/actions")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray());
        }

        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task ComplaintPage_ShowsTheSection_RefusesAtTheField_AndTheOverviewListsOverdueFirst(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, clock: TestClock.Create(JustAfterMidnightShanghai));
        var branch = await app.CreateBranchUnderAsync(SlaPresets.PrcCode);
        var (agent, api) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var undecided = await DecidedComplaintAsync(api, outcome: null);
        var id = await DecidedComplaintAsync(api, "Upheld");
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");
        var url = $"/Complaints/Details?id={id}";

        var (_, waiting) = await pages.GetAsync($"/Complaints/Details?id={undecided}");
        var section = HtmlForms.Parse(waiting).QuerySelector("[data-testid=complaint-actions]")!;
        Assert.Contains("Corrective actions follow an upheld or partly upheld outcome.", section.TextContent, StringComparison.Ordinal);
        Assert.Null(section.QuerySelector("form"));

        // The 2nd is yesterday at the branch: refused at the due field, what was typed kept.
        var fields = new Dictionary<string, string> { ["op"] = "create", ["title"] = "修订赎回费率告知话术", ["ownerId"] = Id(agent.Id), ["dueOn"] = "2026-03-02" };
        var refused = await pages.PostFormAsync(url + "&handler=Action", fields, url);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var form = HtmlForms.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("[data-testid=complaint-action-form]")!;
        Assert.Contains("cannot be in the past (today is 2026-03-03 at the branch)", form.QuerySelector("#action-create-dueOn-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("修订赎回费率告知话术", form.QuerySelector("input[name=title]")!.GetAttribute("value"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<ComplaintAction>().CountAsync()));

        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync(url + "&handler=Action", new(fields) { ["dueOn"] = "2026-03-03" }, url)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await pages.PostFormAsync(url + "&handler=Action", new(fields) { ["title"] = "培训理财销售人员", ["dueOn"] = "2026-03-10" }, url)).StatusCode);
        app.Clock.Advance(TimeSpan.FromDays(1));
        pages = await PageClient.SignInAsync(app, agent.Username, language: "en");

        var (_, page) = await pages.GetAsync(url);
        var actions = HtmlForms.Parse(page).QuerySelectorAll("[data-testid=complaint-action]");
        Assert.Equal(2, actions.Length);
        Assert.NotNull(actions[0].QuerySelector("[data-testid=complaint-action-overdue]"));
        Assert.Null(actions[1].QuerySelector("[data-testid=complaint-action-overdue]"));

        // Done without evidence from the page: refused at that action's evidence field.
        var statusForm = actions[0].QuerySelector("form")!;
        var actionId = statusForm.QuerySelector("input[name=actionId]")!.GetAttribute("value")!;
        var noEvidence = await pages.PostFormAsync(url + "&handler=Action",
            new() { ["op"] = "status", ["actionId"] = actionId, ["version"] = statusForm.QuerySelector("input[name=version]")!.GetAttribute("value")!, ["status"] = "Done" }, url);
        Assert.Equal(HttpStatusCode.BadRequest, noEvidence.StatusCode);
        Assert.NotNull(HtmlForms.Parse(await noEvidence.Content.ReadAsStringAsync()).QuerySelector($"#action-status-{actionId}-evidenceNote-error"));

        var (status, overview) = await pages.GetAsync("/Complaints/Actions");
        Assert.Equal(HttpStatusCode.OK, status);
        var rows = HtmlForms.Parse(overview).QuerySelectorAll("[data-testid=complaint-action-row]");
        Assert.Equal(2, rows.Length);
        Assert.Contains("2026-03-03", rows[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[0].QuerySelector("[data-testid=complaint-action-overdue]"));
        var (badStatus, badFilter) = await pages.GetAsync("/Complaints/Actions?status=Whenever");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.NotNull(HtmlForms.Parse(badFilter).QuerySelector("#status-error"));
        var (_, list) = await pages.GetAsync("/Complaints");
        Assert.NotNull(HtmlForms.Parse(list).QuerySelector("a[href='/Complaints/Actions']"));
    }
}

/// <summary>The demo's rectification actions and recurrence, on the shared demo first start.</summary>
[Collection(DemoCollection.Name)]
public sealed class ComplaintActionDemoTests(DemoApps demo)
{
    [Theory, BothDatabases]
    public async Task FirstStart_SeedsActions_AndARecurrenceThatComplianceIsToldOf(DatabaseProvider provider)
    {
        var app = await demo.ForAsync(provider);
        var actions = await app.WithDbAsync(db => db.Set<ComplaintAction>().AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([ComplaintActionStatus.Done, ComplaintActionStatus.Open, ComplaintActionStatus.InProgress, ComplaintActionStatus.Open], actions.Select(a => a.Status));
        Assert.NotNull(actions[0].EvidenceNote);
        var recurrence = await app.WithDbAsync(db => db.Set<ComplaintRecurrence>().AsNoTracking().SingleAsync());
        Assert.Equal((actions[0].ComplaintId, true), (recurrence.EarlierComplaintId, recurrence.SameBranch));
        var complianceId = await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Username == "compliance").Select(s => s.Id).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.StaffId == complianceId && n.Kind == ComplaintRecurrences.NotificationKind)));

        var pages = await PageClient.SignInAsync(app, "compliance", Steward.Features.Demo.DemoSeeder.Password);
        var (_, overview) = await pages.GetAsync("/Complaints/Actions");
        var rows = HtmlForms.Parse(overview).QuerySelectorAll("[data-testid=complaint-action-row]");
        Assert.Equal(3, rows.Length); // the open ones and the one in progress; the done one is not open
        Assert.NotNull(rows[0].QuerySelector("[data-testid=complaint-action-overdue]"));
        Assert.Equal(actions[3].ComplaintId, recurrence.ComplaintId);
        Assert.Single(rows, r => r.QuerySelector("[data-testid=complaint-recurring]") is not null);
        var (_, page) = await pages.GetAsync($"/Complaints/Details?id={recurrence.ComplaintId}");
        Assert.NotNull(HtmlForms.Parse(page).QuerySelector("[data-testid=complaint-recurring]"));
    }
}
