using Microsoft.Playwright;

namespace Steward.BrowserTests.Pages;

/// <summary>The public request form, <c>/Public/Request</c> (no sign-in).</summary>
public sealed class PublicRequestPage(IPage page)
{
    public IPage Page => page;

    public ILocator Reference => page.GetByTestId("receipt-reference");

    public static async Task<PublicRequestPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("/Public/Request");
        return new PublicRequestPage(page);
    }

    /// <summary>Fills and submits the form, then returns the reference shown on the receipt.</summary>
    public async Task<string> SubmitAsync(string kind, string branch, string name, string phone, string subject, string description)
    {
        await page.GetByLabel("类型", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = kind });
        await page.GetByLabel("分支机构", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = branch });
        await page.GetByLabel("姓名", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("电话", new() { Exact = true }).FillAsync(phone);
        await page.GetByLabel("主题", new() { Exact = true }).FillAsync(subject);
        await page.GetByLabel("描述", new() { Exact = true }).FillAsync(description);
        await page.Locator("#Input_PrivacyAccepted").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "提交", Exact = true }).ClickAsync();
        await Assertions.Expect(Reference).ToBeVisibleAsync();
        return (await Reference.TextContentAsync())!.Trim();
    }
}

/// <summary>The public status look-up, <c>/Public/Status</c>.</summary>
public sealed class PublicStatusPage(IPage page)
{
    public IPage Page => page;

    public ILocator Status => page.GetByTestId("public-status-value");

    public ILocator Replies => page.GetByTestId("public-reply");

    public ILocator Result => page.GetByTestId("public-status");

    public static async Task<PublicStatusPage> OpenAsync(IPage page)
    {
        await page.GotoAsync("/Public/Status");
        return new PublicStatusPage(page);
    }

    public async Task CheckAsync(string reference, string contact)
    {
        await page.GetByLabel("案件编号", new() { Exact = true }).FillAsync(reference);
        await page.GetByLabel("电话或邮箱", new() { Exact = true }).FillAsync(contact);
        await page.GetByRole(AriaRole.Button, new() { Name = "查询", Exact = true }).ClickAsync();
        await Assertions.Expect(Result).ToBeVisibleAsync();
    }
}

/// <summary>The case workbench, <c>/Cases</c>: tabs, filters and search (htmx), the list.</summary>
public sealed class WorkbenchPage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Results => Page.Locator("#case-results");

    public ILocator Search => Page.GetByLabel("搜索", new() { Exact = true });

    public ILocator Rows => Page.GetByTestId("case-row");

    public ILocator Row(string reference) => Page.Locator($"[data-testid=case-row][data-reference=\"{reference}\"]");

    /// <summary>Opens the workbench from the main menu (案件工作台).</summary>
    public static async Task<WorkbenchPage> OpenFromMenuAsync(AppShell shell)
    {
        await shell.ExpandNavigationAsync();
        await shell.Navigation.GetByRole(AriaRole.Link, new() { Name = "案件工作台", Exact = true }).ClickAsync();
        var workbench = new WorkbenchPage(shell.Page, shell.Text);
        await Assertions.Expect(workbench.Heading).ToHaveTextAsync("案件工作台");
        return workbench;
    }

    public async Task OpenTabAsync(string name)
    {
        var tab = Results.GetByRole(AriaRole.Link).Filter(new() { HasText = name });
        await tab.ClickAsync();
        await Assertions.Expect(tab).ToHaveAttributeAsync("aria-current", "page");
    }

    /// <summary>Presses 领取 on the case's row and waits for its case page.</summary>
    public async Task<CasePage> PickAsync(string reference)
    {
        await Row(reference).GetByRole(AriaRole.Button, new() { Name = "领取 " + reference, Exact = true }).ClickAsync();
        var casePage = new CasePage(Page, Text);
        await Assertions.Expect(casePage.Reference).ToHaveTextAsync(reference);
        return casePage;
    }
}

/// <summary>New case, <c>/Cases/New</c>: look a customer up and choose them, fill the case, create it.</summary>
public sealed class NewCasePage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Form => Page.GetByTestId("new-case-form");

    public ILocator Lookup => Form.GetByLabel("查找客户", new() { Exact = true });

    public ILocator Hits => Form.GetByTestId("customer-hit");

    public ILocator Subject => Form.GetByLabel("主题", new() { Exact = true });

    /// <summary>Presses 新建案件 on the workbench and waits for the form.</summary>
    public static async Task<NewCasePage> OpenFromWorkbenchAsync(WorkbenchPage workbench)
    {
        await workbench.Page.GetByRole(AriaRole.Link, new() { Name = "新建案件", Exact = true }).ClickAsync();
        var form = new NewCasePage(workbench.Page, workbench.Text);
        await Assertions.Expect(form.Heading).ToHaveTextAsync("新建案件");
        // The look-up's Enter is the page's script (without it Enter creates): a press before the script has run would create.
        await workbench.Page.WaitForLoadStateAsync(LoadState.Load);
        return form;
    }

    /// <summary>Types the look-up and presses Enter in it (which looks up, it does not create); waits for the customers found.</summary>
    public async Task FindCustomerAsync(string query)
    {
        await Lookup.FillAsync(query);
        // Waits for the look-up's answer itself: the field holds the query before the press too, so it proves nothing.
        await Page.RunAndWaitForResponseAsync(() => Lookup.PressAsync("Enter"),
            response => response.Url.Contains("handler=FindCustomer", StringComparison.Ordinal), new() { Timeout = 30_000 });
        await Assertions.Expect(Lookup).ToHaveValueAsync(query); // the page came back with the query
        await Assertions.Expect(Hits.First).ToBeVisibleAsync();
    }

    /// <summary>Ticks the customer with this customer number among those found.</summary>
    public Task ChooseCustomerAsync(string reference) =>
        Page.Locator($"[data-testid=customer-hit][data-reference=\"{reference}\"]").GetByRole(AriaRole.Radio).CheckAsync();

    public async Task FillAsync(string kind, string subject, string description)
    {
        await Form.GetByLabel("类型", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = kind });
        await Subject.FillAsync(subject);
        await Form.GetByLabel("描述", new() { Exact = true }).FillAsync(description);
    }

    /// <summary>Presses 创建案件 and waits for the new case's page.</summary>
    public async Task<CasePage> CreateAsync()
    {
        await Form.GetByRole(AriaRole.Button, new() { Name = "创建案件", Exact = true }).ClickAsync();
        var casePage = new CasePage(Page, Text);
        await Assertions.Expect(casePage.Reference).ToBeVisibleAsync();
        return casePage;
    }
}

/// <summary>One case, <c>/Cases/{id}</c>: header, timeline, reply box and action forms.</summary>
public sealed class CasePage(IPage page, UiText text) : AppShell(page, text)
{
    public ILocator Reference => Page.GetByTestId("case-reference");

    public ILocator Status => Page.GetByTestId("case-status");

    public ILocator Assignee => Page.GetByTestId("case-assignee");

    public ILocator Customer => Page.GetByTestId("case-customer");

    public ILocator Done => Page.GetByTestId("done");

    public ILocator Timeline => Page.GetByTestId("timeline");

    public SlaPanel Sla => new(Page);

    /// <summary>Presses a lifecycle button (开始审核, 开始处理, 解决, …), optionally with a reason, and waits for the status.</summary>
    public async Task MoveAsync(string button, string expectedStatus, string? reason = null)
    {
        if (reason is not null)
        {
            await Page.GetByTestId("transition-form").GetByLabel("原因（选填）").FillAsync(reason);
        }

        await Page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(Status).ToContainTextAsync(expectedStatus);
    }

    public Task ReplyAsync(string body) => SendAsync("回复客户（客户可见）", body, "reply");

    public Task NoteAsync(string body) => SendAsync("内部备注（仅员工可见）", body, "note");

    private async Task SendAsync(string kind, string body, string testId)
    {
        var form = Page.GetByTestId("reply-form");
        await form.GetByLabel(kind, new() { Exact = true }).CheckAsync();
        await form.GetByRole(AriaRole.Textbox).FillAsync(body);
        await form.GetByRole(AriaRole.Button, new() { Name = "发送", Exact = true }).ClickAsync();
        await Assertions.Expect(Timeline.GetByTestId(testId).Filter(new() { HasText = body })).ToBeVisibleAsync();
    }
}

/// <summary>The SLA panel of the case page: clocks with due instants and explanations, extension and restart forms.</summary>
public sealed class SlaPanel(IPage page)
{
    public ILocator Root => page.GetByTestId("sla-panel");

    public ILocator Calendar => Root.GetByTestId("sla-calendar");

    public ILocator Done => Root.GetByTestId("sla-done");

    public ILocator Extensions => Root.GetByTestId("sla-extension");

    public ILocator Clock(string target, string layer) => Root.Locator($"[data-testid=sla-clock][data-target={target}][data-layer={layer}]");

    /// <summary>Opens 截止时间如何计算 of the clock and returns its steps.</summary>
    public async Task<ILocator> ExplanationAsync(ILocator clock)
    {
        await clock.GetByText("截止时间如何计算", new() { Exact = true }).ClickAsync();
        return clock.GetByTestId("sla-step");
    }

    /// <summary>Fills 申请延期 (new total for the clock "Target|Layer") and submits; waits for the case page again.</summary>
    public async Task RequestExtensionAsync(string clock, int newTotal, string reason)
    {
        await Root.GetByText("申请延期", new() { Exact = true }).ClickAsync();
        var form = Root.GetByTestId("sla-extend-form");
        await form.GetByLabel("延期目标").SelectOptionAsync(clock);
        await form.GetByLabel("新的总时限").FillAsync(newTotal.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByLabel("原因").FillAsync(reason);
        await form.GetByRole(AriaRole.Button, new() { Name = "提交延期申请", Exact = true }).ClickAsync();
        await Assertions.Expect(Done).ToBeVisibleAsync();
    }
}
