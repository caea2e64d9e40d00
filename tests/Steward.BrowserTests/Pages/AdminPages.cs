using Microsoft.Playwright;

namespace Steward.BrowserTests.Pages;

/// <summary>Administration → Branches: the list of branches and the form that creates one.</summary>
public sealed class BranchesPage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Table => Page.GetByRole(AriaRole.Table, new() { Name = Text.AdminBranches, Exact = true });

    /// <summary>The validation or error message above the form.</summary>
    public ILocator Error => Page.GetByRole(AriaRole.Alert);

    /// <summary>The row whose code cell reads exactly <paramref name="code"/>.</summary>
    public ILocator Row(string code) =>
        Table.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = code, Exact = true }) });

    public async Task SubmitNewAsync(string code, string name, string nameEn, string timeZone)
    {
        await Page.GetByLabel(Text.Code, new() { Exact = true }).FillAsync(code);
        await Page.GetByLabel(Text.ChineseName, new() { Exact = true }).FillAsync(name);
        await Page.GetByLabel(Text.EnglishName, new() { Exact = true }).FillAsync(nameEn);
        await Page.GetByLabel(Text.TimeZone, new() { Exact = true }).FillAsync(timeZone);
        await Page.GetByRole(AriaRole.Button, new() { Name = Text.Save, Exact = true }).ClickAsync();
    }
}

/// <summary>Administration → Staff and roles: the staff list and the account form.</summary>
public sealed class StaffPage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Table => Page.GetByRole(AriaRole.Table, new() { Name = Text.AdminStaff, Exact = true });

    /// <summary>The confirmation shown after saving.</summary>
    public ILocator Saved => Page.GetByRole(AriaRole.Status);

    public ILocator Error => Page.GetByRole(AriaRole.Alert);

    /// <summary>The row whose username cell reads exactly <paramref name="username"/>.</summary>
    public ILocator Row(string username) =>
        Table.GetByRole(AriaRole.Row).Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = username, Exact = true }) });

    public async Task SubmitNewAsync(string username, string displayName, string homeBranch, string role, string password)
    {
        await Page.GetByLabel(Text.Username, new() { Exact = true }).FillAsync(username);
        await Page.GetByLabel(Text.DisplayName, new() { Exact = true }).FillAsync(displayName);
        await Page.GetByLabel(Text.HomeBranch, new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = homeBranch });
        await Page.GetByRole(AriaRole.Checkbox, new() { Name = role, Exact = true }).CheckAsync();
        await Page.GetByLabel(Text.Password, new() { Exact = true }).FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = Text.Save, Exact = true }).ClickAsync();
    }
}

/// <summary>The audit log: entries, filters and the chain verification.</summary>
public sealed class AuditPage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Table => Page.GetByRole(AriaRole.Table, new() { Name = Text.AuditLog, Exact = true });

    /// <summary>The entry rows (without the header row).</summary>
    public ILocator Entries => Table.Locator("tbody").GetByRole(AriaRole.Row);

    public ILocator VerifyButton => Page.GetByRole(AriaRole.Button, new() { Name = Text.VerifyChain, Exact = true });

    public ILocator VerifyResult => Page.GetByRole(AriaRole.Status);

    public ILocator CheckpointButton => Page.GetByRole(AriaRole.Button, new() { Name = Text.WriteCheckpoint, Exact = true });
}
