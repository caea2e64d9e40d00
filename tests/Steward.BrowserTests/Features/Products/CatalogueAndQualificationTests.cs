using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;
using Steward.BrowserTests.Pages;
using Steward.Platform.Database;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Steward.BrowserTests.Features.Products;

/// <summary>An administrator adds a product (a refused number shown at its field first) and a certificate for an agent, in Chinese and in English.</summary>
public sealed class CatalogueAndQualificationTests(Chromium chromium, StewardServers servers, ITestOutputHelper output) : BrowserTest(chromium, servers, output)
{
    public sealed record Words(
        string Code, string Category, string Fund, string NameZh, string NameEn, string Issuer, string Bank, string Liquidity, string Save, string NotANumber,
        string Staff, string Show, string Type, string Securities, string Number, string Issued, string Expires, string Add, string Valid);

    private static readonly Words Zh = new("产品代码", "类别", "基金", "中文名称", "英文名称", "发行机构评级", "本行（销售机构）评级", "资金可取回天数（0 表示随时）", "保存产品",
        "请填写数字，例如 2.5。", "员工", "查看", "资格类型", "证券从业资格", "证书编号", "发证日期", "有效期至", "登记证书", "有效");

    private static readonly Words En = new("Code", "Category", "Fund", "Chinese name", "English name", "Issuer's rating", "Bank's (distributor's) rating",
        "Days until money can be taken out (0 = on demand)", "Save product", "Write a number, e.g. 2.5.", "Staff member", "Show", "Qualification",
        "Securities qualification", "Certificate number", "Issued on", "Valid until", "Add certificate", "Valid");

    [Theory, BothDatabases]
    public Task Admin_AddsAProductAndACertificate_InChinese(DatabaseProvider provider) => InBrowserAsync(async (page, _) =>
    {
        await (await SignInPage.OpenAsync(page)).SignInAsync(Demo.Admin);
        await AddProductAndCertificateAsync(page, Zh);
    }, provider: provider);

    [Theory, BothDatabases]
    public Task Admin_AddsAProductAndACertificate_InEnglish(DatabaseProvider provider) => InBrowserAsync(async (page, _) =>
    {
        await (await SignInPage.OpenAsync(page, UiText.English)).SignInAsync(Demo.Admin);
        await AddProductAndCertificateAsync(page, En);
    }, new BrowserNewContextOptions { Locale = "en-US" }, provider);

    private static async Task AddProductAndCertificateAsync(IPage page, Words w)
    {
        var code = "BT-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await page.GotoAsync("/Products/Edit");
        var form = page.Locator("[data-testid=product-form]");
        await form.GetByLabel(w.Code, new() { Exact = true }).FillAsync(code);
        await form.GetByLabel(w.Category, new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = w.Fund });
        await form.GetByLabel(w.NameZh, new() { Exact = true }).FillAsync("浏览器测试基金");
        await form.GetByLabel(w.NameEn, new() { Exact = true }).FillAsync("Browser test fund");
        await form.GetByLabel(w.Issuer, new() { Exact = true }).SelectOptionAsync("R3");
        await form.GetByLabel(w.Bank, new() { Exact = true }).SelectOptionAsync("R4");
        await form.GetByLabel(w.Liquidity, new() { Exact = true }).FillAsync("three");
        await form.GetByRole(AriaRole.Button, new() { Name = w.Save }).ClickAsync();

        // Refused at the field, in the page's language; what was typed is kept.
        await Expect(page.Locator("[data-field=liquidityDays]")).ToHaveTextAsync(w.NotANumber);
        await Expect(form.GetByLabel(w.Code, new() { Exact = true })).ToHaveValueAsync(code);
        await form.GetByLabel(w.Liquidity, new() { Exact = true }).FillAsync("3");
        await form.GetByRole(AriaRole.Button, new() { Name = w.Save }).ClickAsync();
        await Expect(page.Locator("[data-testid=effective-risk]")).ToHaveTextAsync("R4");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(code);

        // A certificate for sh.agent2 (黄敏).
        await page.GotoAsync("/Qualifications/Staff");
        await page.GetByRole(AriaRole.Combobox, new() { Name = w.Staff, Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "黄敏" });
        await page.GetByRole(AriaRole.Button, new() { Name = w.Show, Exact = true }).ClickAsync();
        var add = page.Locator("[data-testid=add-certificate]");
        var number = "SEC-" + code;
        await add.GetByLabel(w.Type, new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = w.Securities });
        await add.GetByLabel(w.Number, new() { Exact = true }).FillAsync(number);
        await add.GetByLabel(w.Issued, new() { Exact = true }).FillAsync("2025-06-01");
        await add.GetByLabel(w.Expires, new() { Exact = true }).FillAsync("2029-05-31");
        await add.GetByRole(AriaRole.Button, new() { Name = w.Add, Exact = true }).ClickAsync();
        var row = page.Locator("[data-testid=certificate]", new() { HasText = number });
        await Expect(row).ToContainTextAsync("2029-05-31");
        await Expect(row.Locator("[data-testid=certificate-state]")).ToHaveTextAsync(w.Valid);
    }
}
