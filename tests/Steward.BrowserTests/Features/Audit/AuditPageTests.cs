using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Audit;

public sealed class AuditPageTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    [Fact]
    public Task Compliance_OpensAudit_SeesEntriesAndVerifiesChainIntact() => InBrowserAsync(async (page, _) =>
    {
        var home = await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Compliance);
        await Expect(home.Welcome).ToHaveTextAsync("您好，" + Demo.ComplianceName);

        var audit = await home.OpenAuditAsync();
        // The demo institution's creation is audited: branches, teams, staff, customers.
        Assert.True(await audit.Entries.CountAsync() > 10, "the audit page should list the demo data's entries");

        await audit.VerifyButton.ClickAsync();

        await Expect(audit.VerifyResult).ToContainTextAsync("哈希链完整");
    });
}
