using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>The SLA pages render for the right people and the calculator computes (server-rendered, cookie sign-in).</summary>
public sealed partial class SlaPagesTests
{
    private static async Task<HttpClient> WebClientAsync(StewardApp app, string username)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await TokenAsync(client, "/Account/SignIn");
        var response = await client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = username, ["Password"] = StewardApp.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string url)
    {
        var html = await client.GetStringAsync(url);
        return AntiForgery().Match(html).Groups[1].Value;
    }

    [Theory, BothDatabases]
    public async Task Pages_AgentUsesTheCalculator_AdministratorManagesStandards(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "上海", nameEn = "上海", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var agentStaff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var adminStaff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var agent = await WebClientAsync(app, agentStaff.Username);
        var administrator = await WebClientAsync(app, adminStaff.Username);

        // Wed 30 Sep 2026 16:00 + 2 business hours (no holidays in this calendar): 16:00–17:30 = 1.5 h, Thu 1 Oct 09:00–09:30.
        var token = await TokenAsync(agent, "/Sla/Calculator");
        var result = await agent.PostAsync("/Sla/Calculator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CalendarId"] = calendar.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Start"] = "2026-09-30T16:00",
            ["Targets[0].Amount"] = "2",
            ["Targets[0].Unit"] = "BusinessHours",
            ["__RequestVerificationToken"] = token,
        }));
        var html = await result.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Contains("data-testid=\"deadline\">2026-10-01 09:30（周四）", html, StringComparison.Ordinal);
        Assert.Contains("到期时间：2026-10-01 09:30（周四）。", html, StringComparison.Ordinal);

        foreach (var page in new[] { "/Sla/Calendars", "/Sla/Standards", "/Sla/Presets" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(page)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await administrator.GetAsync(page)).StatusCode);
        }

        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");
        var version = await administrator.GetStringAsync($"/Sla/Standards/Version?id={id}&number=1");
        Assert.Contains("003 §5.2", version, StringComparison.Ordinal);
        var edit = await administrator.GetStringAsync($"/Sla/Calendars/Edit?id={calendar.GetProperty("id").GetInt64()}");
        Assert.Contains("09:00-12:00, 13:30-17:30", edit, StringComparison.Ordinal);
        var presets = await administrator.GetStringAsync("/Sla/Presets");
        Assert.Contains("消费投诉处理管理办法", presets, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task CalculatorAndVersionPages_DateOutsideTheBusinessYears_ShowTheFieldError(DatabaseProvider provider)
    {
        var (app, branch, admin) = await SlaApi.StartAsync(provider);
        await using var running = app;
        var calendar = await SlaApi.CreateCalendarAsync(admin, new { name = "上海", nameEn = "上海", timeZone = "Asia/Shanghai", weeklyPeriods = SlaApi.ShanghaiHours });
        var adminStaff = await app.CreateStaffAsync(branch.Id, StaffRole.Administrator);
        var web = await WebClientAsync(app, adminStaff.Username);
        var id = await SlaApi.StandardIdAsync(admin, "INSTITUTION");

        var calculator = await web.PostAsync("/Sla/Calculator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CalendarId"] = calendar.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Start"] = "9999-12-31T23:59",
            ["Targets[0].Amount"] = "2",
            ["Targets[0].Unit"] = "BusinessDays",
            ["__RequestVerificationToken"] = await TokenAsync(web, "/Sla/Calculator"),
        }));
        var versionPage = $"/Sla/Standards/Version?id={id}&number=1";
        var version = await web.PostAsync(versionPage, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["StandardVersion"] = "1",
            ["EffectiveFrom"] = "0001-01-01T00:00",
            ["Rules[0].TargetType"] = "Resolution",
            ["Rules[0].Amount"] = "5",
            ["Rules[0].Unit"] = "BusinessDays",
            ["__RequestVerificationToken"] = await TokenAsync(web, versionPage),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, calculator.StatusCode);
        Assert.Contains("日期须在 1900 至 2200 年之间。", await calculator.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, version.StatusCode);
        Assert.Contains("日期须在 1900 至 2200 年之间。", await version.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var standard = await (await admin.GetAsync($"/api/v1/sla/standards/{id}")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, standard.GetProperty("versions").GetArrayLength());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgery();
}
