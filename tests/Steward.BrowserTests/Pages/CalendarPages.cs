using Microsoft.Playwright;

namespace Steward.BrowserTests.Pages;

/// <summary>Service standards → Business calendars → Edit (Chinese UI): a calendar's hours, holiday years and days.</summary>
public sealed class CalendarEditPage(IPage page)
{
    public const string CalendarsPath = "/Sla/Calendars";

    public IPage Page => page;

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    /// <summary>The years whose holidays the calendar holds, as listed in the holiday-years box.</summary>
    public ILocator LoadedYears => page.GetByTestId("loaded-year");

    private ILocator AddDayForm => page.GetByRole(AriaRole.Form, new() { Name = "添加日期", Exact = true });

    /// <summary>Opens the calendars list and follows the edit link of <paramref name="calendarName"/>.</summary>
    public static async Task<CalendarEditPage> OpenAsync(IPage page, string calendarName)
    {
        await page.GotoAsync(CalendarsPath);
        await page.GetByRole(AriaRole.Table, new() { Name = "营业日历", Exact = true })
            .GetByRole(AriaRole.Link, new() { Name = "编辑 " + calendarName, Exact = true }).ClickAsync();
        var edit = new CalendarEditPage(page);
        await Assertions.Expect(edit.Heading).ToHaveTextAsync("编辑日历: " + calendarName);
        return edit;
    }

    /// <summary>The row of <paramref name="date"/> (yyyy-MM-dd) in the table of its year.</summary>
    public ILocator Row(string date) =>
        page.GetByRole(AriaRole.Table, new() { Name = $"{date[..4]} 年的节假日和调休日", Exact = true })
            .GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = date, Exact = true }) });

    public async Task AddHolidayAsync(string date, string name)
    {
        await AddDayForm.GetByLabel("日期", new() { Exact = true }).FillAsync(date);
        await AddDayForm.GetByLabel("类型", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "节假日" });
        await AddDayForm.GetByLabel("中文名称", new() { Exact = true }).FillAsync(name);
        await AddDayForm.GetByRole(AriaRole.Button, new() { Name = "添加日期", Exact = true }).ClickAsync();
    }

    public Task RemoveAsync(string date) => page.GetByRole(AriaRole.Button, new() { Name = "删除 " + date, Exact = true }).ClickAsync();
}
