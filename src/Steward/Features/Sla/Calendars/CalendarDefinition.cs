using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla.Calendars;

/// <summary>A holiday in API form: ISO date <c>2026-10-01</c> and optional names, Chinese and English (readers see the one of their language, or the other).</summary>
public sealed record HolidayInput(string? Date, string? Name = null, string? NameEn = null);

/// <summary>A make-up working day in API form; <see cref="WorksLike"/> is a weekday name (default Monday).</summary>
public sealed record MakeUpDayInput(string? Date, string? WorksLike = null, string? Name = null, string? NameEn = null);

/// <summary>
/// A calendar definition as the API and pages send it. <see cref="WeeklyPeriods"/> maps weekday names
/// (<c>Monday</c>…<c>Sunday</c>, or <c>MO</c>…<c>SU</c>) to periods <c>"09:00-12:00"</c>; missing days are rest days.
/// </summary>
public sealed record CalendarDefinitionInput(
    string? TimeZone,
    IDictionary<string, string[]?>? WeeklyPeriods,
    IReadOnlyList<HolidayInput>? Holidays = null,
    IReadOnlyList<MakeUpDayInput>? MakeUpWorkingDays = null);

/// <summary>Validation of calendar definitions into <see cref="BusinessCalendar"/>s, and the stored weekly-hours text.</summary>
public static class CalendarDefinitions
{
    private static readonly string[] DayCodes = ["", "MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    /// <summary>Parses a weekday name (<c>Monday</c>, <c>mon</c>, <c>MO</c>), or null.</summary>
    public static IsoDayOfWeek? ParseDay(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var t = text.Trim();
        for (var i = 1; i <= 7; i++)
        {
            var day = (IsoDayOfWeek)i;
            var name = day.ToString();
            if (string.Equals(t, name, StringComparison.OrdinalIgnoreCase) || string.Equals(t, name[..3], StringComparison.OrdinalIgnoreCase)
                || string.Equals(t, DayCodes[i], StringComparison.OrdinalIgnoreCase))
            {
                return day;
            }
        }

        return null;
    }

    /// <summary>Parses an ISO date <c>yyyy-MM-dd</c>, or null.</summary>
    public static LocalDate? ParseDate(string? text)
    {
        var result = LocalDatePattern.Iso.Parse(text?.Trim() ?? "");
        return result.Success ? result.Value : null;
    }

    /// <summary>
    /// Validates the weekly pattern: known weekdays, periods that parse, do not overlap (they are sorted by start),
    /// at least one working period in the week. Errors go to <paramref name="errors"/> under <paramref name="field"/>.
    /// </summary>
    public static Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>? ValidateWeekly(
        IDictionary<string, string[]?>? weekly, string field, Dictionary<string, string[]> errors)
    {
        if (weekly is null || weekly.Count == 0)
        {
            errors[field] = ["Give the working periods of at least one weekday, e.g. {\"Monday\": [\"09:00-17:00\"]}. 至少填写一天的工作时段。"];
            return null;
        }

        var result = new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>();
        var ok = true;
        foreach (var (key, texts) in weekly)
        {
            var dayField = $"{field}.{key}";
            if (ParseDay(key) is not { } day)
            {
                errors[dayField] = [$"'{key}' is not a weekday (Monday…Sunday). 不是有效的星期。"];
                ok = false;
                continue;
            }

            if (result.ContainsKey(day))
            {
                errors[dayField] = [$"{day} is given twice. 重复的星期。"];
                ok = false;
                continue;
            }

            var periods = new List<WorkingPeriod>();
            var messages = new List<string>();
            foreach (var text in texts ?? [])
            {
                try
                {
                    periods.Add(WorkingPeriod.Parse(text ?? ""));
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    messages.Add($"'{text}' is not a period like 09:00-12:00 (start before end). 时段格式应为 09:00-12:00，且开始早于结束。");
                }
            }

            periods.Sort((a, b) => a.Start.CompareTo(b.Start));
            for (var i = 1; i < periods.Count; i++)
            {
                var previous = periods[i - 1];
                var end = previous.EndsAtEndOfDay ? LocalTime.MaxValue : previous.End;
                if (periods[i].Start < end)
                {
                    messages.Add($"{previous} and {periods[i]} overlap. 时段 {previous} 与 {periods[i]} 重叠。");
                }
            }

            if (messages.Count > 0)
            {
                errors[dayField] = [.. messages];
                ok = false;
                continue;
            }

            result[day] = periods;
        }

        if (ok && result.Values.All(p => p.Count == 0))
        {
            errors[field] = ["The week has no working period at all. 一周中没有任何工作时段。"];
            return null;
        }

        return ok ? result : null;
    }

    /// <summary>Validates a whole definition; null (with errors keyed under <paramref name="prefix"/>) when invalid.</summary>
    public static BusinessCalendar? TryBuild(CalendarDefinitionInput? input, string prefix, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            errors[prefix] = ["A calendar is required. 必须提供日历。"];
            return null;
        }

        var zone = ValidateZone(input.TimeZone, $"{prefix}.timeZone", errors);
        var weekly = ValidateWeekly(input.WeeklyPeriods, $"{prefix}.weeklyPeriods", errors);
        var holidays = ValidateHolidays(input.Holidays, $"{prefix}.holidays", errors);
        var makeUps = ValidateMakeUps(input.MakeUpWorkingDays, $"{prefix}.makeUpWorkingDays", errors);
        if (zone is null || weekly is null || holidays is null || makeUps is null)
        {
            return null;
        }

        return TryCreate(zone, weekly, holidays, makeUps, prefix, errors);
    }

    /// <summary>Creates the calendar, turning the engine's remaining checks (make-up day vs holiday…) into an error.</summary>
    public static BusinessCalendar? TryCreate(
        DateTimeZone zone,
        IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weekly,
        IEnumerable<Holiday> holidays,
        IEnumerable<MakeUpWorkingDay> makeUps,
        string field,
        Dictionary<string, string[]> errors)
    {
        try
        {
            return new BusinessCalendar(zone, weekly, holidays, makeUps);
        }
        catch (ArgumentException e)
        {
            errors[field] = [FirstSentence(e.Message) + " 日历配置无效。"];
            return null;
        }
    }

    public static DateTimeZone? ValidateZone(string? zoneId, string field, Dictionary<string, string[]> errors)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId?.Trim() ?? "") is { } zone)
        {
            return zone;
        }

        errors[field] = [$"'{zoneId}' is not an IANA time zone (e.g. Asia/Shanghai). “{zoneId}”不是有效的 IANA 时区（例如 Asia/Shanghai）。"];
        return null;
    }

    public static List<Holiday>? ValidateHolidays(IReadOnlyList<HolidayInput>? input, string field, Dictionary<string, string[]> errors)
    {
        var result = new List<Holiday>();
        var ok = true;
        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var item = input![i];
            if (ParseDate(item?.Date) is not { } date)
            {
                errors[string.Create(CultureInfo.InvariantCulture, $"{field}[{i}].date")] = [$"'{item?.Date}' is not a date like 2026-10-01. 日期格式应为 2026-10-01。"];
                ok = false;
                continue;
            }

            if (result.Any(h => h.Date == date))
            {
                errors[string.Create(CultureInfo.InvariantCulture, $"{field}[{i}].date")] = [$"{item!.Date} is listed twice. 日期重复。"];
                ok = false;
                continue;
            }

            result.Add(new Holiday(date, Trim(item!.Name, 200), Trim(item.NameEn, 200)));
        }

        return ok ? result : null;
    }

    public static List<MakeUpWorkingDay>? ValidateMakeUps(IReadOnlyList<MakeUpDayInput>? input, string field, Dictionary<string, string[]> errors)
    {
        var result = new List<MakeUpWorkingDay>();
        var ok = true;
        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var item = input![i];
            var itemField = string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
            if (ParseDate(item?.Date) is not { } date)
            {
                errors[itemField + ".date"] = [$"'{item?.Date}' is not a date like 2026-10-10. 日期格式应为 2026-10-10。"];
                ok = false;
                continue;
            }

            var worksLike = IsoDayOfWeek.Monday;
            if (!string.IsNullOrWhiteSpace(item!.WorksLike))
            {
                if (ParseDay(item.WorksLike) is not { } parsed)
                {
                    errors[itemField + ".worksLike"] = [$"'{item.WorksLike}' is not a weekday. 不是有效的星期。"];
                    ok = false;
                    continue;
                }

                worksLike = parsed;
            }

            if (result.Any(d => d.Date == date))
            {
                errors[itemField + ".date"] = [$"{item.Date} is listed twice. 日期重复。"];
                ok = false;
                continue;
            }

            result.Add(new MakeUpWorkingDay(date, worksLike, Trim(item.Name, 200), Trim(item.NameEn, 200)));
        }

        return ok ? result : null;
    }

    /// <summary>Earliest and latest year a calendar can hold holidays for.</summary>
    public const int FirstYear = 1900;

    public const int LastYear = 2200;

    /// <summary>Holiday years: each within <see cref="FirstYear"/>–<see cref="LastYear"/>; duplicates are dropped.</summary>
    public static List<int>? ValidateYears(IReadOnlyList<int> years, string field, Dictionary<string, string[]> errors)
    {
        var bad = years.Where(y => y is < FirstYear or > LastYear).ToList();
        if (bad.Count > 0)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", bad)}: a year must be between {FirstYear} and {LastYear}. 年份须在 {FirstYear} 到 {LastYear} 之间。")];
            return null;
        }

        return [.. years.Distinct().Order()];
    }

    /// <summary>The stored text form: <c>MO=09:00-12:00,13:30-17:30;TU=…</c>, weekdays in order, rest days omitted.</summary>
    public static string FormatWeekly(IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weekly) =>
        string.Join(';', weekly.Where(kv => kv.Value.Count > 0).OrderBy(kv => kv.Key)
            .Select(kv => DayCodes[(int)kv.Key] + "=" + string.Join(',', kv.Value.Select(p => p.ToString()))));

    /// <summary>Reads the stored text form (written by <see cref="FormatWeekly"/>).</summary>
    public static Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> ParseWeekly(string text)
    {
        var result = new Dictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>>();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var day = ParseDay(part[..eq]) ?? throw new FormatException($"Bad weekday in stored weekly hours '{part}'.");
            result[day] = [.. part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries).Select(WorkingPeriod.Parse)];
        }

        return result;
    }

    /// <summary>The API form of a weekly pattern: weekday name → periods, every weekday present (empty = rest day).</summary>
    public static Dictionary<string, string[]> ToApi(IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weekly) =>
        Enumerable.Range(1, 7).Select(i => (IsoDayOfWeek)i)
            .ToDictionary(d => d.ToString(), d => weekly.TryGetValue(d, out var p) ? p.Select(x => x.ToString()).ToArray() : []);

    private static string? Trim(string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var t = value.Trim();
        return t.Length > max ? t[..max] : t;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" (Parameter", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
