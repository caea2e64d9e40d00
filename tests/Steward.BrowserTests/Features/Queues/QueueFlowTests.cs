using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Features.Organisation;
using Steward.Features.Queues;
using Steward.Features.Sla.Calendars;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Xunit.Abstractions;

namespace Steward.BrowserTests.Features.Queues;

/// <summary>Issue 14: the kiosk issues a ticket, the counter calls it, the board on the wall shows it without a reload.</summary>
public sealed class QueueFlowTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Theory, BothDatabases]
    public Task KioskIssues_CounterCalls_BoardShowsItWithoutReload(DatabaseProvider provider) => InBrowserAsync(async (page, server) =>
    {
        var (branchId, username) = await OpenBranchAsync(server);

        // The board on the wall, connected before anything happens.
        await using var boardContext = await Browser.NewContextAsync(new() { BaseURL = server.BaseUrl, Locale = "zh-CN" });
        var board = await boardContext.NewPageAsync();
        await board.GotoAsync($"/Queues/Public/Board/{branchId}");
        await Assertions.Expect(board.Locator("[data-queue-board][data-online=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(board.GetByText("暂无叫号")).ToBeVisibleAsync();

        // The kiosk: one large button per service.
        await using var kioskContext = await Browser.NewContextAsync(new() { BaseURL = server.BaseUrl, Locale = "zh-CN", ViewportSize = new() { Width = 1080, Height = 1920 } });
        var kiosk = await kioskContext.NewPageAsync();
        await kiosk.GotoAsync($"/Queues/Public/Kiosk/{branchId}");
        await kiosk.GetByRole(AriaRole.Button, new() { Name = "A 现金业务" }).ClickAsync();
        await Assertions.Expect(kiosk.GetByTestId("ticket-number")).ToHaveTextAsync("A001");
        await Assertions.Expect(board.GetByTestId("board-waiting")).ToContainTextAsync("1");

        // The counter: sign in to counter 1, call next.
        await (await SignInPage.OpenAsync(page)).SignInAsync(username);
        await page.GotoAsync("/Queues/Counter");
        await page.GetByLabel("窗口", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "1 号窗口 · 综合窗口" });
        await page.GetByRole(AriaRole.Button, new() { Name = "登录窗口" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "叫下一位" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-number")).ToHaveTextAsync("A001");
        // Post/redirect/get: the page after a call is a plain address, so reloading it never calls again.
        Assert.DoesNotContain("handler=", page.Url, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("current-number")).ToHaveTextAsync("A001");

        // The board, never reloaded, shows the call.
        await Assertions.Expect(board.GetByTestId("board-current-number")).ToHaveTextAsync("A001");
        await Assertions.Expect(board.GetByTestId("board-current-counter")).ToHaveTextAsync("1 号窗口");
        await page.GetByRole(AriaRole.Button, new() { Name = "客户已到" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "办结" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "叫下一位" })).ToBeVisibleAsync();
    }, provider: provider);

    /// <summary>
    /// A branch of its own whose calendar opens every day of the week (the server runs on the real clock: the demo branches
    /// rest at weekends), with service type A and counter 1, and an agent of the branch; returns the branch id and username.
    /// </summary>
    private static async Task<(long BranchId, string Username)> OpenBranchAsync(StewardServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        var code = server.Unique("QB").ToUpperInvariant();
        var branch = new Branch { Code = code, Name = code + " 排队支行", NameEn = code + " Queue Branch", TimeZone = "Asia/Shanghai" };
        db.Add(branch);
        await db.SaveChangesAsync();
        var calendars = scope.ServiceProvider.GetRequiredService<CalendarService>();
        var hours = new[] { "00:00-23:59" };
        var week = new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" }.ToDictionary(d => d, _ => (string[]?)hours);
        var calendar = (await calendars.CreateAsync(new CalendarSaveInput(code + " 日历", code + " calendar", "Asia/Shanghai", week))).Value!;
        await calendars.SetBranchCalendarAsync(branch.Id, calendar.Id, null);
        var cash = new QueueServiceType { BranchId = branch.Id, Prefix = "A", Name = "现金业务", NameEn = "Cash" };
        db.Add(cash);
        await db.SaveChangesAsync();
        db.Add(new QueueCounter { BranchId = branch.Id, Number = 1, Name = "综合窗口", NameEn = "General counter", ServiceTypeIds = cash.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await db.SaveChangesAsync();
        var username = server.Unique("queue.").ToLowerInvariant();
        var staff = await scope.ServiceProvider.GetRequiredService<OrganisationService>()
            .CreateStaffAsync(new StaffInput(username, "柜员 " + code, null, branch.Id, null, [StaffRole.Agent]), Demo.Password);
        return staff.Succeeded ? (branch.Id, username) : throw new InvalidOperationException($"Could not create staff: {staff.Error}");
    }
}
