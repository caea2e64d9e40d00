using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Audit;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// SLA clocks on cases. Every expected instant is worked out by hand in the comments (China is UTC+08:00 all year).
/// Unless a test creates a calendar, none exists (no demo data), so the built-in fallback applies:
/// Mon–Fri 09:00–17:30 in the branch's zone (8.5 working hours a day), no holidays.
/// </summary>
public sealed partial class SlaClockTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset Sh(int y, int mo, int d, int h, int mi = 0) => new(y, mo, d, h, mi, 0, China);

    private sealed record World(StewardApp App, Branch Branch, Team Team, Staff Agent, HttpClient AgentClient, Staff Lead, HttpClient LeadClient, Staff Manager, HttpClient ManagerClient, Staff Compliance)
    {
        public Task<HttpClient> ComplianceClientAsync() => App.ApiClientAsync(Compliance.Username);
    }

    private static async Task<World> StartAsync(DatabaseProvider provider, DateTimeOffset start, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        // Tokens and cookies live 7 days so that clients survive the clock moving forward.
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Security:SignIn:TokenLifetimeMinutes"] = "10080",
            ["Security:SignIn:CookieLifetimeMinutes"] = "10080",
        };
        var app = await StewardApp.StartAsync(provider, all, TestClock.Create(start.ToUniversalTime()), services);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.BranchManager);
        var compliance = await app.CreateStaffAsync(branch.Id, StaffRole.Compliance);
        return new World(app, branch, team, agent, await app.ApiClientAsync(agent.Username), lead, await app.ApiClientAsync(lead.Username),
            manager, await app.ApiClientAsync(manager.Username), compliance);
    }

    private static async Task<(long Id, int Version, string Reference)> CreateCaseAsync(World w, string kind, HttpClient? client = null, bool team = true)
    {
        var created = await StewardApp.CreateCaseAsync(client ?? w.AgentClient, kind: kind, branchId: w.Branch.Id, teamId: team ? w.Team.Id : null);
        return (created.GetProperty("id").GetInt64(), created.GetProperty("version").GetInt32(), created.GetProperty("reference").GetString()!);
    }

    private static async Task<JsonElement> SlaAsync(HttpClient client, long caseId) =>
        await (await client.GetAsync($"/api/v1/cases/{caseId}/sla")).ShouldBeJsonAsync(HttpStatusCode.OK);

    private static JsonElement Clock(JsonElement sla, string type, string layer = "Institution") =>
        sla.GetProperty("clocks").EnumerateArray().Single(c => c.GetProperty("targetType").GetString() == type && c.GetProperty("layer").GetString() == layer);

    private static DateTimeOffset Due(JsonElement clock) => clock.GetProperty("dueAt").GetDateTimeOffset();

    private static async Task<int> TransitionAsync(HttpClient client, long id, string action, int version, string? reason = null)
    {
        var detail = await (await client.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, version, reason })).ShouldBeJsonAsync(HttpStatusCode.OK);
        return detail.GetProperty("version").GetInt32();
    }

    private static async Task<int> VersionAsync(HttpClient client, long id) =>
        (await (await client.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("version").GetInt32();

    [Theory, BothDatabases]
    public async Task Create_ComplaintFridayAfternoon_StartsInstitutionClocksWithHandWorkedDeadlines(DatabaseProvider provider)
    {
        // Friday 2026-10-30 16:00 in Shanghai. A complaint is High (kind minimum); the institution standard gives
        // complaints: first response 24 h (elapsed), plan 72 h (elapsed), resolution 30 calendar days rolled forward.
        var w = await StartAsync(provider, Sh(2026, 10, 30, 16));
        await using var app = w.App;
        var (id, _, _) = await CreateCaseAsync(w, "Complaint");

        var sla = await SlaAsync(w.AgentClient, id);
        Assert.True(sla.GetProperty("fallbackCalendar").GetBoolean());
        Assert.Equal("Asia/Shanghai", sla.GetProperty("zone").GetString());
        Assert.Equal(3, sla.GetProperty("clocks").GetArrayLength()); // next response starts only when the customer answers

        // First response: 16:00 Fri + 24 elapsed hours = Sat 2026-10-31 16:00 +08 (weekends count on an elapsed clock).
        var first = Clock(sla, "FirstResponse");
        Assert.Equal(Sh(2026, 10, 31, 16), Due(first));
        Assert.Equal("2026-10-31T16:00:00+08:00", first.GetProperty("dueLocal").GetString());
        Assert.Equal("Calendar", first.GetProperty("clock").GetString());
        // Plan: + 72 h = Mon 2026-11-02 16:00 +08.
        Assert.Equal(Sh(2026, 11, 2, 16), Due(Clock(sla, "Plan")));
        // Resolution: receipt day 10-30 not counted; day 30 is Sun 11-29, a rest day, so the period ends with the next
        // working day Mon 11-30, i.e. at 24:00 = Tue 2026-12-01 00:00 +08.
        Assert.Equal(Sh(2026, 12, 1, 0), Due(Clock(sla, "Resolution")));

        // Warnings of the first response: 75 % of 24 h = 18 h → Sat 10:00; 90 % = 21.6 h → Sat 13:36.
        var clocks = await app.WithDbAsync(db => db.Set<SlaClock>().Where(k => k.CaseId == id).ToListAsync());
        var fr = clocks.Single(k => k.TargetType == Steward.Features.Sla.SlaTargetType.FirstResponse);
        Assert.Equal(Sh(2026, 10, 31, 10), fr.Warning1At);
        Assert.Equal(Sh(2026, 10, 31, 13, 36), fr.Warning2At);

        // The case's due instant is the earliest running deadline; the workbench sorts by it.
        var detail = await (await w.AgentClient.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Sh(2026, 10, 31, 16), detail.GetProperty("dueAt").GetDateTimeOffset());

        // A public reply on Saturday 09:00 meets the first response; the case is then due with the plan.
        app.Clock.SetUtcNow(Sh(2026, 10, 31, 9).ToUniversalTime());
        await (await w.AgentClient.PostJsonAsync($"/api/v1/cases/{id}/replies", new { body = "您好，我们已收到您的投诉。" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var after = await SlaAsync(w.AgentClient, id);
        Assert.Equal("Met", Clock(after, "FirstResponse").GetProperty("status").GetString());
        detail = await (await w.AgentClient.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Sh(2026, 11, 2, 16), detail.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Theory, BothDatabases]
    public async Task WaitingOnCustomer_OverWeekendAndHoliday_MovesDeadlineByExactlyThePausedWorkingTime(DatabaseProvider provider)
    {
        // Thursday 2026-10-29 10:00. Calendar: Mon–Fri 09:00–12:00 and 13:30–17:30 (7 h a day), Monday 11-02 a holiday.
        var w = await StartAsync(provider, Sh(2026, 10, 29, 10));
        await using var app = w.App;
        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        await SlaApi.CreateCalendarAsync(admin, new
        {
            name = "Shanghai test", nameEn = "Shanghai test", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, isDefault = true,
            holidays = new[] { new { date = "2026-11-02", name = "测试假日" } },
        });
        var (id, version, _) = await CreateCaseAsync(w, "BusinessHandling");

        // Resolution: 3 business days following the day of receipt: Fri 10-30 (1), Mon 11-02 holiday, Tue 11-03 (2),
        // Wed 11-04 (3) → close of business Wed 2026-11-04 17:30 +08.
        Assert.Equal(Sh(2026, 11, 4, 17, 30), Due(Clock(await SlaAsync(w.AgentClient, id), "Resolution")));

        version = await TransitionAsync(w.AgentClient, id, "Review", version);
        version = await TransitionAsync(w.AgentClient, id, "Start", version);
        app.Clock.SetUtcNow(Sh(2026, 10, 30, 15).ToUniversalTime());
        version = await TransitionAsync(w.AgentClient, id, "WaitOnCustomer", version);
        var paused = Clock(await SlaAsync(w.AgentClient, id), "Resolution");
        Assert.Equal("Paused", paused.GetProperty("status").GetString());

        // Resume Tuesday 11-03 10:00. Working time paused: Fri 15:00–17:30 = 2.5 h; Sat, Sun none; Mon holiday none;
        // Tue 09:00–10:00 = 1 h → 3.5 h. Wed 17:30 + 3.5 working hours = Thu 11-05 09:00–12:00 (3 h) + 13:30–14:00.
        app.Clock.SetUtcNow(Sh(2026, 11, 3, 10).ToUniversalTime());
        await TransitionAsync(w.AgentClient, id, "Resume", version);
        var resumed = Clock(await SlaAsync(w.AgentClient, id), "Resolution");
        Assert.Equal(Sh(2026, 11, 5, 14), Due(resumed));
        Assert.Equal(1, resumed.GetProperty("pauses").GetArrayLength());
        Assert.Contains(resumed.GetProperty("steps").EnumerateArray(), s => s.GetString()!.Contains("2026-11-02", StringComparison.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task PriorityRaised_MidWay_KeepsTheTimeUsed(DatabaseProvider provider)
    {
        // Monday 2026-11-02 09:00, fallback calendar. Business handling, Normal: first response 8 business hours.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9));
        await using var app = w.App;
        var (id, version, _) = await CreateCaseAsync(w, "BusinessHandling");
        // 09:00 + 8 working hours = 17:00 the same day.
        Assert.Equal(Sh(2026, 11, 2, 17), Due(Clock(await SlaAsync(w.AgentClient, id), "FirstResponse")));

        // At 11:00 (2 h used) the team lead raises the priority to High: first response 4 business hours. Used 2 h,
        // 2 h remain from 11:00 → 13:00 (the fallback calendar has no lunch break).
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 11).ToUniversalTime());
        await (await w.LeadClient.PostJsonAsync($"/api/v1/cases/{id}/priority", new { priority = "High", reason = "VIP", version })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var sla = await SlaAsync(w.AgentClient, id);
        var first = Clock(sla, "FirstResponse");
        Assert.Equal(Sh(2026, 11, 2, 13), Due(first));
        Assert.Equal(1, first.GetProperty("changes").GetArrayLength());
        Assert.Equal(120, first.GetProperty("usedMinutes").GetInt64());
        // Resolution (business handling: 3 business days) is unchanged: Thu 11-05 17:30.
        Assert.Equal(Sh(2026, 11, 5, 17, 30), Due(Clock(sla, "Resolution")));
    }

    [Theory, BothDatabases]
    public async Task Reopen_RestartsResolution_WithTheTimeUsedKept(DatabaseProvider provider)
    {
        // Consultation created Monday 2026-11-02 09:00 (fallback calendar): resolution = 2 business days following
        // the day of receipt → Wed 11-04 17:30; budget Mon + Tue + Wed = 25.5 working hours.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9));
        await using var app = w.App;
        var (id, version, _) = await CreateCaseAsync(w, "Consultation");
        Assert.Equal(Sh(2026, 11, 4, 17, 30), Due(Clock(await SlaAsync(w.AgentClient, id), "Resolution")));
        version = await TransitionAsync(w.AgentClient, id, "Review", version);
        version = await TransitionAsync(w.AgentClient, id, "Start", version);

        // Resolved Monday 15:00 (6 h used).
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 15).ToUniversalTime());
        version = await TransitionAsync(w.AgentClient, id, "Resolve", version);
        Assert.Equal("Met", Clock(await SlaAsync(w.AgentClient, id), "Resolution").GetProperty("status").GetString());

        // Reopened Wednesday 09:00: 19.5 h remain. Wed 8.5 h → 11 h left; Thu 8.5 h → 2.5 h left; Fri 09:00 + 2.5 h
        // = Fri 2026-11-06 11:30 +08 (equivalently: the old deadline + the 11 working hours it was resolved).
        app.Clock.SetUtcNow(Sh(2026, 11, 4, 9).ToUniversalTime());
        await TransitionAsync(w.AgentClient, id, "Reopen", version, "客户不满意");
        var resolution = Clock(await SlaAsync(w.AgentClient, id), "Resolution");
        Assert.Equal("Running", resolution.GetProperty("status").GetString());
        Assert.Equal(Sh(2026, 11, 6, 11, 30), Due(resolution));
        Assert.Equal(360, resolution.GetProperty("usedMinutes").GetInt64());
        var detail = await (await w.AgentClient.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Sh(2026, 11, 6, 11, 30), detail.GetProperty("dueAt").GetDateTimeOffset());
    }

    [Theory, BothDatabases]
    public async Task Sweep_RaisesWarningAndBreachWithinOneInterval_OncePerLevel_ToTheRightPeople(DatabaseProvider provider)
    {
        // Complaint Friday 2026-10-30 16:00; first response due Sat 16:00, 75 % at Sat 10:00, 90 % at Sat 13:36.
        var w = await StartAsync(provider, Sh(2026, 10, 30, 16));
        await using var app = w.App;
        var (id, _, reference) = await CreateCaseAsync(w, "Complaint");
        await (await w.AgentClient.PostAsync($"/api/v1/cases/{id}/pick", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var host = app.Services.GetRequiredService<PeriodicWorkHost>();
        var firstClock = await app.WithDbAsync(db => db.Set<SlaClock>().SingleAsync(k => k.CaseId == id && k.TargetType == Steward.Features.Sla.SlaTargetType.FirstResponse));

        // 30 s (one interval) after the 75 % instant the timers have fired a pass; awaiting one more pass makes sure
        // the one in flight has finished.
        app.Clock.SetUtcNow(Sh(2026, 10, 31, 10).AddSeconds(30).ToUniversalTime());
        Assert.Null((await host.RunOnceAsync(SlaSweepJob.JobName)).Error);
        var alerts = await AlertsAsync(app, firstClock.Id);
        var warning = Assert.Single(alerts);
        Assert.Equal(SlaAlertLevel.Warning1, warning.Level);
        Assert.InRange(warning.RaisedAt, Sh(2026, 10, 31, 10), Sh(2026, 10, 31, 10).AddSeconds(30));
        var notes = await NotificationsAsync(app, reference);
        Assert.Equal([w.Agent.Id], notes.Where(n => n.Kind == "sla.warning").Select(n => n.StaffId).ToArray()); // assigned: the assignee only

        // Past the deadline: the 90 % warning and the breach, each once, even with another pass.
        app.Clock.SetUtcNow(Sh(2026, 10, 31, 16).AddSeconds(30).ToUniversalTime());
        await host.RunOnceAsync(SlaSweepJob.JobName);
        await host.RunOnceAsync(SlaSweepJob.JobName);
        alerts = await AlertsAsync(app, firstClock.Id);
        Assert.Equal([SlaAlertLevel.Warning1, SlaAlertLevel.Warning2, SlaAlertLevel.Breach], alerts.Select(a => a.Level).Order().ToArray());
        var breach = alerts.Single(a => a.Level == SlaAlertLevel.Breach);
        Assert.Equal(Sh(2026, 10, 31, 16), breach.DueAt);
        Assert.InRange(breach.RaisedAt, Sh(2026, 10, 31, 16), Sh(2026, 10, 31, 16).AddSeconds(30));
        notes = await NotificationsAsync(app, reference);
        Assert.Equal(new[] { w.Agent.Id, w.Lead.Id, w.Manager.Id }.Order(), notes.Where(n => n.Kind == "sla.breach").Select(n => n.StaffId).Order());
        Assert.Equal(2, notes.Count(n => n.Kind == "sla.warning"));
        var stored = await app.WithDbAsync(db => db.Set<SlaClock>().AsNoTracking().SingleAsync(k => k.Id == firstClock.Id));
        Assert.Equal(SlaClockStatus.Breached, stored.Status);
        Assert.Equal(Sh(2026, 10, 31, 16), stored.BreachedAt);
        // Recorded by the system without a new version: an agent acting on the case at that moment is not refused as stale.
        Assert.Equal(firstClock.Version, stored.Version);

        // The breach is a change of the clock like any other: in the audit log, by the system, once.
        var audited = (await app.AuditEntriesAsync("SlaClock", firstClock.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Where(e => e.Changes.Contains("\"Breached\"", StringComparison.Ordinal)).ToList();
        var breachAudit = Assert.Single(audited);
        Assert.Equal(AuditAction.Updated, breachAudit.Action);
        Assert.Equal("system", breachAudit.ActorName);
        Assert.Contains("\"Running\"", breachAudit.Changes, StringComparison.Ordinal);

        // 24 h after the breach (Sun 11-01 16:00) compliance is told, once.
        app.Clock.SetUtcNow(Sh(2026, 11, 1, 16).AddSeconds(30).ToUniversalTime());
        await host.RunOnceAsync(SlaSweepJob.JobName);
        notes = await NotificationsAsync(app, reference);
        Assert.Equal([w.Compliance.Id], notes.Where(n => n.Kind == "sla.escalation").Select(n => n.StaffId).ToArray());
    }

    [Theory, BothDatabases]
    public async Task TwoNodes_SweepingAtOnce_EscalateEachClockExactlyOnce(DatabaseProvider provider)
    {
        // Timers off: the two passes below are the only sweeps, started together on two nodes.
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9), new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
        await using var app = w.App;
        for (var i = 0; i < 50; i++)
        {
            await CreateCaseAsync(w, "Consultation", team: false); // no team, unassigned: every level goes to one person
        }

        await using var second = app.StartSecondNode();
        // 40 days later every level of every clock is due: consultation first response (4 business hours) and
        // resolution (2 business days), each warning 1, warning 2, breach and compliance.
        app.Clock.Advance(TimeSpan.FromDays(40));
        var one = app.Services.GetRequiredService<PeriodicWorkHost>();
        var two = second.Services.GetRequiredService<PeriodicWorkHost>();
        var passes = await Task.WhenAll(
            Task.Run(() => one.RunOnceAsync(SlaSweepJob.JobName)),
            Task.Run(() => two.RunOnceAsync(SlaSweepJob.JobName)),
            Task.Run(() => two.RunOnceAsync(SlaSweepJob.JobName)));
        Assert.All(passes, p => Assert.Null(p.Error));

        var alerts = await app.WithDbAsync(db => db.Set<SlaAlert>().CountAsync());
        Assert.Equal(50 * 2 * 4, alerts);
        var notes = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.Kind.StartsWith("sla.")).Select(n => new { n.StaffId, n.TextEn }).ToListAsync());
        Assert.Equal(alerts, notes.Count);
        Assert.All(notes.GroupBy(n => n), g => Assert.Single(g));
        Assert.Equal(50 * 2 * 3, notes.Count(n => n.StaffId == w.Manager.Id));
        Assert.Equal(50 * 2, notes.Count(n => n.StaffId == w.Compliance.Id));
    }

    [Theory, BothDatabases]
    public async Task Extension_AboveMaximumRefused_SelfApprovalRefused_ApprovedNoticeOnPublicStatus(DatabaseProvider provider)
    {
        // PRC preset selected; complaint received Monday 2026-11-02 10:00 (fallback calendar, no holidays).
        var w = await StartAsync(provider, Sh(2026, 11, 2, 10));
        await using var app = w.App;
        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        var prc = await SlaApi.StandardIdAsync(admin, "CN-CBIRC-2020-3");
        var selection = await (await admin.GetAsync("/api/v1/sla/presets/selection")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await admin.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = prc, version = selection.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var (id, _, reference) = await CreateCaseAsync(w, "Complaint");

        // Regulatory resolution: 15 days after 11-02 = Tue 11-17, a working day → 24:00 = Wed 2026-11-18 00:00 +08.
        var sla = await SlaAsync(w.AgentClient, id);
        var regulatory = Clock(sla, "Resolution", "Regulatory");
        Assert.Equal(Sh(2026, 11, 18, 0), Due(regulatory));
        Assert.Contains("2020", regulatory.GetProperty("standard").GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Equal(60, regulatory.GetProperty("maxAmount").GetInt32());

        var url = $"/api/v1/cases/{id}/sla/extensions";
        var above = await (await w.LeadClient.PostJsonAsync(url, new { targetType = "Resolution", layer = "Regulatory", newAmount = 61, reason = "情况特别复杂" }))
            .ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("extension-above-maximum", above.GetProperty("code").GetString());

        var pending = await (await w.LeadClient.PostJsonAsync(url, new { targetType = "Resolution", layer = "Regulatory", newAmount = 60, reason = "情况特别复杂" }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Pending", pending.GetProperty("status").GetString());
        var extId = pending.GetProperty("id").GetInt64();
        var self = await (await w.LeadClient.PostJsonAsync($"{url}/{extId}/approve", new { note = "ok" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("approver-is-requester", self.GetProperty("code").GetString());
        await (await w.AgentClient.PostJsonAsync($"{url}/{extId}/approve", new { note = "ok" })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);

        var approved = await (await w.ManagerClient.PostJsonAsync($"{url}/{extId}/approve", new { note = "同意" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("status").GetString());
        // 60 days after 11-02 = Fri 2027-01-01 (a working day in the fallback calendar) → 24:00 = Sat 2027-01-02 00:00 +08.
        sla = await SlaAsync(w.AgentClient, id);
        Assert.Equal(Sh(2027, 1, 2, 0), Due(Clock(sla, "Resolution", "Regulatory")));
        Assert.Single(sla.GetProperty("extensions").EnumerateArray());

        var status = await (await app.AnonymousClient().PostJsonAsync("/api/v1/public/cases/status", new { reference, contact = "13800138000" })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Contains(status.GetProperty("replies").EnumerateArray(), r => r.GetProperty("body").GetString()!.Contains("2027-01-02 00:00", StringComparison.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task CasePage_SlaPanel_RendersTheExplanationInChineseAndEnglish(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 10, 30, 16));
        await using var app = w.App;
        var (id, _, _) = await CreateCaseAsync(w, "Complaint");

        var zh = await PageClient.SignInAsync(app, w.Agent.Username, language: "zh-CN");
        var (zhStatus, zhHtml) = await zh.GetAsync($"/Cases/{id}");
        Assert.Equal(HttpStatusCode.OK, zhStatus);
        Assert.Contains("data-testid=\"sla-panel\"", zhHtml, StringComparison.Ordinal);
        Assert.Contains("到期时间：2026-10-31 16:00（周六）。", zhHtml, StringComparison.Ordinal);
        Assert.Contains("顺延至下一个工作日", zhHtml, StringComparison.Ordinal); // 11-29 is a Sunday (art. 203)
        Assert.Contains("尚未配置工作日历", zhHtml, StringComparison.Ordinal);

        var en = await PageClient.SignInAsync(app, w.Agent.Username, language: "en");
        var (enStatus, enHtml) = await en.GetAsync($"/Cases/{id}?culture=en");
        Assert.Equal(HttpStatusCode.OK, enStatus);
        Assert.Contains("Deadline: 2026-10-31 16:00 (Sat).", enHtml, StringComparison.Ordinal);
        Assert.Contains("is not a working day", enHtml, StringComparison.Ordinal);
        Assert.Contains("No business calendar is configured", enHtml, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task AtRisk_ListsRunningClocksByTimeLeft_AndSweepHookReportsCounts(DatabaseProvider provider)
    {
        var w = await StartAsync(provider, Sh(2026, 11, 2, 9), new Dictionary<string, string?> { ["Background:Enabled"] = "false" });
        await using var app = w.App;
        var (complaint, _, complaintRef) = await CreateCaseAsync(w, "Complaint");
        var (consult, _, consultRef) = await CreateCaseAsync(w, "Consultation");

        // 15:00: the consultation's first response (4 business hours from 09:00 → 13:00) is 2 h late; the complaint's
        // first response (24 h → Tue 09:00) has 18 h left.
        app.Clock.SetUtcNow(Sh(2026, 11, 2, 15).ToUniversalTime());
        var list = await (await w.AgentClient.GetAsync("/api/v1/sla/at-risk")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var first = list[0];
        Assert.Equal(consult, first.GetProperty("caseId").GetInt64());
        Assert.Equal(-120, first.GetProperty("minutesLeft").GetInt64());
        Assert.Equal(150m, first.GetProperty("percentUsed").GetDecimal()); // 6 h used of 4 h
        var complaintFirst = list.EnumerateArray().Single(i => i.GetProperty("caseId").GetInt64() == complaint && i.GetProperty("targetType").GetString() == "FirstResponse");
        Assert.Equal(18 * 60, complaintFirst.GetProperty("minutesLeft").GetInt64());
        Assert.Equal(25m, complaintFirst.GetProperty("percentUsed").GetDecimal());

        var page = await PageClient.SignInAsync(app, w.Agent.Username, language: "en");
        // The page shows what is overdue or due within 8 working hours unless asked for more: the late consultation,
        // not the complaint (18 calendar hours left on its first response, 15 days on its resolution).
        var (status, html) = await page.GetAsync("/Sla/AtRisk");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(consultRef, html, StringComparison.Ordinal);
        Assert.Contains("overdue by 2 h (working time)", html, StringComparison.Ordinal);
        Assert.DoesNotContain(complaintRef, html, StringComparison.Ordinal);
        (_, html) = await page.GetAsync("/Sla/AtRisk?within=24");
        Assert.Contains(complaintRef, html, StringComparison.Ordinal);
        Assert.Contains("18 h (calendar time)", html, StringComparison.Ordinal);
        // Due Tue 3 Nov 2026 09:00 in Shanghai ('+' HTML-encoded).
        Assert.Contains("Tue 3 Nov 2026, 09:00 (UTC&#x2B;8)", html, StringComparison.Ordinal);

        var (_, admin) = await app.SignInAsync(w.Branch.Id, StaffRole.Administrator);
        Assert.Equal(HttpStatusCode.Forbidden, (await w.AgentClient.PostAsync("/api/v1/sla/sweep", null)).StatusCode);
        var sweep = await (await admin.PostAsync("/api/v1/sla/sweep", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(sweep.GetProperty("alertsRaised").GetInt32() >= 3); // consultation FR: 75 %, 90 %, breach
        Assert.True(sweep.GetProperty("durationMs").GetDouble() >= 0);
    }

    private static Task<List<SlaAlert>> AlertsAsync(StewardApp app, long clockId) =>
        app.WithDbAsync(db => db.Set<SlaAlert>().AsNoTracking().Where(a => a.ClockId == clockId).OrderBy(a => a.Id).ToListAsync());

    private static Task<List<Notification>> NotificationsAsync(StewardApp app, string reference) =>
        app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.TextEn.Contains(reference)).OrderBy(n => n.Id).ToListAsync());
}
