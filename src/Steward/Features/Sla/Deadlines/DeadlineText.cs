using System.Globalization;
using NodaTime;
using Steward.Platform.Localization;

namespace Steward.Features.Sla.Deadlines;

/// <summary>
/// Deadlines and time left as people read them, in Chinese or English: the local date and time with its weekday and
/// UTC offset, and time left in working days and hours on a business clock (said to be working time) or in days and
/// hours on a calendar clock (said to be calendar time). The case's SLA panel and the at-risk list use the same
/// figure for a clock.
/// </summary>
public static class DeadlineText
{
    /// <summary>
    /// "2026年12月1日（周二）10:00 (UTC+8)" or "Tue 1 Dec 2026, 10:00 (UTC+8)": the instant in <paramref name="zone"/>.
    /// </summary>
    public static string When(Instant at, DateTimeZone zone, string language)
    {
        var local = at.InZone(zone);
        var offset = local.Offset;
        var sign = offset < Offset.Zero ? "-" : "+";
        var abs = Math.Abs(offset.Seconds);
        var utc = "UTC" + sign + (abs / 3600).ToString(CultureInfo.InvariantCulture)
            + (abs % 3600 == 0 ? "" : ":" + (abs % 3600 / 60).ToString("00", CultureInfo.InvariantCulture));
        var time = local.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);
        var d = local.Date;
        var lang = ExplanationText.Language(language);
        var day = ExplanationText.Text(lang, "sla.when.weekday." + d.DayOfWeek);
        return lang == Cultures.Chinese
            ? string.Create(CultureInfo.InvariantCulture, $"{d.Year}年{d.Month}月{d.Day}日（{day}）{time} ({utc})")
            : string.Create(CultureInfo.InvariantCulture, $"{day} {d.Day} {MonthsEn[d.Month - 1]} {d.Year}, {time} ({utc})");
    }

    /// <summary>
    /// Time left (or, negative, overdue) on a clock. On a business clock a working day is <paramref name="workingDay"/>
    /// long ("1 个工作日 2 小时（工作时间）", "1 working day 2 h (working time)"); on a calendar clock a day is 24 hours
    /// ("3 天 4 小时（自然时间）", "3 days 4 h (calendar time)"). Minutes are shown only under a day.
    /// </summary>
    public static string Left(Duration left, SlaClock clock, Duration workingDay, string language)
    {
        var lang = ExplanationText.Language(language);
        string T(string key) => ExplanationText.Text(lang, key);
        var overdue = left < Duration.Zero;
        var minutes = (long)Math.Round(Math.Abs(left.TotalMinutes), MidpointRounding.AwayFromZero);
        var business = clock == SlaClock.Business;
        var dayMinutes = business && workingDay > Duration.Zero ? (long)workingDay.TotalMinutes : 24 * 60;
        var days = minutes / dayMinutes;
        var hours = minutes % dayMinutes / 60;
        var rest = minutes % 60;
        var parts = new List<string>();
        if (days > 0)
        {
            parts.Add(Count(lang, business ? "workingDay" : "day", days));
        }

        if (hours > 0)
        {
            parts.Add(Count(lang, "hour", hours));
        }

        if (days == 0 && (rest > 0 || hours == 0))
        {
            parts.Add(Count(lang, "minute", rest));
        }

        var amount = string.Join(" ", parts);
        var text = string.Format(CultureInfo.InvariantCulture, T(overdue ? "sla.left.overdue" : "sla.left.left"), amount);
        return text + T(business ? "sla.left.business" : "sla.left.calendar");
    }

    /// <summary>The length of a usual working day of the calendar: the day length most weekdays have (the longer on a tie).</summary>
    public static Duration WorkingDay(BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return calendar.WeeklyPeriods.Values
            .Select(periods => periods.Aggregate(Duration.Zero, (sum, p) => sum + p.NominalLength))
            .Where(length => length > Duration.Zero)
            .GroupBy(length => length)
            .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key)
            .Select(g => g.Key)
            .FirstOrDefault();
    }

    private static readonly string[] MonthsEn = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static string Count(string lang, string unit, long n) =>
        string.Format(CultureInfo.InvariantCulture, ExplanationText.Text(lang, "sla.left." + unit + (n == 1 ? "" : "s")), n);
}
