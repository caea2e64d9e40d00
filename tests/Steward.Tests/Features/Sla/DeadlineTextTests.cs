using NodaTime;
using Steward.Features.Sla.Deadlines;
using static Steward.Tests.Features.Sla.SlaTestData;

namespace Steward.Tests.Features.Sla;

/// <summary>Deadlines and time left as the SLA panel and the at-risk list show them (expected values worked out by hand).</summary>
public sealed class DeadlineTextTests
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly Duration SevenHours = Duration.FromHours(7);

    [Theory]
    // 2026-12-01 02:00 UTC is 10:00 in Shanghai (UTC+8); 1 December 2026 is a Tuesday (1 Jan 2026 a Thursday, + 334 days).
    [InlineData("zh-CN", "2026年12月1日（周二）10:00 (UTC+8)")]
    [InlineData("en", "Tue 1 Dec 2026, 10:00 (UTC+8)")]
    public void When_ShanghaiMorning_LocalDateWeekdayTimeAndOffset(string language, string expected)
    {
        Assert.Equal(expected, DeadlineText.When(Instant.FromUtc(2026, 12, 1, 2, 0), Shanghai, language));
    }

    [Fact]
    public void When_LondonInSummerAndIndia_OwnOffsets()
    {
        // 23:00 UTC on Monday 27 April 2026 is midnight starting Tuesday 28 April in London (BST, UTC+1).
        Assert.Equal("Tue 28 Apr 2026, 00:00 (UTC+1)", DeadlineText.When(Instant.FromUtc(2026, 4, 27, 23, 0), DateTimeZoneProviders.Tzdb["Europe/London"], "en"));
        // India is UTC+5:30: 02:00 UTC is 07:30.
        Assert.Equal("2026年12月1日（周二）07:30 (UTC+5:30)", DeadlineText.When(Instant.FromUtc(2026, 12, 1, 2, 0), DateTimeZoneProviders.Tzdb["Asia/Kolkata"], "zh-CN"));
    }

    [Theory]
    // 9 h 15 min of working time with 7-hour days: 1 day and 2 h 15 min; minutes are dropped once a day is shown.
    [InlineData(555, "zh-CN", "1 个工作日 2 小时（工作时间）")]
    [InlineData(555, "en", "1 working day 2 h (working time)")]
    // 21 h 30 min: 3 days (21 h) and 30 min.
    [InlineData(1290, "en", "3 working days (working time)")]
    [InlineData(120, "en", "2 h (working time)")]
    [InlineData(45, "zh-CN", "45 分钟（工作时间）")]
    [InlineData(0, "en", "0 min (working time)")]
    // Overdue by 10 h: one 7-hour day and 3 h.
    [InlineData(-600, "zh-CN", "已超时 1 个工作日 3 小时（工作时间）")]
    [InlineData(-600, "en", "overdue by 1 working day 3 h (working time)")]
    public void Left_BusinessClock_InWorkingDaysAndHours(int minutes, string language, string expected)
    {
        Assert.Equal(expected, DeadlineText.Left(Duration.FromMinutes(minutes), SlaClock.Business, SevenHours, language));
    }

    [Theory]
    // 722 h 8 min = 30 days (720 h) and 2 h 8 min.
    [InlineData(43328, "zh-CN", "30 天 2 小时（自然时间）")]
    [InlineData(43328, "en", "30 days 2 h (calendar time)")]
    [InlineData(1440, "en", "1 day (calendar time)")]
    [InlineData(1260, "zh-CN", "21 小时（自然时间）")]
    [InlineData(-90, "en", "overdue by 1 h 30 min (calendar time)")]
    public void Left_CalendarClock_InDaysOfTwentyFourHours(int minutes, string language, string expected)
    {
        Assert.Equal(expected, DeadlineText.Left(Duration.FromMinutes(minutes), SlaClock.Calendar, SevenHours, language));
    }

    [Fact]
    public void WorkingDay_IsTheUsualDayLengthOfTheCalendar()
    {
        // 09:00–12:00 and 13:30–17:30: 3 h + 4 h; London 09:00–17:00: 8 h.
        Assert.Equal(SevenHours, DeadlineText.WorkingDay(ShanghaiPlain()));
        Assert.Equal(Duration.FromHours(8), DeadlineText.WorkingDay(London()));
    }
}
