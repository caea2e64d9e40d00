using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Webhooks;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Webhooks;

/// <summary>
/// Signed outbound webhooks (issue 17, docs/decisions/0047) against <see cref="TestWebhookReceiver"/>, a real HTTP receiver on a
/// 127.0.0.1 port that checks every signature with its own HMAC code. The delivery job's own timer is set to an hour so that
/// each test drives the passes itself, moving the fake clock between them; nothing sleeps.
/// </summary>
public sealed class WebhookDeliveryTests
{
    /// <summary>Monday 23 November 2026 01:00:00 UTC (TestClock.DefaultStart) in Unix seconds: 20 415 days × 86 400 + 3 600.</summary>
    private const long StartUnix = 1_795_395_600;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Webhooks:IntervalSeconds"] = "3600" };
        foreach (var (key, value) in more)
        {
            settings["Webhooks:" + key] = value;
        }

        return settings;
    }

    private sealed record Setup(StewardApp App, HttpClient Admin, Staff AdminStaff, HttpClient Agent, long EndpointId, string Secret);

    private static async Task<Setup> SetUpAsync(StewardApp app, string url, params string[] events)
    {
        var branch = await app.CreateBranchAsync();
        var (adminStaff, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks/endpoints", new { url, description = "CRM", eventTypes = events.Length > 0 ? events : ["case.created"] });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        return new Setup(app, admin, adminStaff, agent, body.GetProperty("endpoint").GetProperty("id").GetInt64(), secret);
    }

    private static Task<JobPass> PassAsync(StewardApp app) => app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(WebhookDispatcher.JobName);

    private static async Task<JsonElement> DeliveriesAsync(Setup s) =>
        (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/endpoints/{s.EndpointId}/deliveries")).GetProperty("items");

    [Theory, BothDatabases]
    public async Task Delivery_ToAReceiverThatFailsTwice_ArrivesOnceAsASuccessAfterRetries_EverySignatureVerifying(DatabaseProvider provider)
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var s = await SetUpAsync(app, receiver.Url);
        receiver.Answers(500, 500, 200);
        var reference = (await StewardApp.CreateCaseAsync(s.Agent)).GetProperty("reference").GetString();

        Assert.Null((await PassAsync(app)).Error);
        // Back-off: 60 s after the first failure, 120 s after the second.
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        await PassAsync(app);
        Assert.Single(receiver.Requests);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await PassAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(120));
        await PassAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await PassAsync(app);

        var requests = receiver.Requests.ToList();
        Assert.Equal([500, 500, 200], requests.Select(r => r.AnsweredWith));
        Assert.Single(requests, r => r.AnsweredWith == 200);
        // The same delivery (one id) of the same body each time, signed at each attempt's instant: 0, +60 s, +180 s.
        Assert.Single(requests.Select(r => r.Delivery).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct());
        var stamps = requests.Select(r =>
        {
            Assert.True(TestWebhookReceiver.Verify(s.Secret, r.Signature, r.Body, out var t), r.Signature);
            return t;
        }).ToList();
        Assert.Equal([StartUnix, StartUnix + 60, StartUnix + 180], stamps);
        Assert.All(requests, r => Assert.Equal("case.created", r.Event));
        Assert.False(TestWebhookReceiver.Verify(s.Secret + "x", requests[0].Signature, requests[0].Body, out _));

        var payload = JsonDocument.Parse(requests[0].Body).RootElement;
        Assert.Equal("case.created", payload.GetProperty("type").GetString());
        Assert.StartsWith("evt_", payload.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(reference, payload.GetProperty("data").GetProperty("case").GetProperty("reference").GetString());
        // No personal data: the contact's name and phone and the subject stay in Steward.
        Assert.DoesNotContain("李雷", requests[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("13800138000", requests[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("理财", requests[0].Body, StringComparison.Ordinal);

        var delivery = Assert.Single((await DeliveriesAsync(s)).EnumerateArray());
        Assert.Equal("Delivered", delivery.GetProperty("status").GetString());
        Assert.Equal(3, delivery.GetProperty("attempts").GetInt32());
        Assert.Equal(requests[0].Delivery, delivery.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        var log = delivery.GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal(["HttpError", "HttpError", "Succeeded"], log.Select(a => a.GetProperty("outcome").GetString()));
        Assert.Equal([500, 500, 200], log.Select(a => a.GetProperty("statusCode").GetInt32()));
        var endpoint = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/endpoints/{s.EndpointId}");
        Assert.Equal(0, endpoint.GetProperty("consecutiveFailures").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Delivery_ToAReceiverThatNeverAnswers_RecordsATimeoutAndTriesAgainLater(DatabaseProvider provider)
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        await using var app = await StewardApp.StartAsync(provider, Settings(("TimeoutSeconds", "5")));
        var s = await SetUpAsync(app, receiver.Url);
        receiver.Hang = true;
        await StewardApp.CreateCaseAsync(s.Agent);

        var arrived = receiver.NextRequestAsync();
        var pass = PassAsync(app);
        await arrived.WaitAsync(TimeSpan.FromSeconds(60));
        // The receiver holds the request; 5 s later on Steward's clock the attempt gives up.
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Null((await pass.WaitAsync(TimeSpan.FromSeconds(60))).Error);

        var delivery = Assert.Single((await DeliveriesAsync(s)).EnumerateArray());
        Assert.Equal("Pending", delivery.GetProperty("status").GetString());
        var attempt = Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal("Timeout", attempt.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("statusCode").ValueKind);
        Assert.Equal(5000, attempt.GetProperty("durationMs").GetInt32());
        Assert.Equal("No answer within 5 s", attempt.GetProperty("error").GetString());
        // Next try 60 s after the failed attempt ended: 01:00:05 + 60 s.
        Assert.Equal(TestClock.DefaultStart.AddSeconds(65), delivery.GetProperty("nextAttemptAt").GetDateTimeOffset());
    }

    [Theory, BothDatabases]
    public async Task Endpoint_AfterThreeFailuresInARow_IsPausedItsOwnerToldAndNothingMoreSent(DatabaseProvider provider)
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        await using var app = await StewardApp.StartAsync(provider, Settings(("PauseAfterFailures", "3")));
        var s = await SetUpAsync(app, receiver.Url);
        receiver.Answers(500, 500, 500, 500, 500);
        await StewardApp.CreateCaseAsync(s.Agent);

        await PassAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await PassAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(120));
        await PassAsync(app);

        var endpoint = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/endpoints/{s.EndpointId}");
        Assert.True(endpoint.GetProperty("paused").GetBoolean());
        Assert.Equal("Failures", endpoint.GetProperty("pauseReason").GetString());
        Assert.Equal(3, endpoint.GetProperty("consecutiveFailures").GetInt32());
        var notes = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/notifications");
        var note = Assert.Single(notes.GetProperty("items").EnumerateArray(), n => n.GetProperty("kind").GetString() == "webhook.paused");
        Assert.Equal($"/Admin/Webhooks/{s.EndpointId}", note.GetProperty("link").GetString());
        // The pause is in the audit log, by the system.
        var audit = await app.AuditEntriesAsync("WebhookEndpoint", s.EndpointId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(audit, a => a.ActorName == "system" && a.Changes.Contains("paused_at", StringComparison.Ordinal));

        // Paused: the delivery waits, however long.
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await PassAsync(app);
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal("Pending", (await DeliveriesAsync(s))[0].GetProperty("status").GetString());

        // Resumed: it goes at once (the receiver's answers 4 and 5 are 500, so one more failure is recorded, and no pause yet).
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/webhooks/endpoints/{s.EndpointId}/resume", null)).StatusCode);
        await PassAsync(app);
        Assert.Equal(4, receiver.Requests.Count);
        endpoint = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/endpoints/{s.EndpointId}");
        Assert.False(endpoint.GetProperty("paused").GetBoolean());
        Assert.Equal(1, endpoint.GetProperty("consecutiveFailures").GetInt32());
    }

    [Theory, BothDatabases]
    public async Task Replay_OfADeliveredDelivery_SendsTheSameEventAgainUnderANewDeliveryId(DatabaseProvider provider)
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var s = await SetUpAsync(app, receiver.Url);
        await StewardApp.CreateCaseAsync(s.Agent);
        await PassAsync(app);
        var first = Assert.Single((await DeliveriesAsync(s)).EnumerateArray());
        var firstId = first.GetProperty("id").GetInt64();

        var replay = await s.Admin.PostAsync($"/api/v1/webhooks/deliveries/{firstId}/replay", null);
        var replayed = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(replay.StatusCode == HttpStatusCode.OK, replayed.ToString());
        var replayId = replayed.GetProperty("delivery").GetProperty("id").GetInt64();
        Assert.NotEqual(firstId, replayId);
        Assert.Equal(firstId, replayed.GetProperty("delivery").GetProperty("replayOfId").GetInt64());
        // A pending delivery is not replayed (it would go twice).
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsync($"/api/v1/webhooks/deliveries/{replayId}/replay", null)).StatusCode);
        await PassAsync(app);

        var requests = receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal([firstId.ToString(System.Globalization.CultureInfo.InvariantCulture), replayId.ToString(System.Globalization.CultureInfo.InvariantCulture)], requests.Select(r => r.Delivery));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.All(requests, r => Assert.True(TestWebhookReceiver.Verify(s.Secret, r.Signature, r.Body, out _)));
        Assert.Equal(replayed.GetProperty("payload").GetString(), requests[1].Body);

        // The endpoint's page shows both deliveries with their attempts, and a Replay button for each, named by its delivery.
        var page = await PageClient.SignInAsync(app, s.AdminStaff.Username, language: "zh-CN");
        var (status, html) = await page.GetAsync($"/Admin/Webhooks/{s.EndpointId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"attempt\"").Count);
        Assert.Contains($"aria-labelledby=\"replay-{replayId} delivery-{replayId}\"", html, StringComparison.Ordinal);
        Assert.Contains($"重发自 #{firstId}", html, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Deliveries_WithTwoNodesPassingAtOnce_GoOutOnceEach(DatabaseProvider provider)
    {
        await using var receiver = await TestWebhookReceiver.StartAsync();
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var s = await SetUpAsync(app, receiver.Url, "case.created", "case.status_changed");
        for (var i = 0; i < 6; i++)
        {
            await StewardApp.CreateCaseAsync(s.Agent);
        }

        await using (var second = app.StartSecondNode())
        {
            await Task.WhenAll(PassAsync(app), PassAsync(second), PassAsync(app), PassAsync(second));
        }

        var deliveries = await app.WithDbAsync(db => db.Set<WebhookDelivery>().AsNoTracking().ToListAsync());
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.All(deliveries, d => Assert.Equal(1, d.Attempts));
        var received = receiver.Requests.Select(r => r.Delivery).ToList();
        Assert.Equal(deliveries.Count, received.Count);
        Assert.Equal(received.Count, received.Distinct().Count());
        Assert.All(receiver.Requests, r => Assert.True(TestWebhookReceiver.Verify(s.Secret, r.Signature, r.Body, out _)));
    }

    [Theory, BothDatabases]
    public async Task Create_WithBadInput_IsAProblemNamingTheField_AndStoresNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);

        async Task<JsonElement> RefusedAsync(object request, string field, string? language = null)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/webhooks/endpoints") { Content = JsonContent.Create(request) };
            if (language is not null)
            {
                message.Headers.AcceptLanguage.ParseAdd(language);
            }

            var response = await admin.SendAsync(message);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, problem.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
            return problem;
        }

        var plainHttp = await RefusedAsync(new { url = "http://crm.example.com/hook", eventTypes = new[] { "case.created" } }, "url", "en");
        Assert.Equal("The endpoint is not valid", plainHttp.GetProperty("title").GetString());
        Assert.Contains("https", plainHttp.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        var chinese = await RefusedAsync(new { url = "https://crm.example.com/hook", eventTypes = new[] { "case.nope" } }, "eventTypes", "zh-CN");
        Assert.Equal("回调地址设置有误", chinese.GetProperty("title").GetString());
        Assert.Contains("case.nope", chinese.GetProperty("errors").GetProperty("eventTypes")[0].GetString(), StringComparison.Ordinal);
        await RefusedAsync(new { url = "https://crm.example.com/hook", eventTypes = Array.Empty<string>() }, "eventTypes");
        await RefusedAsync(new { url = "ftp://crm.example.com/hook", eventTypes = new[] { "case.created" } }, "url");

        Assert.Equal(0, await app.WithDbAsync(db => db.Set<WebhookEndpoint>().CountAsync()));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhooks/endpoints")).EnumerateArray());
        // Loopback over plain http is for receivers under test, and allowed.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/webhooks/endpoints", new { url = "http://127.0.0.1:5000/hook", eventTypes = new[] { "case.created" } })).StatusCode);
    }

    [Theory, BothDatabases]
    public async Task NonAdministrator_IsRefusedOnTheApiAndThePages(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        var (agentStaff, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var created = await (await admin.PostAsJsonAsync("/api/v1/webhooks/endpoints", new { url = "https://crm.example.com/hook", eventTypes = new[] { "case.created" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("endpoint").GetProperty("id").GetInt64();

        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/v1/webhooks/endpoints")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/webhooks/endpoints", new { url = "https://x.example.com/", eventTypes = new[] { "case.created" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsync($"/api/v1/webhooks/endpoints/{id}/rotate-secret", null)).StatusCode);
        var agentPages = await PageClient.SignInAsync(app, agentStaff.Username, language: "en");
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPages.GetAsync("/Admin/Webhooks")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await agentPages.GetAsync($"/Admin/Webhooks/{id}")).Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WebhookEndpoint>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Pages_RegisterAnEndpoint_ShowTheSecretOnce_AndRefuseBadInputAtTheField(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, Settings());
        var branch = await app.CreateBranchAsync();
        var adminStaff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var page = await PageClient.SignInAsync(app, adminStaff.Username, language: "zh-CN");

        var bad = await page.PostFormAsync("/Admin/Webhooks", new() { ["Address"] = "http://crm.example.com/hook", ["EventTypes"] = "case.created" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("id=\"url-error\"", badHtml, StringComparison.Ordinal);
        Assert.Contains("请使用 https", System.Net.WebUtility.HtmlDecode(badHtml), StringComparison.Ordinal);

        var good = await page.PostFormAsync("/Admin/Webhooks", new() { ["Address"] = "https://crm.example.com/hook", ["Description"] = "客户关系系统", ["EventTypes"] = "case.closed" });
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var html = await good.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "data-testid=\"secret\">(whsec_[^<]+)<").Groups[1].Value;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var endpoint = await app.WithDbAsync(db => db.Set<WebhookEndpoint>().AsNoTracking().SingleAsync());
        Assert.Equal("case.closed", endpoint.EventTypes);
        Assert.DoesNotContain(secret, endpoint.SecretCipher, StringComparison.Ordinal);
        var (status, details) = await page.GetAsync($"/Admin/Webhooks/{endpoint.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(secret, details, StringComparison.Ordinal);
        // The secret is never in the audit log either.
        var audit = await app.AuditEntriesAsync("WebhookEndpoint", endpoint.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(audit, a => Assert.DoesNotContain(secret, a.Changes, StringComparison.Ordinal));
    }
}
