using System.Net;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Service standards: precedence, versions and effective-from, presets, audit and authorization.</summary>
public sealed class StandardsApiTests
{
    private static object Rule(string? kind, string? priority, string? tier, string? channel, string type, int amount, string unit) =>
        new { caseKind = kind, priority, customerTier = tier, channel, targetType = type, amount, unit };

    [Theory, BothDatabases]
    public async Task ResolveTargets_PicksTheMostSpecificRuleByDocumentedPrecedence(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new
        {
            version = 1,
            effectiveFrom = "2026-11-23T09:00:00+08:00", // the fake clock's now (01:00 UTC)
            changeNote = "precedence test",
            rules = new[]
            {
                Rule(null, null, null, null, "FirstResponse", 8, "BusinessHours"),
                Rule("Complaint", null, null, null, "FirstResponse", 24, "CalendarHours"),
                Rule(null, "Urgent", null, null, "FirstResponse", 2, "BusinessHours"),
                Rule(null, null, "Gold", "Phone", "FirstResponse", 3, "BusinessHours"),
                Rule("Complaint", "Urgent", null, null, "FirstResponse", 1, "BusinessHours"),
                Rule(null, null, null, "Phone", "FirstResponse", 4, "BusinessHours"),
            },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);

        async Task<string> FirstResponse(string kind, string priority, string tier, string channel)
        {
            var target = SlaApi.Target(await SlaApi.ResolveAsync(admin, kind, priority, tier, channel), "FirstResponse");
            Assert.Equal(2, target.GetProperty("source").GetProperty("versionNumber").GetInt32());
            return SlaApi.Describe(target) + " " + target.GetProperty("source").GetProperty("match").GetString();
        }

        // Only the catch-all matches.
        Assert.Equal("8 BusinessHours * / * / * / *", await FirstResponse("Consultation", "Normal", "Standard", "Email"));
        // One dimension beats none.
        Assert.Equal("24 CalendarHours Complaint / * / * / *", await FirstResponse("Complaint", "Normal", "Standard", "Email"));
        // Two dimensions beat one.
        Assert.Equal("1 BusinessHours Complaint / Urgent / * / *", await FirstResponse("Complaint", "Urgent", "Standard", "Email"));
        Assert.Equal("3 BusinessHours * / * / Gold / Phone", await FirstResponse("Complaint", "Normal", "Gold", "Phone"));
        // Equal count: kind > priority > tier > channel (Complaint × Urgent beats Gold × Phone).
        Assert.Equal("1 BusinessHours Complaint / Urgent / * / *", await FirstResponse("Complaint", "Urgent", "Gold", "Phone"));
        Assert.Equal("2 BusinessHours * / Urgent / * / *", await FirstResponse("Suggestion", "Urgent", "Standard", "Phone"));
        Assert.Equal("24 CalendarHours Complaint / * / * / *", await FirstResponse("Complaint", "Low", "Standard", "Phone"));
        // Case-insensitive dimension values.
        Assert.Equal("4 BusinessHours * / * / * / Phone", await FirstResponse("praise", "low", "silver", "phone"));

        var bad = await (await admin.GetAsync("/api/v1/sla/standards/resolve?kind=Gossip&priority=Normal&tier=Standard&channel=Pigeon"))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("kind", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("channel", out _));
    }

    [Theory, BothDatabases]
    public async Task NewVersion_TakesEffectOnlyFromItsEffectiveFrom_AndIsAudited(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");

        var created = await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new
        {
            version = 1,
            effectiveFrom = "2026-12-01T00:00:00+08:00",
            changeNote = "December targets",
            rules = new[] { Rule(null, null, null, null, "FirstResponse", 1, "BusinessHours") },
        })).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2, created.GetProperty("number").GetInt32());
        // Citation and rules text default to the previous version's.
        Assert.Contains("003 §5.2", created.GetProperty("citation").GetString(), StringComparison.Ordinal);

        // Now (2026-11-23) version 1 is in force: the seeded Consultation rule, 4 business hours.
        var before = SlaApi.Target(await SlaApi.ResolveAsync(admin, "Consultation", "Normal", "Standard", "Email"), "FirstResponse");
        Assert.Equal("4 BusinessHours", SlaApi.Describe(before));
        Assert.Equal(1, before.GetProperty("source").GetProperty("versionNumber").GetInt32());

        // One second before 1 Dec 00:00 in Shanghai: still version 1 (a week later: sign in again, tokens expire).
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 15, 59, 59, TimeSpan.Zero));
        (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        Assert.Equal(1, SlaApi.Target(await SlaApi.ResolveAsync(admin, "Consultation", "Normal", "Standard", "Email"), "FirstResponse")
            .GetProperty("source").GetProperty("versionNumber").GetInt32());

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero));
        var after = await SlaApi.ResolveAsync(admin, "Consultation", "Normal", "Standard", "Email");
        Assert.Equal("1 BusinessHours", SlaApi.Describe(SlaApi.Target(after, "FirstResponse")));
        Assert.Single(after.GetProperty("targets").EnumerateArray());
        // Asking about an earlier instant still answers with the version then in force.
        var past = SlaApi.Target(await SlaApi.ResolveAsync(admin, "Consultation", "Normal", "Standard", "Email", "2026-11-30T23:00:00+08:00"), "FirstResponse");
        Assert.Equal(1, past.GetProperty("source").GetProperty("versionNumber").GetInt32());

        var standard = await (await admin.GetAsync($"/api/v1/sla/standards/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, standard.GetProperty("inForceVersion").GetInt32());

        var versionId = created.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var audit = await app.AuditEntriesAsync("SlaStandardVersion", versionId);
        var entry = Assert.Single(audit);
        Assert.StartsWith("user", entry.ActorName, StringComparison.Ordinal);
        Assert.Contains("December targets", entry.Changes, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task NewVersion_StaleOrInThePastOrInvalid_IsRefused(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        var rules = new[] { Rule(null, null, null, null, "Resolution", 5, "BusinessDays") };

        await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new { version = 1, effectiveFrom = "2027-01-01T00:00:00+08:00", rules }))
            .ShouldBeJsonAsync(HttpStatusCode.Created);
        var stale = await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new { version = 1, effectiveFrom = "2027-02-01T00:00:00+08:00", rules }))
            .ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("stale-version", stale.GetProperty("code").GetString());

        var invalid = await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new
        {
            version = 2,
            effectiveFrom = "2026-01-01T00:00:00+08:00",
            rules = new object[]
            {
                Rule("Gossip", null, null, null, "Resolution", 5, "BusinessDays"),
                new { targetType = "Resolution", amount = 5, unit = "BusinessDays", rollForward = true },
                Rule(null, null, null, null, "Resolution", 5, "BusinessDays"),
                Rule(null, null, null, null, "Resolution", 6, "BusinessDays"),
            },
        })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var errors = invalid.GetProperty("errors");
        Assert.True(errors.TryGetProperty("effectiveFrom", out _), "in the past");
        Assert.True(errors.TryGetProperty("rules[0].caseKind", out _), "unknown kind");
        Assert.True(errors.TryGetProperty("rules[1].rollForward", out _), "roll forward on business days");
        Assert.True(errors.TryGetProperty("rules[3]", out _), "duplicate of rules[2]");

        var standard = await (await admin.GetAsync($"/api/v1/sla/standards/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, standard.GetProperty("versions").GetArrayLength());
    }

    [Theory, BothDatabases]
    public async Task PresetSelection_AddsRegulatoryTargetsForComplaintsOnly(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;

        var presets = await (await admin.GetAsync("/api/v1/sla/presets")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["CN-CBIRC-2020-3", "UK-FCA-DISP", "US-CFPB"], presets.EnumerateArray().Select(p => p.GetProperty("code").GetString()).Order());
        var prc = presets.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "CN-CBIRC-2020-3");
        Assert.Contains("15 日内作出处理决定", prc.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Contains("重新计算", prc.GetProperty("rulesZh").GetString(), StringComparison.Ordinal);
        Assert.Contains("merged", prc.GetProperty("rulesEn").GetString(), StringComparison.Ordinal);

        // Without a preset: only the institution's own targets.
        var none = await SlaApi.ResolveAsync(admin, "Complaint", "Normal", "Standard", "Email");
        Assert.DoesNotContain(none.GetProperty("targets").EnumerateArray(), t => t.GetProperty("layer").GetString() == "Regulatory");

        var selection = await (await admin.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = prc.GetProperty("id").GetInt64(), version = 1 }))
            .ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("CN-CBIRC-2020-3", selection.GetProperty("regulatoryStandardCode").GetString());
        await (await admin.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = (long?)null, version = 1 })).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var complaint = await SlaApi.ResolveAsync(admin, "Complaint", "Normal", "Standard", "Email");
        var regulatory = SlaApi.Target(complaint, "Resolution", "Regulatory");
        Assert.Equal("15 CalendarDays", SlaApi.Describe(regulatory));
        Assert.True(regulatory.GetProperty("target").GetProperty("rollForwardWhenLastDayIsNonWorking").GetBoolean());
        Assert.Equal(["ExternalAppraisal"], SlaApi.Strings(regulatory.GetProperty("pauseReasons")));
        Assert.Equal(45, regulatory.GetProperty("maxExtension").GetInt32());
        Assert.True(regulatory.GetProperty("extensionNoticeToCustomer").GetBoolean());
        Assert.Equal("CN-CBIRC-2020-3", regulatory.GetProperty("source").GetProperty("standardCode").GetString());
        // The institution's own targets stay: 24 h response (003 §5.2) and the 30-day benchmark.
        Assert.Equal("24 CalendarHours", SlaApi.Describe(SlaApi.Target(complaint, "FirstResponse")));
        Assert.Equal("30 CalendarDays", SlaApi.Describe(SlaApi.Target(complaint, "Resolution")));

        var consultation = await SlaApi.ResolveAsync(admin, "Consultation", "Normal", "Standard", "Email");
        Assert.DoesNotContain(consultation.GetProperty("targets").EnumerateArray(), t => t.GetProperty("layer").GetString() == "Regulatory");

        var list = await (await admin.GetAsync("/api/v1/sla/presets")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.True(list.EnumerateArray().Single(p => p.GetProperty("code").GetString() == "CN-CBIRC-2020-3").GetProperty("selected").GetBoolean());
    }

    [Theory, BothDatabases]
    public async Task Agent_CanReadAndPreviewButCannotChangeStandardsOrCalendars(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        var id = await SlaApi.StandardIdAsync(agent, "INSTITUTION");
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "Cal", nameEn = "Cal", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var calendarId = calendar.GetProperty("id").GetInt64();

        var forbidden = await agent.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new
        {
            version = 1, effectiveFrom = "2027-01-01T00:00:00+08:00", rules = new[] { Rule(null, null, null, null, "FirstResponse", 1, "BusinessHours") },
        });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutJsonAsync("/api/v1/sla/presets/selection", new { standardId = (long?)null, version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PutJsonAsync($"/api/v1/calendars/{calendarId}", new { name = "X", nameEn = "X", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours, version = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJsonAsync($"/api/v1/calendars/{calendarId}/prc-preset", new { version = 1 })).StatusCode);

        await (await agent.GetAsync("/api/v1/calendars")).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await agent.PostJsonAsync("/api/v1/sla/preview", new
        {
            calendarId, start = "2026-10-08T09:00:00+08:00", targets = new[] { new { amount = 1, unit = "BusinessHours" } },
        })).ShouldBeJsonAsync(HttpStatusCode.OK);
        var standard = await (await admin.GetAsync($"/api/v1/sla/standards/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, standard.GetProperty("versions").GetArrayLength());
    }

    [Theory, BothDatabases]
    public async Task NewVersionAndResolve_InstantsOutsideTheBusinessYears_Are400NamingTheField(DatabaseProvider provider)
    {
        var (app, _, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        var rules = new[] { Rule(null, null, null, null, "Resolution", 5, "BusinessDays") };

        foreach (var at in new[] { "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00" })
        {
            var version = await (await admin.PostJsonAsync($"/api/v1/sla/standards/{id}/versions", new { version = 1, effectiveFrom = at, rules }))
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("1900", version.GetProperty("errors").GetProperty("effectiveFrom")[0].GetString(), StringComparison.Ordinal);
            var resolve = await (await admin.GetAsync("/api/v1/sla/standards/resolve?kind=Complaint&priority=Normal&tier=Standard&channel=Phone&at=" + Uri.EscapeDataString(at)))
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("1900", resolve.GetProperty("errors").GetProperty("at")[0].GetString(), StringComparison.Ordinal);
        }

        var standard = await (await admin.GetAsync($"/api/v1/sla/standards/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, standard.GetProperty("versions").GetArrayLength());
    }
}
