using Microsoft.Playwright;
using Steward.BrowserTests.Infrastructure;

namespace Steward.BrowserTests.Pages;

/// <summary>The staff sign-in page, <c>/Account/SignIn</c>.</summary>
public sealed class SignInPage(IPage page, UiText text)
{
    public const string Path = "/Account/SignIn";

    public IPage Page => page;

    public UiText Text => text;

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = text.SignInHeading, Level = 1 });

    public ILocator Username => page.GetByLabel(text.Username, new() { Exact = true });

    public ILocator Password => page.GetByLabel(text.Password, new() { Exact = true });

    public ILocator SubmitButton => page.GetByRole(AriaRole.Button, new() { Name = text.SignInButton, Exact = true });

    /// <summary>The message shown when signing in fails.</summary>
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    /// <summary>The button that switches the UI to the other language.</summary>
    public ILocator LanguageButton => page.GetByRole(AriaRole.Button, new() { Name = text.SwitchLanguage, Exact = true });

    public static async Task<SignInPage> OpenAsync(IPage page, UiText? text = null)
    {
        await page.GotoAsync(Path);
        return new SignInPage(page, text ?? UiText.Chinese);
    }

    /// <summary>Fills the form and submits it, without checking where that leads.</summary>
    public async Task SubmitAsync(string username, string password)
    {
        await Username.FillAsync(username);
        await Password.FillAsync(password);
        await SubmitButton.ClickAsync();
    }

    /// <summary>Signs in and waits for the home page.</summary>
    public async Task<HomePage> SignInAsync(string username, string password = Demo.Password)
    {
        await SubmitAsync(username, password);
        var home = new HomePage(page, text);
        await Assertions.Expect(home.Welcome).ToBeVisibleAsync();
        return home;
    }

    /// <summary>Switches the language and returns the sign-in page as it reads in the other language.</summary>
    public async Task<SignInPage> SwitchLanguageAsync()
    {
        var other = text == UiText.Chinese ? UiText.English : UiText.Chinese;
        await LanguageButton.ClickAsync();
        var switched = new SignInPage(page, other);
        await Assertions.Expect(switched.Heading).ToBeVisibleAsync();
        return switched;
    }
}
