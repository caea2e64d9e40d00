using System.Globalization;
using NodaTime;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla.Calendars;

/// <summary>Language of holiday names taken from a preset.</summary>
public enum HolidayNameLanguage
{
    Chinese,
    English,

    /// <summary>The Chinese name as <c>Name</c> and the English one as <c>NameEn</c>: what a stored calendar keeps.</summary>
    Both,
}

/// <summary>Whether a preset date is a day off or a make-up working day.</summary>
public enum PresetDayKind
{
    Holiday,
    MakeUpWorkingDay,
}

/// <summary>One date of a holiday preset, with Chinese and English names.</summary>
public sealed record PresetDay(LocalDate Date, PresetDayKind Kind, string ChineseName, string EnglishName);

/// <summary>
/// The PRC public-holiday schedule published every year by the General Office of the State Council
/// (国务院办公厅关于…年部分节假日安排的通知), as data: every day off of each holiday block (放假调休, including the
/// weekend days inside a block) and every make-up working day (调休上班). Make-up days work like a Monday.
/// </summary>
/// <remarks>
/// Verified against the full text of the notices as republished from Xinhua (新华社):
/// <list type="bullet">
/// <item>2025: 国办发明电〔2024〕12号, dated 2024-11-12, https://m.gmw.cn/2024-11/12/content_1303894933.htm</item>
/// <item>2026: notice dated 2025-11-04, https://politics.gmw.cn/2025-11/04/content_38391083.htm (same text in
/// 中山日报 2025-11-05 A01).</item>
/// </list>
/// Other years are not included: add them only from the published notice. Regional holidays (e.g. ethnic
/// autonomous regions) and half-day holidays (妇女节, 青年节…) that apply to some citizens only are not modelled.
/// </remarks>
public static class PrcHolidayPreset
{
    /// <summary>The zone the PRC schedule applies in.</summary>
    public const string TimeZoneId = "Asia/Shanghai";

    private const string NewYearZh = "元旦";
    private const string NewYearEn = "New Year's Day";
    private const string SpringZh = "春节";
    private const string SpringEn = "Spring Festival";
    private const string QingmingZh = "清明节";
    private const string QingmingEn = "Qingming Festival";
    private const string LabourZh = "劳动节";
    private const string LabourEn = "Labour Day";
    private const string DragonBoatZh = "端午节";
    private const string DragonBoatEn = "Dragon Boat Festival";
    private const string MidAutumnZh = "中秋节";
    private const string MidAutumnEn = "Mid-Autumn Festival";
    private const string NationalZh = "国庆节";
    private const string NationalEn = "National Day";
    private const string MakeUpZh = "调休上班";
    private const string MakeUpEn = "make-up working day";

    /// <summary>All preset dates, sorted.</summary>
    public static IReadOnlyList<PresetDay> Days { get; } = BuildDays();

    /// <summary>Years covered by the preset.</summary>
    public static IReadOnlyList<int> Years { get; } = [.. Days.Select(d => d.Date.Year).Distinct().Order()];

    /// <summary>The preset dates of one year.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The year is not in <see cref="Years"/>.</exception>
    public static IReadOnlyList<PresetDay> GetDays(int year)
    {
        if (!Years.Contains(year))
        {
            throw new ArgumentOutOfRangeException(
                nameof(year),
                year,
                string.Create(CultureInfo.InvariantCulture, $"No verified PRC holiday schedule for {year}; available: {string.Join(", ", Years)}."));
        }

        return [.. Days.Where(d => d.Date.Year == year)];
    }

    /// <summary>The days off of one year as calendar holidays.</summary>
    public static IReadOnlyList<Holiday> GetHolidays(int year, HolidayNameLanguage language = HolidayNameLanguage.Both) =>
        [.. GetDays(year).Where(d => d.Kind == PresetDayKind.Holiday).Select(d => new Holiday(d.Date, Name(d, language), NameEn(d, language)))];

    /// <summary>The make-up working days of one year (working like a Monday).</summary>
    public static IReadOnlyList<MakeUpWorkingDay> GetMakeUpWorkingDays(int year, HolidayNameLanguage language = HolidayNameLanguage.Both) =>
        [.. GetDays(year).Where(d => d.Kind == PresetDayKind.MakeUpWorkingDay)
            .Select(d => new MakeUpWorkingDay(d.Date, IsoDayOfWeek.Monday, Name(d, language), NameEn(d, language)))];

    /// <summary>An Asia/Shanghai calendar with <paramref name="weeklyPeriods"/> and the schedule of <paramref name="years"/>.</summary>
    public static BusinessCalendar CreateCalendar(
        IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weeklyPeriods,
        HolidayNameLanguage language,
        params int[] years)
    {
        ArgumentNullException.ThrowIfNull(years);
        return BusinessCalendar.Create(
            TimeZoneId,
            weeklyPeriods,
            years.SelectMany(y => GetHolidays(y, language)),
            years.SelectMany(y => GetMakeUpWorkingDays(y, language)),
            years);
    }

    private static string Name(PresetDay day, HolidayNameLanguage language) => language switch
    {
        HolidayNameLanguage.English => day.EnglishName,
        _ => day.ChineseName,
    };

    private static string? NameEn(PresetDay day, HolidayNameLanguage language) => language == HolidayNameLanguage.Both ? day.EnglishName : null;

    private static List<PresetDay> BuildDays()
    {
        var days = new List<PresetDay>();

        // 2025 — 国办发明电〔2024〕12号 (2024-11-12).
        // 一、元旦：1月1日（周三）放假1天，不调休。
        Off(days, 2025, 1, 1, 1, NewYearZh, NewYearEn);
        // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。
        Off(days, 2025, 1, 28, 8, SpringZh, SpringEn);
        Work(days, 2025, 1, 26, SpringZh, SpringEn);
        Work(days, 2025, 2, 8, SpringZh, SpringEn);
        // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
        Off(days, 2025, 4, 4, 3, QingmingZh, QingmingEn);
        // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
        Off(days, 2025, 5, 1, 5, LabourZh, LabourEn);
        Work(days, 2025, 4, 27, LabourZh, LabourEn);
        // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
        Off(days, 2025, 5, 31, 3, DragonBoatZh, DragonBoatEn);
        // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。
        Off(days, 2025, 10, 1, 8, NationalZh + "、" + MidAutumnZh, NationalEn + " and " + MidAutumnEn);
        Work(days, 2025, 9, 28, NationalZh + "、" + MidAutumnZh, NationalEn + " and " + MidAutumnEn);
        Work(days, 2025, 10, 11, NationalZh + "、" + MidAutumnZh, NationalEn + " and " + MidAutumnEn);

        // 2026 — 国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04).
        // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
        Off(days, 2026, 1, 1, 3, NewYearZh, NewYearEn);
        Work(days, 2026, 1, 4, NewYearZh, NewYearEn);
        // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
        Off(days, 2026, 2, 15, 9, SpringZh, SpringEn);
        Work(days, 2026, 2, 14, SpringZh, SpringEn);
        Work(days, 2026, 2, 28, SpringZh, SpringEn);
        // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
        Off(days, 2026, 4, 4, 3, QingmingZh, QingmingEn);
        // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
        Off(days, 2026, 5, 1, 5, LabourZh, LabourEn);
        Work(days, 2026, 5, 9, LabourZh, LabourEn);
        // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
        Off(days, 2026, 6, 19, 3, DragonBoatZh, DragonBoatEn);
        // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
        Off(days, 2026, 9, 25, 3, MidAutumnZh, MidAutumnEn);
        // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
        Off(days, 2026, 10, 1, 7, NationalZh, NationalEn);
        Work(days, 2026, 9, 20, NationalZh, NationalEn);
        Work(days, 2026, 10, 10, NationalZh, NationalEn);

        days.Sort((a, b) => a.Date.CompareTo(b.Date));
        return days;
    }

    private static void Off(List<PresetDay> days, int year, int month, int day, int count, string zh, string en)
    {
        var first = new LocalDate(year, month, day);
        for (var i = 0; i < count; i++)
        {
            days.Add(new PresetDay(first.PlusDays(i), PresetDayKind.Holiday, zh, en));
        }
    }

    private static void Work(List<PresetDay> days, int year, int month, int day, string zh, string en) =>
        days.Add(new PresetDay(new LocalDate(year, month, day), PresetDayKind.MakeUpWorkingDay, zh + MakeUpZh, en + " " + MakeUpEn));
}
