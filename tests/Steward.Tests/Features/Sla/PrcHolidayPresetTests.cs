using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Tests.Features.Sla;

/// <summary>
/// Checks the preset against the State Council notices (2025: 国办发明电〔2024〕12号; 2026: notice of 2025-11-04),
/// including the weekdays printed in the notices, which catches a mistyped date.
/// </summary>
public class PrcHolidayPresetTests
{
    // Every date and weekday printed in the notices ("放假" ranges and "上班" days).
    [Theory]
    [InlineData("2025-01-01", IsoDayOfWeek.Wednesday, PresetDayKind.Holiday)]
    [InlineData("2025-01-28", IsoDayOfWeek.Tuesday, PresetDayKind.Holiday)]
    [InlineData("2025-02-04", IsoDayOfWeek.Tuesday, PresetDayKind.Holiday)]
    [InlineData("2025-01-26", IsoDayOfWeek.Sunday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2025-02-08", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2025-04-04", IsoDayOfWeek.Friday, PresetDayKind.Holiday)]
    [InlineData("2025-04-06", IsoDayOfWeek.Sunday, PresetDayKind.Holiday)]
    [InlineData("2025-05-01", IsoDayOfWeek.Thursday, PresetDayKind.Holiday)]
    [InlineData("2025-05-05", IsoDayOfWeek.Monday, PresetDayKind.Holiday)]
    [InlineData("2025-04-27", IsoDayOfWeek.Sunday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2025-05-31", IsoDayOfWeek.Saturday, PresetDayKind.Holiday)]
    [InlineData("2025-06-02", IsoDayOfWeek.Monday, PresetDayKind.Holiday)]
    [InlineData("2025-10-01", IsoDayOfWeek.Wednesday, PresetDayKind.Holiday)]
    [InlineData("2025-10-08", IsoDayOfWeek.Wednesday, PresetDayKind.Holiday)]
    [InlineData("2025-09-28", IsoDayOfWeek.Sunday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2025-10-11", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-01-01", IsoDayOfWeek.Thursday, PresetDayKind.Holiday)]
    [InlineData("2026-01-03", IsoDayOfWeek.Saturday, PresetDayKind.Holiday)]
    [InlineData("2026-01-04", IsoDayOfWeek.Sunday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-02-15", IsoDayOfWeek.Sunday, PresetDayKind.Holiday)]
    [InlineData("2026-02-23", IsoDayOfWeek.Monday, PresetDayKind.Holiday)]
    [InlineData("2026-02-14", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-02-28", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-04-04", IsoDayOfWeek.Saturday, PresetDayKind.Holiday)]
    [InlineData("2026-04-06", IsoDayOfWeek.Monday, PresetDayKind.Holiday)]
    [InlineData("2026-05-01", IsoDayOfWeek.Friday, PresetDayKind.Holiday)]
    [InlineData("2026-05-05", IsoDayOfWeek.Tuesday, PresetDayKind.Holiday)]
    [InlineData("2026-05-09", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-06-19", IsoDayOfWeek.Friday, PresetDayKind.Holiday)]
    [InlineData("2026-06-21", IsoDayOfWeek.Sunday, PresetDayKind.Holiday)]
    [InlineData("2026-09-25", IsoDayOfWeek.Friday, PresetDayKind.Holiday)]
    [InlineData("2026-09-27", IsoDayOfWeek.Sunday, PresetDayKind.Holiday)]
    [InlineData("2026-10-01", IsoDayOfWeek.Thursday, PresetDayKind.Holiday)]
    [InlineData("2026-10-07", IsoDayOfWeek.Wednesday, PresetDayKind.Holiday)]
    [InlineData("2026-09-20", IsoDayOfWeek.Sunday, PresetDayKind.MakeUpWorkingDay)]
    [InlineData("2026-10-10", IsoDayOfWeek.Saturday, PresetDayKind.MakeUpWorkingDay)]
    public void Days_DateFromNotice_HasPrintedWeekdayAndKind(string isoDate, IsoDayOfWeek weekday, PresetDayKind kind)
    {
        var date = LocalDatePattern.Iso.Parse(isoDate).Value;

        var day = Assert.Single(PrcHolidayPreset.Days, d => d.Date == date);

        Assert.Equal(weekday, date.DayOfWeek);
        Assert.Equal(kind, day.Kind);
    }

    [Theory]
    // 2025: 元旦 1 + 春节 8 + 清明 3 + 劳动节 5 + 端午 3 + 国庆中秋 8 = 28 days off; make-up days Jan 26, Feb 8, Apr 27, Sep 28, Oct 11.
    [InlineData(2025, 28, 5)]
    // 2026: 元旦 3 + 春节 9 + 清明 3 + 劳动节 5 + 端午 3 + 中秋 3 + 国庆 7 = 33; make-up Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10.
    [InlineData(2026, 33, 6)]
    public void GetHolidays_Year_MatchesNoticeTotals(int year, int holidays, int makeUpDays)
    {
        Assert.Equal(holidays, PrcHolidayPreset.GetHolidays(year).Count);
        Assert.Equal(makeUpDays, PrcHolidayPreset.GetMakeUpWorkingDays(year).Count);
        Assert.All(PrcHolidayPreset.GetMakeUpWorkingDays(year), d => Assert.True(d.Date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday));
    }

    [Fact]
    public void GetHolidays_SpringFestival2025_HasChineseAndEnglishNames()
    {
        var date = new LocalDate(2025, 1, 29);

        Assert.Equal("春节", PrcHolidayPreset.GetHolidays(2025).Single(h => h.Date == date).Name);
        Assert.Equal("Spring Festival", PrcHolidayPreset.GetHolidays(2025, HolidayNameLanguage.English).Single(h => h.Date == date).Name);
        Assert.Equal("春节调休上班", PrcHolidayPreset.GetMakeUpWorkingDays(2025).Single(d => d.Date == new LocalDate(2025, 1, 26)).Name);
    }

    [Fact]
    public void GetDays_UnverifiedYear_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PrcHolidayPreset.GetDays(2027));
        Assert.Contains("2027", ex.Message, StringComparison.Ordinal);
        Assert.Equal([2025, 2026], PrcHolidayPreset.Years);
    }

    [Fact]
    public void CreateCalendar_BothYears_IsValidShanghaiCalendar()
    {
        var calendar = PrcHolidayPreset.CreateCalendar(WeeklySchedule.MondayToFriday(SlaTestData.Morning), HolidayNameLanguage.English, 2025, 2026);

        Assert.Equal("Asia/Shanghai", calendar.Zone.Id);
        Assert.Equal(61, calendar.Holidays.Count);
        Assert.Equal(11, calendar.MakeUpWorkingDays.Count);
        Assert.True(calendar.IsWorkingDay(new LocalDate(2026, 2, 28)));
        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 2, 20)));
    }
}
