using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Extensions, restart, cancel/merge, scope of the at-risk list, e-mail deferral, and the SLA panel's forms.</summary>
public sealed partial class SlaClockTests
{
    private static async Task SelectPrcAsync(World w)
    {
        var (_, admin) = await w.App.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        var prc = await SlaApi.StandardIdAsync(admin, "CN-CBIRC-2020-3");
        var selection = await (await admin.GetAsync("/api/v1/sla/presets/selection")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = prc, version = selection.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    private static async Task<string> AfterPostAsync(PageClient page, string url, Dictionary<string, string> fields, string casePage)
    {
        var response = await page.PostFormAsync(url, fields, casePage);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(casePage + "#", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var (status, html) = await page.GetAsync(casePage);
        Assert.Equal(HttpStatusCode.OK, status);
        return html;
    }

    [Theory, BothDatabases]
    public async Task CasePage_ExtensionRequestedThenApprovedByAnother_OverMaximumAndSelfApprovalShownInPlace(DatabaseProvider provider)
    {
        // PRC preset; complaint received Monday 2026-11-02 10:00 (fallback calendar, no holidays).
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        await SelectPrcAsync(w);
        var (id, _, _) = await CreateCaseAsync(w, "Complaint");
        var casePage = $"/Cases/{id}";
        var actions = $"/Cases/{id}/Sla";

        var lead = await PageClient.SignInAsync(app, w.Lead.Username, language: "en");
        var (_, html) = await lead.GetAsync(casePage);
        Assert.Contains("data-testid=\"sla-extend-form\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Resolution|Regulatory\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sla-restart-form\"", html, StringComparison.Ordinal); // regulatory clocks only
        // Regulatory resolution: 15 days after 11-02 = Tue 11-17 → 24:00 = Wed 2026-11-18 00:00 +08 ('+' is HTML-encoded).
        Assert.Contains("Wed 18 Nov 2026, 00:00 (UTC&#x2B;8)", html, StringComparison.Ordinal);

        // 61 days > 15 + 45: refused, the error next to the extension form (and only once).
        html = await AfterPostAsync(lead, actions + "?handler=Extend",
            new() { ["clock"] = "Resolution|Regulatory", ["newAmount"] = "61", ["reason"] = "情况特别复杂" }, casePage);
        Assert.Contains("data-code=\"extension-above-maximum\"", html, StringComparison.Ordinal);
        Assert.Contains("At most 60 CalendarDays in total (requested 61).", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sla-extension\"", html, StringComparison.Ordinal);
        (_, html) = await lead.GetAsync(casePage);
        Assert.DoesNotContain("data-testid=\"sla-error\"", html, StringComparison.Ordinal);

        // 15 + 45 = 60 (added): pending; the requester gets no decision buttons.
        html = await AfterPostAsync(lead, actions + "?handler=Extend",
            new() { ["clock"] = "Resolution|Regulatory", ["addAmount"] = "45", ["reason"] = "情况特别复杂" }, casePage);
        Assert.Contains("data-testid=\"sla-done\"", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Pending\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"sla-decide-form\"", html, StringComparison.Ordinal);
        var extension = (await SlaAsync(w.AgentClient, id)).GetProperty("extensions").EnumerateArray().Single();
        Assert.Equal(60, extension.GetProperty("newAmount").GetInt32());
        var decision = new Dictionary<string, string>
        {
            ["extensionId"] = extension.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture),
            ["version"] = extension.GetProperty("version").GetInt32().ToString(CultureInfo.InvariantCulture),
            ["note"] = "同意",
        };

        // The requester approving anyway (forged post): refused, shown next to the extension.
        html = await AfterPostAsync(lead, actions + "?handler=Approve", decision, casePage);
        Assert.Contains("data-code=\"approver-is-requester\"", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Pending\"", html, StringComparison.Ordinal);

        // An agent may not decide: no buttons.
        var agent = await PageClient.SignInAsync(app, w.Agent.Username, language: "en");
        (_, html) = await agent.GetAsync(casePage);
        Assert.DoesNotContain("data-testid=\"sla-decide-form\"", html, StringComparison.Ordinal);

        // The branch manager approves: 60 days after 11-02 = Fri 2027-01-01 → 24:00 = Sat 2027-01-02 00:00 +08.
        var manager = await PageClient.SignInAsync(app, w.Manager.Username, language: "en");
        (_, html) = await manager.GetAsync(casePage);
        Assert.Contains("data-testid=\"sla-decide-form\"", html, StringComparison.Ordinal);
        html = await AfterPostAsync(manager, actions + "?handler=Approve", decision, casePage);
        Assert.Contains("data-testid=\"sla-done\"", html, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Approved\"", html, StringComparison.Ordinal);
        Assert.Contains("Sat 2 Jan 2027, 00:00 (UTC&#x2B;8)", html, StringComparison.Ordinal);
        Assert.Equal(Sh(2027, 1, 2, 0), Due(Clock(await SlaAsync(w.AgentClient, id), "Resolution", "Regulatory")));

        // The customer is told on the case, in one language: a branch under the PRC preset writes Chinese (no English half).
        var notices = await app.WithDbAsync(db => db.Set<Steward.Features.Cases.CaseMessage>().AsNoTracking()
            .Where(m => m.CaseId == id && m.Visibility == Steward.Features.Cases.MessageVisibility.Public).Select(m => m.Body).ToListAsync());
        var notice = Assert.Single(notices);
        Assert.StartsWith("您的案件处理期限已延长至 ", notice, StringComparison.Ordinal);
        Assert.EndsWith("。原因：情况特别复杂", notice, StringComparison.Ordinal);
        Assert.DoesNotContain("handling period", notice, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Extension_Rejected_LeavesTheDeadline_AndAllowsANewRequest(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        await SelectPrcAsync(w);
        var (id, _, _) = await CreateCaseAsync(w, "Complaint");
        var url = $"/api/v1/cases/{id}/sla/extensions";

        var pending = await (await w.LeadClient.PostJsonAsync(url, new { targetType = "Resolution", layer = "Regulatory", newAmount = 30, reason = "需要调取录音" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var extId = pending.GetProperty("id").GetInt64();
        var rejected = await (await w.ManagerClient.PostJsonAsync($"{url}/{extId}/reject", new { note = "材料已齐全" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("材料已齐全", rejected.GetProperty("decisionNote").GetString());

        // Deadline unchanged: Wed 2026-11-18 00:00 +08; no change recorded; the requester is told.
        var sla = await SlaAsync(w.AgentClient, id);
        var regulatory = Clock(sla, "Resolution", "Regulatory");
        Assert.Equal(Sh(2026, 11, 18, 0), Due(regulatory));
        Assert.Equal(15, regulatory.GetProperty("amount").GetInt32());
        Assert.Empty(regulatory.GetProperty("changes").EnumerateArray());
        var told = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.StaffId == w.Lead.Id && n.Kind == "sla.extension").Select(n => n.TextEn).ToListAsync());
        Assert.Contains(told, t => t.EndsWith("extension rejected", StringComparison.Ordinal));

        // Deciding again is a conflict; a new request may be made.
        var again = await (await w.ComplianceClientAsync()).PostJsonAsync($"{url}/{extId}/approve", new { note = "ok" });
        Assert.Equal("extension-decided", (await again.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        await (await w.LeadClient.PostJsonAsync(url, new { targetType = "Resolution", layer = "Regulatory", addAmount = 10, reason = "需要调取录音" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Theory, BothDatabases]
    public async Task CancelAndMerge_CancelEveryOpenClock_AtThatInstant(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9), new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
        await using var app = w.App;
        var (cancelled, cancelledVersion, _) = await CreateCaseAsync(w, "Complaint");
        var (merged, mergedVersion, _) = await CreateCaseAsync(w, "Complaint");
        var (kept, _, _) = await CreateCaseAsync(w, "Complaint");

        app.Clock.SetUtcNow(Sh(2026, 11, 2, 11).ToUniversalTime());
        await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{cancelled}/transitions",
            new { action = "Cancel", version = cancelledVersion, reason = "客户撤回投诉", cancelReason = "Withdrawn" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 12).ToUniversalTime());
        await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{merged}/merge",
            new { intoCaseId = kept, reason = "重复投诉", version = mergedVersion })).ShouldBeJsonAsync(HttpStatusCode.OK);

        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().Where(k => k.CaseId == cancelled || k.CaseId == merged || k.CaseId == kept).ToListAsync());
        Assert.Contains(clocks, k => k.CaseId == cancelled);
        Assert.All(clocks.Where(k => k.CaseId == cancelled), k => { Assert.Equal(SlaClockStatus.Cancelled, k.Status); Assert.Equal(Sh(2026, 11, 2, 11), k.CancelledAt); });
        Assert.Contains(clocks, k => k.CaseId == merged);
        Assert.All(clocks.Where(k => k.CaseId == merged), k => { Assert.Equal(SlaClockStatus.Cancelled, k.Status); Assert.Equal(Sh(2026, 11, 2, 12), k.CancelledAt); });
        Assert.All(clocks.Where(k => k.CaseId == kept), k => Assert.Equal(SlaClockStatus.Running, k.Status));

        // Cancelled clocks leave the at-risk list; no alert is ever raised for them.
        var list = await (await w.AgentClient.GetAsync("/api/v1/sla/at-risk")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.All(list.EnumerateArray(), i => Assert.Equal(kept, i.GetProperty("caseId").GetInt64()));
        app.Clock.Advance(TimeSpan.FromDays(40));
        await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(SlaSweepJob.JobName);
        var alerted = await app.WithDbAsync(db => db.Set<SlaAlert>().Join(db.Set<SlaClock>(), a => a.ClockId, k => k.Id, (a, k) => k.CaseId).Distinct().ToListAsync());
        Assert.Equal([kept], alerted);
    }

    [Theory, BothDatabases]
    public async Task Restart_NewFacts_RestartsTheRegulatoryResolution_WithTheReasonInTheExplanation(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        await SelectPrcAsync(w);
        var (id, _, _) = await CreateCaseAsync(w, "Complaint");
        var institutionDue = Due(Clock(await SlaAsync(w.AgentClient, id), "Resolution"));

        // Mon 2026-11-09 09:00 (within the test sign-in's 7 days): new facts. 15 days after 11-09 = Tue 11-24, a working
        // day → 24:00 = Wed 2026-11-25 00:00 +08.
        app.Clock.SetUtcNow(Sh(2026, 11, 9, 9).ToUniversalTime());
        var missing = await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{id}/sla/restart", new { reason = " " })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("invalid-request", missing.GetProperty("code").GetString());
        const string reason = "客户补充提交了新的交易凭证";
        var sla = await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{id}/sla/restart", new { reason })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var regulatory = Clock(sla, "Resolution", "Regulatory");
        Assert.Equal(Sh(2026, 11, 25, 0), Due(regulatory));
        Assert.Equal(2, regulatory.GetProperty("cycle").GetInt32());
        Assert.Equal(Sh(2026, 11, 9, 9), regulatory.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Equal(reason, regulatory.GetProperty("restartReason").GetString());
        Assert.Equal(Sh(2026, 11, 9, 9), regulatory.GetProperty("restartedAt").GetDateTimeOffset());
        var steps = regulatory.GetProperty("steps").EnumerateArray().Select(s => s.GetString()!).ToList();
        Assert.Equal("2026-11-09 09:00（周一） 收到新的事实和理由，重新计算处理期限：" + reason + "。处理期限自该时起重新计算。", steps[0]);
        // The institution's own resolution clock is not touched.
        Assert.Equal(institutionDue, Due(Clock(sla, "Resolution")));
        Assert.Equal(Sh(2026, 11, 25, 0), await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking()
            .Where(k => k.CaseId == id && k.Layer == Steward.Features.Sla.SlaLayer.Regulatory && k.TargetType == Steward.Features.Sla.SlaTargetType.Resolution)
            .Select(k => k.DueAt).SingleAsync()));

        var en = await PageClient.SignInAsync(app, w.Agent.Username, language: "en");
        var (_, html) = await en.GetAsync($"/Cases/{id}?culture=en");
        Assert.Contains("Restarted at 2026-11-09 09:00 (Mon) on new facts and reasons: " + reason + ".", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AtRisk_IsScoped_AgentSeesOwnBranchOnly_ComplianceSeesBoth(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9), new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
        await using var app = w.App;
        var branchB = await app.CreateBranchAsync();
        var agentB = await app.CreateStaffAsync(branchB.Id, StaffRole.Agent);
        var agentBClient = await app.ApiClientAsync(agentB.Username);
        var (inA, _, refA) = await CreateCaseAsync(w, "Complaint");
        var inB = (await StewardApp.CreateCaseAsync(agentBClient, kind: "Complaint", branchId: branchB.Id)).GetProperty("id").GetInt64();

        static async Task<long[]> CasesAsync(HttpClient client) =>
            (await (await client.GetAsync("/api/v1/sla/at-risk")).ShouldBeJsonAsync(HttpStatusCode.OK)).EnumerateArray()
                .Select(i => i.GetProperty("caseId").GetInt64()).Distinct().Order().ToArray();

        Assert.Equal([inA], await CasesAsync(w.AgentClient));
        Assert.Equal([inB], await CasesAsync(agentBClient));
        Assert.Equal(new[] { inA, inB }.Order().ToArray(), await CasesAsync(await w.ComplianceClientAsync()));

        var pageB = await PageClient.SignInAsync(app, agentB.Username, language: "en");
        var (_, html) = await pageB.GetAsync("/Sla/AtRisk");
        Assert.DoesNotContain(refA, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await agentBClient.GetAsync($"/api/v1/cases/{inA}/sla")).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task BreachAt22Local_StaffEmailsWaitForTheNextWorkingPeriod_InAppAtOnce(DatabaseProvider provider)
    {
        // Consultation Mon 2026-11-02 09:00 (fallback calendar Mon–Fri 09:00–17:30): first response 4 business hours → 13:00.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9), new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
        await using var app = w.App;
        await app.WithDbAsync(async db =>
        {
            foreach (var s in await db.Set<Staff>().Where(s => s.Id == w.Lead.Id || s.Id == w.Manager.Id).ToListAsync())
            {
                s.Email = s.Id == w.Lead.Id ? "lead@example.cn" : "manager@example.cn";
                // The manager reads English; the lead chose nothing (Chinese, the working language).
                s.Culture = s.Id == w.Lead.Id ? null : "en";
            }

            await db.SaveChangesAsync();
        });
        var (id, _, reference) = await CreateCaseAsync(w, "Consultation");

        // The sweep runs at Mon 22:00 local: the breach is raised now, in-app at once; e-mails not before the next
        // working period start, Tue 2026-11-03 09:00 +08 (= 01:00 UTC).
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 22).ToUniversalTime());
        Assert.Null((await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(SlaSweepJob.JobName)).Error);
        var notes = await NotificationsAsync(app, reference);
        Assert.Equal(new[] { w.Lead.Id, w.Manager.Id }.Order(), notes.Where(n => n.Kind == "sla.breach").Select(n => n.StaffId).Order());
        var mails = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking()
            .Where(m => m.Channel == OutboxChannel.Email && (m.Recipient == "lead@example.cn" || m.Recipient == "manager@example.cn")).ToListAsync());
        Assert.Equal(["lead@example.cn", "manager@example.cn"], mails.Select(m => m.Recipient).Order().ToArray());
        Assert.All(mails, m =>
        {
            Assert.Contains(reference, m.Subject, StringComparison.Ordinal);
            Assert.Equal(Sh(2026, 11, 2, 22), m.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 11, 3, 1, 0, 0, TimeSpan.Zero), m.NextAttemptAt);
        });
        // Each in one language, the reader's.
        var lead = mails.Single(m => m.Recipient == "lead@example.cn");
        Assert.Equal($"案件 {reference} 的首次响应已超时（截止 2026-11-02 13:00（周一））", lead.Subject);
        var manager = mails.Single(m => m.Recipient == "manager@example.cn");
        Assert.StartsWith($"Case {reference}: ", manager.Subject, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", manager.Subject + manager.Body);
    }
}
