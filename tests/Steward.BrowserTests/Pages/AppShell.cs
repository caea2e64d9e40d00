using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Steward.BrowserTests.Pages;

/// <summary>
/// What every signed-in page shares: the navigation bar with its menus, the language switch and
/// the sign-out button. Below Bootstrap's "lg" width (992 px) the menus sit behind the toggler.
/// </summary>
public partial class AppShell(IPage page, UiText text)
{
    public IPage Page => page;

    public UiText Text => text;

    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = text.MainNavigation });

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Toggler => Navigation.GetByRole(AriaRole.Button, new() { Name = text.ToggleNavigation });

    public ILocator AdminMenu => Navigation.GetByRole(AriaRole.Button, new() { Name = text.AdminMenu, Exact = true });

    public ILocator AuditLink => Navigation.GetByRole(AriaRole.Link, new() { Name = text.AuditLog, Exact = true });

    public ILocator LanguageButton => Navigation.GetByRole(AriaRole.Button, new() { Name = text.SwitchLanguage, Exact = true });

    public ILocator SignOutButton => Navigation.GetByRole(AriaRole.Button, new() { Name = text.SignOutButton, Exact = true });

    public async Task<BranchesPage> OpenBranchesAsync()
    {
        await OpenAdminItemAsync(text.AdminBranches);
        var branches = new BranchesPage(page, text);
        await Assertions.Expect(branches.Heading).ToHaveTextAsync(text.AdminBranches);
        return branches;
    }

    public async Task<StaffPage> OpenStaffAsync()
    {
        await OpenAdminItemAsync(text.AdminStaff);
        var staff = new StaffPage(page, text);
        await Assertions.Expect(staff.Heading).ToHaveTextAsync(text.AdminStaff);
        return staff;
    }

    public async Task<AuditPage> OpenAuditAsync()
    {
        await ExpandNavigationAsync();
        await AuditLink.ClickAsync();
        var audit = new AuditPage(page, text);
        await Assertions.Expect(audit.Heading).ToHaveTextAsync(text.AuditLog);
        return audit;
    }

    /// <summary>
    /// On a narrow screen, presses the toggler and waits until the collapsed navigation has finished
    /// opening (Bootstrap marks it <c>show</c> after its animation); on a wide screen does nothing.
    /// </summary>
    public async Task ExpandNavigationAsync()
    {
        if (await Toggler.IsVisibleAsync() && await Toggler.GetAttributeAsync("aria-expanded") != "true")
        {
            await Toggler.ClickAsync();
            await Assertions.Expect(Toggler).ToHaveAttributeAsync("aria-expanded", "true");
            var menu = Page.Locator("#" + await Toggler.GetAttributeAsync("aria-controls"));
            await Assertions.Expect(menu).ToHaveClassAsync(ShownCollapse());
        }
    }

    public async Task<SignInPage> SignOutAsync()
    {
        await ExpandNavigationAsync();
        await SignOutButton.ClickAsync();
        var signIn = new SignInPage(page, text);
        await Assertions.Expect(signIn.Heading).ToBeVisibleAsync();
        return signIn;
    }

    /// <summary>The texts of the other language, after pressing the language button.</summary>
    public async Task<UiText> SwitchLanguageAsync()
    {
        await ExpandNavigationAsync();
        await LanguageButton.ClickAsync();
        var other = text == UiText.Chinese ? UiText.English : UiText.Chinese;
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", other.HtmlLang);
        return other;
    }

    [GeneratedRegex(@"\bshow\b")]
    private static partial Regex ShownCollapse();

    private async Task OpenAdminItemAsync(string item)
    {
        await ExpandNavigationAsync();
        await AdminMenu.ClickAsync();
        await Navigation.GetByRole(AriaRole.Link, new() { Name = item, Exact = true }).ClickAsync();
    }
}

/// <summary>The home page a person lands on after signing in.</summary>
public sealed class HomePage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Welcome => Page.GetByRole(AriaRole.Heading, new() { Name = Text.WelcomePrefix, Level = 1 });
}
