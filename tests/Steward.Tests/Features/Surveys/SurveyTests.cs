using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Features.Surveys;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Surveys;

/// <summary>
/// Satisfaction surveys (issue 15): a resolved case sends an invitation through the outbox; opening the link records nothing;
/// an NPS of 3 opens a follow-up for the team lead of the agent who resolved the case, due 24 hours later; a second submission,
/// a forged token, an NPS of 11 and an unknown question are refused with nothing stored; the contact policy holds across
/// surveys. The test clock starts Mon 2026-11-23 09:00 in Shanghai (01:00 UTC).
/// </summary>
public sealed partial class SurveyTests
{
    [Theory, BothDatabases]
    public async Task ResolvedCase_SendsAnInvitation_OpeningRecordsNothing_Nps3OpensTheLeadsFollowUp_SecondSubmissionIsRefused(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var lead = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.TeamLead);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        var customer = await app.CreateCustomerAsync(branch.Id, email: "wang.xm@mail.example");
        await AddSurveyAsync(app, "service", "Consultation", delayMinutes: 60, expiryDays: 7);
        var leadApi = await app.ApiClientAsync(lead.Username);

        // The case is resolved at 01:30 UTC by the agent; the lead owns nothing of it (the score goes to who served).
        var caseId = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "Consultation", new DateTimeOffset(2026, 11, 23, 1, 30, 0, TimeSpan.Zero));

        var invitations = await (await leadApi.GetAsync($"/api/v1/surveys/invitations?caseId={caseId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var invitation = Assert.Single(invitations.EnumerateArray());
        Assert.Equal("Sent", invitation.GetProperty("status").GetString());
        Assert.Equal("Email", invitation.GetProperty("deliveryChannel").GetString());
        Assert.Equal(agent.Id, invitation.GetProperty("staffId").GetInt64());
        Assert.Equal(team.Id, invitation.GetProperty("teamId").GetInt64());
        Assert.Equal(("Counter", "Consultation"), (invitation.GetProperty("channel").GetString(), invitation.GetProperty("kind").GetString()));
        // Sent 60 minutes after the resolution (02:30), open 7 days (until Nov 30 02:30).
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 30, 0, TimeSpan.Zero), invitation.GetProperty("sendAt").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 2, 30, 0, TimeSpan.Zero), invitation.GetProperty("expiresAt").GetDateTimeOffset());

        // The outbox holds the e-mail, not before 02:30, and its one reminder three days later (Nov 26 02:30, 10:30 Shanghai:
        // outside the quiet hours); the token is in the link only, its hash in the invitation.
        var mails = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "wang.xm@mail.example").OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([new DateTimeOffset(2026, 11, 23, 2, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 26, 2, 30, 0, TimeSpan.Zero)], mails.Select(m => m.NextAttemptAt));
        var message = mails[0];
        Assert.Equal(OutboxChannel.Email, message.Channel);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 30, 0, TimeSpan.Zero), message.NextAttemptAt);
        var token = LinkToken().Match(message.Body).Groups[1].Value;
        Assert.True(token.Length >= 40, message.Body);
        // One language: the customer stated none, so the branch regime's (PRC or none: Chinese); the link opens the survey in it.
        Assert.Contains("请花一分钟评价此次服务", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Hello", message.Body, StringComparison.Ordinal);
        Assert.Contains("&culture=zh-CN", message.Body, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(i => i.EventId == caseId));
        Assert.NotEqual(token, stored.TokenHash);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(stored), StringComparison.Ordinal);

        // Opening the link (the page, twice, and the API) records nothing: no response, the invitation unchanged.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 3, 0, 0, TimeSpan.Zero));
        var customerPage = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        customerPage.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        var (status, html) = await customerPage.GetAsync("/Public/Survey?t=" + token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("您向亲友推荐我行的可能性有多大？", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await customerPage.GetAsync("/Public/Survey?t=" + token)).Status);
        var anonymous = app.AnonymousClient();
        var shown = await (await anonymous.GetAsync($"/api/v1/public/surveys/{token}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(shown.GetProperty("answered").GetBoolean());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<SurveyResponse>().CountAsync()));
        var after = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(i => i.EventId == caseId));
        Assert.Equal((SurveyInvitationStatus.Sent, (long?)null), (after.Status, after.ResponseId));

        // Refused submissions store nothing: a forged token, an NPS of 11, an unknown question.
        var casesBefore = await app.WithDbAsync(db => db.Set<Case>().CountAsync());
        var forged = await (await anonymous.PostJsonAsync("/api/v1/public/surveys/forged-token-0000000000000000000000000/response", new { answers = new { csat = 4, nps = 3 } }))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal("survey-link-invalid", forged.GetProperty("code").GetString());
        var eleven = await (await anonymous.PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 4, nps = 11 } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(eleven.GetProperty("errors").TryGetProperty("answers.nps", out _));
        var unknown = await (await anonymous.PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 4, nps = 3, colour = "blue" } }))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new[] { "answers.colour" }, unknown.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray());
        var pageEleven = await customerPage.PostFormAsync("/Public/Survey?t=" + token, new() { ["a.csat"] = "4", ["a.nps"] = "11" });
        Assert.Equal(HttpStatusCode.BadRequest, pageEleven.StatusCode);
        Assert.Contains("请选择 0 到 10 之间的一个分数", await pageEleven.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<SurveyResponse>().CountAsync()));
        Assert.Equal(casesBefore, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        // 03:10 UTC: the customer submits NPS 3 on the page (CSAT 4). NPS ≤ 6 is poor: a follow-up for the lead, due 03:10 + 24 h.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 23, 3, 10, 0, TimeSpan.Zero));
        var submitted = await customerPage.PostFormAsync("/Public/Survey?t=" + token, new() { ["a.csat"] = "4", ["a.nps"] = "3", ["a.comment"] = "等太久了" });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Contains("survey-thanks", await submitted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        leadApi = await app.ApiClientAsync(lead.Username); // a new token on the moved clock
        var responses = await (await leadApi.GetAsync($"/api/v1/surveys/responses?caseId={caseId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var response = Assert.Single(responses.EnumerateArray());
        Assert.Equal((3, 4, true), (response.GetProperty("nps").GetInt32(), response.GetProperty("csat").GetInt32(), response.GetProperty("isPoor").GetBoolean()));
        Assert.Equal(agent.Id, response.GetProperty("staffId").GetInt64());
        Assert.Equal(lead.Id, response.GetProperty("followUpOwnerId").GetInt64());
        var due = new DateTimeOffset(2026, 11, 24, 3, 10, 0, TimeSpan.Zero);
        Assert.Equal(due, response.GetProperty("followUpDueAt").GetDateTimeOffset());
        var followUpId = response.GetProperty("followUpCaseId").GetInt64();
        var followUp = await (await leadApi.GetAsync($"/api/v1/cases/{followUpId}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(lead.Id, followUp.GetProperty("assigneeId").GetInt64());
        Assert.Equal(customer.Id, followUp.GetProperty("customerId").GetInt64());
        // The follow-up is a suggestion, and the institution's standard gives a suggestion a first response within 24 calendar
        // hours (003 §2.2.3): the SLA engine's own clock holds the promise, also once the lead takes it into review.
        Assert.Equal(due, followUp.GetProperty("dueAt").GetDateTimeOffset());
        var started = await (await leadApi.PostJsonAsync($"/api/v1/cases/{followUpId}/transitions", new { action = "Review", version = followUp.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(due, started.GetProperty("dueAt").GetDateTimeOffset());

        // The follow-up is on the lead's workbench (their own cases).
        var leadPage = await PageClient.SignInAsync(app, lead.Username);
        var (_, workbench) = await leadPage.GetAsync("/Cases");
        Assert.Contains(followUp.GetProperty("reference").GetString()!, workbench, StringComparison.Ordinal);

        // A second submission of the link is refused, on the page and the API, and nothing more is stored.
        var again = await (await anonymous.PostJsonAsync($"/api/v1/public/surveys/{token}/response", new { answers = new { csat = 5, nps = 10 } }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("survey-already-answered", again.GetProperty("code").GetString());
        var (againStatus, againHtml) = await customerPage.GetAsync("/Public/Survey?t=" + token);
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.Contains("survey-already-answered", againHtml, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<SurveyResponse>().CountAsync()));
        // The customer answered: the reminder was withdrawn from the outbox, the invitation stays.
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == "wang.xm@mail.example")));
        Assert.True((await app.VerifyAuditAsync()).Intact);
    }

    [Theory, BothDatabases]
    public async Task ContactPolicy_OneInvitationPerCustomerInTheWindow_AcrossSurveys_NoneWhileAComplaintIsOpen_NoneAfterOptingOut(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        var agent = await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        // The customer reads English (stated on the file), though the branch regime alone would mean Chinese.
        var customer = await app.CreateCustomerAsync(branch.Id, phone: "13912345678", language: "en");
        // Two surveys, one per kind; the window is 30 days (the default) across both.
        await AddSurveyAsync(app, "consult", "Consultation", delayMinutes: 0, expiryDays: 7);
        await AddSurveyAsync(app, "business", "BusinessHandling", delayMinutes: 0, expiryDays: 7);

        var day0 = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
        var first = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "Consultation", day0);
        // Day 10: the other survey, same customer — inside 30 days of the first sending: none.
        var second = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "BusinessHandling", day0.AddDays(10));
        // Day 30 minus a minute: still inside; day 30 plus half an hour: outside, sent (each resolution moves the clock forward only).
        var third = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "BusinessHandling", day0.AddDays(30).AddMinutes(-1));
        var fourth = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "Consultation", day0.AddDays(30).AddMinutes(30));
        var rows = await app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().OrderBy(i => i.Id).ToListAsync());
        Assert.Equal(
            new[] { R(first, SurveyInvitationStatus.Sent, null), R(second, SurveyInvitationStatus.Suppressed, SurveySuppression.RecentInvitation),
                R(third, SurveyInvitationStatus.Suppressed, SurveySuppression.RecentInvitation), R(fourth, SurveyInvitationStatus.Sent, null) },
            rows.Select(i => R(i.EventId, i.Status, i.Suppression)).ToArray());
        Assert.Equal(OutboxChannel.Sms, rows[0].DeliveryChannel);
        // Two invitations sent, each with its one reminder (none delivered yet: no delivery job runs here).
        Assert.Equal(4, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == "13912345678")));
        var sms = await app.WithDbAsync(db => db.Set<OutboxMessage>().AsNoTracking().Where(m => m.Recipient == "13912345678").OrderBy(m => m.Id).Select(m => m.Body).FirstAsync());
        Assert.StartsWith("Steward Bank: how did we do (", sms, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", sms);
        Assert.Contains("&culture=en", sms, StringComparison.Ordinal);

        // Day 70 (outside the window): an open complaint of the customer's stops the survey of another case.
        var complaint = await CreateCaseAsync(await app.ApiClientAsync(agent.Username), branch.Id, customer.Id, "Complaint");
        var fifth = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "Consultation", day0.AddDays(70));
        Assert.Equal(SurveySuppression.OpenComplaint, (await InvitationOfAsync(app, fifth)).Suppression);
        var api = await app.ApiClientAsync(agent.Username);
        var open = await (await api.GetAsync($"/api/v1/cases/{complaint}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await api.PostJsonAsync($"/api/v1/cases/{complaint}/transitions", new { action = "Cancel", cancelReason = "Duplicate", reason = "重复提交", version = open.GetProperty("version").GetInt32() }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);

        // The customer opts out from the link of the fourth case's invitation; day 110 nothing is sent.
        var token = LinkToken().Match(await app.WithDbAsync(db => db.Set<OutboxMessage>().Where(m => m.Recipient == "13912345678").OrderByDescending(m => m.Id).Select(m => m.Body).FirstAsync())).Groups[1].Value;
        await (await app.AnonymousClient().PostAsync($"/api/v1/public/surveys/{token}/opt-out", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var sixth = await ResolvedCaseAsync(app, agent.Username, branch.Id, customer.Id, "Consultation", day0.AddDays(110));
        Assert.Equal(SurveySuppression.OptedOut, (await InvitationOfAsync(app, sixth)).Suppression);
        // Nothing was written for the customer after opting out (both reminders were due long before, on days 3 and 33).
        var optedOutAt = day0.AddDays(70);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<OutboxMessage>().CountAsync(m => m.Recipient == "13912345678" && m.CreatedAt > optedOutAt)));
    }

    [Theory, BothDatabases]
    public async Task Analysis_CsatNpsEffortAndTheirIntervals_MatchTheFiguresWorkedOutByHand(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var manager = await app.CreateStaffAsync(branch.Id, StaffRole.BranchManager);
        var definitionId = await AddSurveyAsync(app, "service", "Consultation", delayMinutes: 0, expiryDays: 7);
        int[] csat = [5, 5, 4, 4, 3, 2, 1, 5, 4, 5];
        int[] nps = [10, 9, 9, 8, 7, 6, 3, 10, 0, 9];
        int?[] effort = [1, 2, 3, 4, 5, null, null, null, null, null];
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 10; i++)
            {
                var at = new DateTimeOffset(2026, 11, 20, 8, i, 0, TimeSpan.Zero);
                var invitation = new SurveyInvitation
                {
                    DefinitionId = definitionId, EventKind = SurveyEventKind.Case, EventId = 1000 + i, RecipientKey = "test:" + i, Status = SurveyInvitationStatus.Answered,
                    CreatedAt = at, SendAt = at, ExpiresAt = at.AddDays(7), BranchId = branch.Id,
                };
                db.Add(invitation);
                await db.SaveChangesAsync();
                db.Add(new SurveyResponse
                {
                    InvitationId = invitation.Id, DefinitionId = definitionId, SubmittedAt = at.AddHours(1), Language = "zh-CN", AnswersJson = "{}",
                    Csat = csat[i], Nps = nps[i], Effort = effort[i], EventKind = SurveyEventKind.Case, EventId = 1000 + i, BranchId = branch.Id,
                });
                await db.SaveChangesAsync();
            }
        });

        var api = await app.ApiClientAsync(manager.Username);
        var result = await (await api.GetAsync("/api/v1/surveys/analysis?by=Branch&from=2026-11-01&to=2026-11-23")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var total = result.GetProperty("total");
        Assert.Equal((10, 10), (total.GetProperty("responses").GetInt32(), total.GetProperty("sent").GetInt32()));

        // CSAT: 7 of 10 are 4 or 5 → 70 %. Wilson, z² = 3.8416: centre (0.7 + 0.19208) / 1.38416 = 0.644492;
        // half 1.96 · √(0.021 + 0.009604) / 1.38416 = 0.247719 → 39.68 % to 89.22 %.
        var c = total.GetProperty("csat");
        Assert.Equal(70.0, c.GetProperty("value").GetDouble(), 6);
        Assert.Equal(39.677, c.GetProperty("low").GetDouble(), 2);
        Assert.Equal(89.221, c.GetProperty("high").GetDouble(), 2);
        Assert.True(c.GetProperty("smallSample").GetBoolean());

        // NPS: promoters 10, 9, 9, 10, 9 = 50 %; detractors 6, 3, 0 = 30 % → 20. Half-width 1.96 · √((0.5 + 0.3 − 0.04) / 10)
        // = 1.96 · 0.275681 = 0.540334 → −34.03 to 74.03.
        var n = total.GetProperty("nps");
        Assert.Equal(20.0, n.GetProperty("value").GetDouble(), 6);
        Assert.Equal(-34.033, n.GetProperty("low").GetDouble(), 2);
        Assert.Equal(74.033, n.GetProperty("high").GetDouble(), 2);
        Assert.Equal(10, n.GetProperty("n").GetInt32());

        // Effort: 1–5, mean 3, s = √(10 / 4) = 1.581139; half 1.96 · 1.581139 / √5 = 1.385904 → 1.614 to 4.386, n = 5.
        var e = total.GetProperty("effort");
        Assert.Equal((3.0, 5), (e.GetProperty("value").GetDouble(), e.GetProperty("n").GetInt32()));
        Assert.Equal(1.6141, e.GetProperty("low").GetDouble(), 3);
        Assert.Equal(4.3859, e.GetProperty("high").GetDouble(), 3);

        var segment = Assert.Single(result.GetProperty("segments").EnumerateArray());
        Assert.Equal(branch.Name, segment.GetProperty("label").GetString());
        var (pageStatus, _) = await (await PageClient.SignInAsync(app, manager.Username)).GetAsync("/Surveys?by=Staff&from=2026-11-01&to=2026-11-23");
        Assert.Equal(HttpStatusCode.OK, pageStatus);
    }

    private static async Task<long> AddSurveyAsync(StewardApp app, string code, string kind, int delayMinutes, int expiryDays) => await app.WithDbAsync(async db =>
    {
        var row = new SurveyDefinition
        {
            Code = code, Number = 1, Name = "服务满意度", NameEn = "Service satisfaction", ContentJson = SurveyDemoData.ServiceSurvey.ToJson(),
            TriggerEvent = SurveyTrigger.CaseResolved, Kinds = kind, DelayMinutes = delayMinutes, ExpiryDays = expiryDays, PublishedAt = app.Clock.GetUtcNow(),
        };
        db.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });

    private static async Task<long> CreateCaseAsync(HttpClient api, long branchId, long customerId, string kind)
    {
        var created = await (await api.PostJsonAsync("/api/v1/cases", new { kind, channel = "Counter", subject = "咨询业务", description = "客户来电咨询。", branchId, customerId, handleNow = true }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    /// <summary>A case of the customer, handled now by the caller and resolved at <paramref name="at"/>.</summary>
    private static async Task<long> ResolvedCaseAsync(StewardApp app, string username, long branchId, long customerId, string kind, DateTimeOffset at)
    {
        app.Clock.SetUtcNow(at.AddMinutes(-20));
        var api = await app.ApiClientAsync(username); // a token on the moved clock
        var id = await CreateCaseAsync(api, branchId, customerId, kind);
        var c = await (await api.GetAsync($"/api/v1/cases/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        foreach (var action in c.GetProperty("status").GetString() == "InProgress" ? new[] { "Resolve" } : ["Review", "Start", "Resolve"])
        {
            if (action == "Resolve")
            {
                app.Clock.SetUtcNow(at);
            }

            c = await (await api.PostJsonAsync($"/api/v1/cases/{id}/transitions", new { action, reason = action == "Resolve" ? "已解答客户问题。" : null, version = c.GetProperty("version").GetInt32() }))
                .ShouldBeJsonAsync(HttpStatusCode.OK);
        }

        return id;
    }

    private static (long, SurveyInvitationStatus, SurveySuppression?) R(long caseId, SurveyInvitationStatus status, SurveySuppression? suppression) => (caseId, status, suppression);

    private static Task<SurveyInvitation> InvitationOfAsync(StewardApp app, long caseId) =>
        app.WithDbAsync(db => db.Set<SurveyInvitation>().AsNoTracking().SingleAsync(i => i.EventId == caseId));

    [GeneratedRegex(@"Survey\?t=([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkToken();
}
