using System.Net;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Notifications;
using Steward.Features.Queues;
using Steward.Features.Surveys;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Features.Queues;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Surveys;

/// <summary>
/// Issue 15, the slice of decision 0054: a visit finished at a counter credits that counter's staff member, its invitation is
/// moved out of the quiet hours of the branch's zone, one reminder follows and is withdrawn once the customer answers; the
/// customer answers on the counter tablet (which shows nothing of the staff member) and a promoter is thanked. A complaint's
/// closure credits its handler; a comment that meets the complaint definition opens a follow-up that offers the complaint
/// intake, with a 72-hour plan target, and the follow-up is resolved only once its root cause is recorded. Improvement
/// proposals are refused with field errors, recorded, done, and show CSAT and NPS before and after.
/// </summary>
public sealed class SurveyLoopTests
{
    [Fact]
    public void QuietHours_MoveAnInstantInsideThemToTheirEnd_InTheBranchZone()
    {
        var o = new SurveyOptions(); // 21:00–08:00
        // 22:30 Shanghai (14:30 UTC) → 08:00 the next day (00:00 UTC); 06:00 Shanghai (22:00 UTC the day before) → 08:00 the same day.
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), SurveyInvitations.OutOfQuietHours(new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero), "Asia/Shanghai", o));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero), SurveyInvitations.OutOfQuietHours(new DateTimeOffset(2026, 11, 23, 22, 0, 0, TimeSpan.Zero), "Asia/Shanghai", o));
        // 12:00 Shanghai is outside: unchanged. 22:30 London (GMT in November) → 08:00 London = 08:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero), SurveyInvitations.OutOfQuietHours(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero), "Asia/Shanghai", o));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero), SurveyInvitations.OutOfQuietHours(new DateTimeOffset(2026, 11, 23, 22, 30, 0, TimeSpan.Zero), "Europe/London", o));
    }

    [Fact]
    public void Keywords_TheWordMostCommentsUse_ComesFirst_ChineseByJieba_EnglishByWords()
    {
        var keywords = new SurveyKeywords();
        // 排队 is in all three comments (jieba keeps it as one word); 时间 and 太长 in one each.
        var zh = keywords.Top([(1, "排队时间太长了"), (2, "排队等了很久"), (3, "柜员态度好，但是排队慢")]);
        Assert.Equal(("排队", 3), (zh[0].Term, zh[0].Comments));
        Assert.Equal([1L, 2, 3], zh[0].ResponseIds);
        // English: "wait" and "long" are in two comments each, twice in all; "long" first in ordinal order. "the", "was" are stop words.
        var en = keywords.Top([(4, "The wait was long"), (5, "long wait again"), (6, "friendly staff")]);
        Assert.Equal(["long", "wait"], en.Where(k => !k.IsPhrase).Take(2).Select(k => k.Term));
        Assert.DoesNotContain(en, k => k.Term is "the" or "was");
        Assert.True(SurveyComplaintSignal.MeetsComplaintDefinition("手续费扣错了，要求退还，不然我要投诉"));
        Assert.True(SurveyComplaintSignal.MeetsComplaintDefinition("乱收费，要求退款"));
        Assert.False(SurveyComplaintSignal.MeetsComplaintDefinition("等太久了"));
    }

    [Theory, BothDatabases]
    public async Task QueueVisit_CreditsTheCounterStaff_AfterQuietHours_OneReminder_AnsweredOnTheTablet_PromoterThanked(DatabaseProvider provider)
    {
        var w = await QueueWorld.StartAsync(provider);
        await using var app = w.App;
        var customer = await app.CreateCustomerAsync(w.Branch.Id, email: "li.na@mail.example");
        await app.WithDbAsync(async db =>
        {
            db.Add(new SurveyDefinition
            {
                Code = "visit", Number = 1, Name = "柜台服务评价", NameEn = "Counter rating", ContentJson = SurveyDemoData.ServiceSurvey.ToJson(),
                TriggerEvent = SurveyTrigger.QueueVisitFinished, DelayMinutes = 0, ExpiryDays = 7, PublishedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        // 14:00 UTC = 22:00 Shanghai: the agent signs in at counter 3; a ticket is issued, called, served, and finished at
        // 22:30 Shanghai (14:30 UTC).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero));
        var type = await w.AddServiceTypeAsync("A");
        var counter = await w.AddCounterAsync(3, false, type.Id);
        var (agent, desk) = await w.StaffAtCounterAsync(counter.Id);
        var ticket = await w.IssueAsync(type.Id);
        await app.WithDbAsync(async db => await db.Set<QueueTicket>().Where(t => t.Id == ticket.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.CustomerId, customer.Id)));
        await w.CallAsync(desk);
        await w.ActAsync(desk, ticket.Id, "serve");
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero));
        await w.ActAsync(desk, ticket.Id, "finish");

        // Credited to the agent at counter 3; sent at 08:00 Shanghai the next day (00:00 UTC), not at 22:30.
        var invitation = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(i => i.EventKind == SurveyEventKind.QueueVisit && i.EventId == ticket.Id));
        Assert.Equal((agent.Id, SurveyInvitationStatus.Sent, (CaseChannel?)CaseChannel.Counter), (invitation.StaffId, invitation.Status, invitation.Channel));
        var nextMorning = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(nextMorning, invitation.SendAt);
        // One reminder, three days after sending (08:00 Shanghai on the 27th), before the link closes on Dec 1.
        Assert.Equal(nextMorning.AddDays(3), invitation.ReminderAt);
        var outbox = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "li.na@mail.example").OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([nextMorning, nextMorning.AddDays(3)], outbox.Select(m => m.NextAttemptAt));
        Assert.Contains("提醒", outbox[1].Subject, StringComparison.Ordinal);

        // The ticket's page (its QR code) offers the survey once the visit is finished.
        var (_, ticketPage) = await new PageClient(app.CreateClient()).GetAsync($"/Queues/Public/Ticket/{ticket.PublicToken ?? await app.WithDbAsync(db => db.Set<QueueTicket>().Where(t => t.Id == ticket.Id).Select(t => t.PublicToken).SingleAsync())}");
        Assert.Contains("virtual-survey", ticketPage, StringComparison.Ordinal);

        // The counter tablet, five minutes later: the visit's survey, nothing of the agent's session.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 14, 35, 0, TimeSpan.Zero));
        var tablet = await PageClient.SignInAsync(app, agent.Username);
        var (status, html) = await tablet.GetAsync("/Surveys/Tablet");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(ticket.Number, html, StringComparison.Ordinal);
        Assert.DoesNotContain(agent.DisplayName, html, StringComparison.Ordinal);
        Assert.DoesNotContain("current-user", html, StringComparison.Ordinal);

        // A mistake first (NPS 11): the message at the field, nothing stored; then CSAT 5, NPS 10.
        var bad = await tablet.PostFormAsync("/Surveys/Tablet", new() { ["InvitationId"] = invitation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["a.csat"] = "5", ["a.nps"] = "11" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("field-error", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<SurveyResponse>().CountAsync()));
        var good = await tablet.PostFormAsync("/Surveys/Tablet", new() { ["InvitationId"] = invitation.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["a.csat"] = "5", ["a.nps"] = "10" });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("survey-thanks", await good.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var response = await app.WithDbAsync(db => db.Set<SurveyResponse>().AsNoTracking().SingleAsync());
        Assert.Equal((agent.Id, 10, false), (response.StaffId, response.Nps, response.IsPoor));

        // The promoter is thanked; the reminder is withdrawn (the customer answered): invitation + thanks remain.
        outbox = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "li.na@mail.example").OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(2, outbox.Count);
        Assert.Equal("斯图尔德银行感谢您", outbox[1].Subject);
        Assert.NotNull(response.ThankedAt);
        // Answered: the tablet says so, the ticket page no longer offers it.
        Assert.Contains("survey-tablet-waiting", (await tablet.GetAsync("/Surveys/Tablet")).Html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task ComplaintClosed_CreditsTheHandler_ComplaintLikeCommentOffersIntake_ClosingTheFollowUpNeedsItsRootCause_Proposals(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var customer = await app.CreateCustomerAsync(branch.Id, email: "zhao.lei@mail.example");
        await app.WithDbAsync(async db =>
        {
            db.Add(new SurveyDefinition
            {
                Code = "complaint", Number = 1, Name = "投诉处理满意度", NameEn = "Complaint handling", ContentJson = SurveyDemoData.ComplaintSurvey.ToJson(),
                TriggerEvent = SurveyTrigger.ComplaintClosed, DelayMinutes = 0, ExpiryDays = 14, PublishedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });

        // 02:00 UTC (10:00 Shanghai): the agent handles a complaint case and resolves it; the lead closes it. Credited to the agent.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var agentApi = await app.ApiClientAsync(agent.Username);
        var created = await (await agentApi.PostJsonAsync("/api/v1/cases", new { kind = "Complaint", channel = "Counter", subject = "手续费", description = "客户对手续费有异议。", branchId = branch.Id, customerId = customer.Id, handleNow = true }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var caseId = created.GetProperty("id").GetInt64();
        var c = await (await agentApi.GetAsync($"/api/v1/cases/{caseId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        foreach (var action in c.GetProperty("status").GetString() == "InProgress" ? new[] { "Resolve" } : ["Review", "Start", "Resolve"])
        {
            c = await (await agentApi.PostJsonAsync($"/api/v1/cases/{caseId}/transitions", new { action, reason = "已退还手续费。", version = c.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        var leadApi = await app.ApiClientAsync(lead.Username);
        var closed = await leadApi.PostJsonAsync($"/api/v1/cases/{caseId}/transitions", new { action = "Close", version = c.GetProperty("version").GetInt32() });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());
        var invitation = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(i => i.EventKind == SurveyEventKind.Case && i.EventId == caseId));
        Assert.Equal((agent.Id, SurveyInvitationStatus.Sent), (invitation.StaffId, invitation.Status));

        // 03:00 UTC: CSAT 4 (not poor) but a comment that meets the complaint definition: a follow-up for the lead, due 24 h,
        // plan due 72 h, offering the complaint intake of the follow-up case.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
        var message = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "zhao.lei@mail.example").OrderBy(m => m.Id).FirstAsync());
        var token = System.Text.RegularExpressions.Regex.Match(message.Body, @"Survey\?t=([A-Za-z0-9_\-]+)").Groups[1].Value;
        await (await app.AnonymousClient().PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 4, comment = "手续费扣错了，要求退还，不然我要投诉" } }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        var response = await app.WithDbAsync(db => db.Set<SurveyResponse>().AsNoTracking().SingleAsync());
        Assert.Equal((false, true, (long?)lead.Id), (response.IsPoor, response.ComplaintSuspected, response.FollowUpOwnerId));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero), response.FollowUpDueAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero), response.PlanDueAt);
        var followUpId = response.FollowUpCaseId!.Value;
        leadApi = await app.ApiClientAsync(lead.Username);
        var leadPage = await PageClient.SignInAsync(app, lead.Username);
        var (_, casePage) = await leadPage.GetAsync($"/Cases/{followUpId}");
        Assert.Contains($"/Complaints/New?caseId={followUpId}", casePage, StringComparison.Ordinal);
        Assert.Contains("follow-up-plan-due", casePage, StringComparison.Ordinal);

        // Resolving the follow-up is refused until the root cause and whether it was resolved are recorded.
        var f = await (await leadApi.GetAsync($"/api/v1/cases/{followUpId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        foreach (var action in new[] { "Review", "Start" })
        {
            f = await (await leadApi.PostJsonAsync($"/api/v1/cases/{followUpId}/transitions", new { action, version = f.GetProperty("version").GetInt32() })).ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        var refused = await (await leadApi.PostJsonAsync($"/api/v1/cases/{followUpId}/transitions", new { action = "Resolve", reason = "已回访。", version = f.GetProperty("version").GetInt32() }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("survey-follow-up-incomplete", refused.GetProperty("code").GetString());
        var missing = await (await leadPage.PostFormAsync($"/Surveys/FollowUp?caseId={followUpId}", new() { ["RootCause"] = "" })).Content.ReadAsStringAsync();
        Assert.Contains("rootCause-error", missing, StringComparison.Ordinal);
        Assert.Contains("issueResolved-error", missing, StringComparison.Ordinal);
        var saved = await leadPage.PostFormAsync($"/Surveys/FollowUp?caseId={followUpId}", new() { ["RootCause"] = "收费规则解释不清。", ["IssueResolved"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var resolved = await (await leadApi.PostJsonAsync($"/api/v1/cases/{followUpId}/transitions", new { action = "Resolve", reason = "已回访。", version = f.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Resolved", resolved.GetProperty("status").GetString());

        // The outer loop: a proposal with mistakes is refused field by field; a good one is recorded and done; its before/after
        // reads the one response (Nov 23, CSAT 4 → 100 %) as "after" the done day and nothing before.
        var wrong = await (await leadApi.PostJsonAsync("/api/v1/surveys/improvements", new { title = "", standardKind = "Script", ownerId = 999_999, dueOn = "2026-11-01", branchId = branch.Id }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["dueOn", "ownerId", "proposal", "standardRef", "title"], wrong.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var proposal = await (await leadApi.PostJsonAsync("/api/v1/surveys/improvements", new
        {
            title = "首次答复说明收费规则", proposal = "留言集中在手续费。", standardKind = "Script", standardRef = "首次答复话术 · 投诉", ownerId = lead.Id, dueOn = "2026-12-10", branchId = branch.Id,
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Open", proposal.GetProperty("status").GetString());
        var done = await (await leadApi.PostJsonAsync($"/api/v1/surveys/improvements/{proposal.GetProperty("id").GetInt64()}/done", new { note = "话术已修订。", version = proposal.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Done", done.GetProperty("status").GetString());
        Assert.Equal((0, 1, 100.0), (done.GetProperty("before").GetProperty("csat").GetProperty("n").GetInt32(), done.GetProperty("after").GetProperty("csat").GetProperty("n").GetInt32(),
            done.GetProperty("after").GetProperty("csat").GetProperty("value").GetDouble()));
        var (pageStatus, improvementsPage) = await leadPage.GetAsync("/Surveys/Improvements");
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Contains("improvement-before-after", improvementsPage, StringComparison.Ordinal);

        // The keywords API over the period: the one comment's words, and the drill-down finds it.
        var words = await (await leadApi.GetAsync("/api/v1/surveys/analysis/keywords?by=Branch&from=2026-11-01&to=2026-11-23&term=手续费")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Contains(words.GetProperty("segments")[0].GetProperty("keywords").EnumerateArray(), k => k.GetProperty("term").GetString() == "手续费");
        Assert.Equal(response.Id, Assert.Single(words.GetProperty("comments").EnumerateArray()).GetProperty("responseId").GetInt64());
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }
}
