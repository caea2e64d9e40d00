using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

/// <summary>
/// Two-factor sign-in (issue 18). The codes are computed here by this file's own TOTP (RFC 6238 over RFC 4648 Base32),
/// checked against the RFC's published test vectors, never by the code under test.
/// </summary>
public sealed class TwoFactorTests
{
    [Fact]
    public void TheTestsOwnTotp_GivesTheRfc6238TestVectors()
    {
        // RFC 6238 Appendix B, SHA-1, secret "12345678901234567890": the 8-digit codes' last 6 digits.
        var secret = Encoding.ASCII.GetBytes("12345678901234567890");
        Assert.Equal("287082", Totp(secret, DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal("081804", Totp(secret, DateTimeOffset.FromUnixTimeSeconds(1111111109)));
        Assert.Equal("050471", Totp(secret, DateTimeOffset.FromUnixTimeSeconds(1111111111)));
        Assert.Equal("005924", Totp(secret, DateTimeOffset.FromUnixTimeSeconds(1234567890)));
        Assert.Equal("279037", Totp(secret, DateTimeOffset.FromUnixTimeSeconds(2000000000)));
        // RFC 4648 §10: "foobar" in Base32.
        Assert.Equal("foobar", Encoding.ASCII.GetString(Base32("MZXW 6YTB OI")));
    }

    [Theory, BothDatabases]
    public async Task SetUpOnThePage_ThenSigningInTakesACurrentCodeOnce_OrARecoveryCodeOnce(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var pages = await PageClient.SignInAsync(app, agent.Username, language: "en");

        var begun = await pages.SubmitFormAsync("/Account/TwoFactor", f => f.GetAttribute("data-testid") == "begin-form");
        Assert.Equal(HttpStatusCode.OK, begun.StatusCode);
        var setUp = HtmlForms.Parse(await begun.Content.ReadAsStringAsync());
        var key = Base32(setUp.QuerySelector("[data-testid=two-factor-key]")!.TextContent);
        Assert.Equal(20, key.Length);
        Assert.StartsWith("data:image/svg+xml;base64,", setUp.QuerySelector("[data-testid=two-factor-qr]")!.GetAttribute("src"), StringComparison.Ordinal);

        // A wrong first code is refused at the field and turns nothing on.
        var wrong = await pages.SubmitFormAsync("/Account/TwoFactor", f => f.GetAttribute("data-testid") == "confirm-form", new() { ["code"] = Other(Totp(key, app.Clock.GetUtcNow())) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("The code is not right", HtmlForms.Parse(await wrong.Content.ReadAsStringAsync()).QuerySelector("#confirm-code-error")!.TextContent, StringComparison.Ordinal);
        var confirmCode = Totp(key, app.Clock.GetUtcNow());
        var on = await pages.SubmitFormAsync("/Account/TwoFactor", f => f.GetAttribute("data-testid") == "confirm-form", new() { ["code"] = confirmCode });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        var recovery = HtmlForms.Parse(await on.Content.ReadAsStringAsync()).QuerySelectorAll("[data-testid=recovery-codes] li").Select(li => li.TextContent).ToList();
        Assert.Equal(10, recovery.Count);
        Assert.All(recovery, c => Assert.Matches("^[A-Z2-9]{5}-[A-Z2-9]{5}$", c));

        // Signing in now stops after the password: not in until the code.
        var browser = Browser(app);
        var signIn = await browser.PostFormAsync("/Account/SignIn", new() { ["Username"] = agent.Username, ["Password"] = StewardApp.Password });
        Assert.Equal("/Account/SecondFactor", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/Cases")).StatusCode);
        // The code just used to turn it on is of the same 30 seconds: used once, refused again.
        var replay = await browser.PostFormAsync("/Account/SecondFactor", new() { ["Code"] = confirmCode });
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.NotNull(HtmlForms.Parse(await replay.Content.ReadAsStringAsync()).QuerySelector("#code-error"));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var current = await browser.PostFormAsync("/Account/SecondFactor", new() { ["Code"] = Totp(key, app.Clock.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.Redirect, current.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Cases")).StatusCode);

        // A recovery code stands in for the code once.
        var lostPhone = Browser(app);
        await lostPhone.PostFormAsync("/Account/SignIn", new() { ["Username"] = agent.Username, ["Password"] = StewardApp.Password });
        Assert.Equal(HttpStatusCode.Redirect, (await lostPhone.PostFormAsync("/Account/SecondFactor", new() { ["Code"] = recovery[3].ToLowerInvariant() })).StatusCode);
        var again = Browser(app);
        await again.PostFormAsync("/Account/SignIn", new() { ["Username"] = agent.Username, ["Password"] = StewardApp.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostFormAsync("/Account/SecondFactor", new() { ["Code"] = recovery[3] })).StatusCode);
        var (_, managed) = await pages.GetAsync("/Account/TwoFactor");
        Assert.Contains("9 unused recovery codes left", managed, StringComparison.Ordinal);

        // The sign-in history tells the steps apart; the secret is stored encrypted.
        var outcomes = await app.WithDbAsync(db => db.Set<SignInRecord>().Where(r => r.StaffId == agent.Id).OrderBy(r => r.Id).Select(r => r.Outcome).ToListAsync());
        Assert.Equal(
            [SignInOutcome.Success, SignInOutcome.SecondFactorPending, SignInOutcome.SecondFactorRejected, SignInOutcome.Success,
             SignInOutcome.SecondFactorPending, SignInOutcome.Success, SignInOutcome.SecondFactorPending, SignInOutcome.SecondFactorRejected],
            outcomes);
        var stored = await app.WithDbAsync(db => db.Set<StaffTwoFactor>().SingleAsync(t => t.StaffId == agent.Id));
        Assert.DoesNotContain(Convert.ToBase64String(key), stored.SecretCipher, StringComparison.Ordinal);
        Assert.StartsWith("v", stored.SecretCipher, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Token_WithTwoFactorOn_NeedsTheCode_AndFiveWrongCodesLockItForTheLockoutTime(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var api = await app.ApiClientAsync(agent.Username);
        api.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var enrolment = await (await api.PostAsync("/api/v1/me/two-factor/enrolment", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var key = Base32(enrolment.GetProperty("key").GetString()!);
        Assert.StartsWith("otpauth://totp/Steward:" + agent.Username + "?secret=", enrolment.GetProperty("uri").GetString(), StringComparison.Ordinal);
        var refused = await (await api.PostAsJsonAsync("/api/v1/me/two-factor/confirm", new { code = "12345" })).ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("two-factor-code-invalid", refused.GetProperty("code").GetString());
        Assert.True(refused.GetProperty("errors").TryGetProperty("code", out _));
        var confirmed = await (await api.PostAsJsonAsync("/api/v1/me/two-factor/confirm", new { code = Totp(key, app.Clock.GetUtcNow()) })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(10, confirmed.GetProperty("recoveryCodes").GetArrayLength());

        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        async Task<HttpResponseMessage> Token(string? otp) => await client.PostAsJsonAsync("/api/v1/auth/token", new { username = agent.Username, password = StewardApp.Password, otp });
        Assert.Equal("two-factor-code-required", (await (await Token(null)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var right = Totp(key, app.Clock.GetUtcNow());
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal("two-factor-code-invalid", (await (await Token(Other(right))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        }

        // The fifth wrong code locks the second step; then even the right code is refused, until the lockout (15 minutes) is over.
        Assert.Equal("two-factor-locked", (await (await Token(Other(right))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        Assert.Equal("two-factor-locked", (await (await Token(right)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var token = await (await Token(Totp(key, app.Clock.GetUtcNow()))).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Bearer", token.GetProperty("token_type").GetString());
    }

    [Theory, BothDatabases]
    public async Task ARoleThatRequiresIt_SendsItsHoldersToSetItUpBeforeTheyAreIn_AndAnAdministratorCanResetIt(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var admin = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var lead = await app.CreateStaffAsync(branch.Id, StaffRole.TeamLead);
        var adminApi = await app.ApiClientAsync(admin.Username);
        var leadApi = await app.ApiClientAsync(lead.Username);

        // Only an administrator sets the policy.
        Assert.Equal(HttpStatusCode.Forbidden, (await leadApi.PutAsJsonAsync("/api/v1/two-factor/policy", new { requiredRoles = Array.Empty<string>() })).StatusCode);
        var policy = await (await adminApi.PutAsJsonAsync("/api/v1/two-factor/policy", new { requiredRoles = new[] { "TeamLead" } })).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("TeamLead", policy.GetProperty("requiredRoles")[0].GetString());

        // The lead's password alone no longer gets a token, nor into the pages: set-up comes first.
        var anonymous = app.AnonymousClient();
        var noToken = await (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { username = lead.Username, password = StewardApp.Password })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("two-factor-enrolment-required", noToken.GetProperty("code").GetString());
        var browser = Browser(app);
        var signIn = await browser.PostFormAsync("/Account/SignIn", new() { ["Username"] = lead.Username, ["Password"] = StewardApp.Password });
        Assert.Equal("/Account/TwoFactor", signIn.Headers.Location!.OriginalString);
        var (_, setUpHtml) = await browser.GetAsync("/Account/TwoFactor");
        var setUp = HtmlForms.Parse(setUpHtml);
        Assert.NotNull(setUp.QuerySelector("[data-testid=two-factor-required]"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/Cases")).StatusCode);
        var key = Base32(setUp.QuerySelector("[data-testid=two-factor-key]")!.TextContent);
        var done = await browser.SubmitFormAsync("/Account/TwoFactor", f => f.GetAttribute("data-testid") == "confirm-form", new() { ["code"] = Totp(key, app.Clock.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.NotNull(HtmlForms.Parse(await done.Content.ReadAsStringAsync()).QuerySelector("[data-testid=two-factor-continue]"));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Cases")).StatusCode);

        // Required: it cannot be turned off by its holder; an administrator resets it (a lost phone), audited.
        var (_, managed) = await browser.GetAsync("/Account/TwoFactor");
        Assert.Null(HtmlForms.Parse(managed).QuerySelector("[data-testid=disable-form]"));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var off = await (await leadApi.PostAsJsonAsync("/api/v1/me/two-factor/disable", new { code = Totp(key, app.Clock.GetUtcNow()) })).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("two-factor-required", off.GetProperty("code").GetString());
        var reset = await (await adminApi.PostAsync($"/api/v1/staff/{lead.Id}/two-factor/reset", null)).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.False(reset.GetProperty("enabled").GetBoolean());
        Assert.True(reset.GetProperty("required").GetBoolean());
        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.EntityType == "StaffTwoFactor" || e.EntityType == "TwoFactorRequirement")
            .OrderBy(e => e.Sequence).Select(e => new { e.EntityType, e.Action, e.ActorId }).ToListAsync());
        Assert.Equal(new { EntityType = "TwoFactorRequirement", Action = AuditAction.Created, ActorId = (long?)admin.Id }, audited[0]);
        Assert.Contains(new { EntityType = "StaffTwoFactor", Action = AuditAction.Deleted, ActorId = (long?)admin.Id }, audited);
        Assert.Equal("/Account/TwoFactor", (await Browser(app).PostFormAsync("/Account/SignIn", new() { ["Username"] = lead.Username, ["Password"] = StewardApp.Password })).Headers.Location!.OriginalString);
    }

    [Theory, BothDatabases]
    public async Task StartingTheSetUpInFourTabsAtOnce_AnswersEachWithAKey_AndLeavesOneSecret(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var agent = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var api = await app.ApiClientAsync(agent.Username);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => api.PostAsync("/api/v1/me/two-factor/enrolment", null)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<StaffTwoFactor>().CountAsync(t => t.StaffId == agent.Id)));
    }

    private static PageClient Browser(StewardApp app)
    {
        var page = new PageClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        page.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        return page;
    }

    /// <summary>A six-digit code that is not <paramref name="code"/>.</summary>
    private static string Other(string code) => ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    private static string Totp(byte[] secret, DateTimeOffset at) => TestTotp.Code(secret, at);

    private static byte[] Base32(string text) => TestTotp.Base32(text);
}
