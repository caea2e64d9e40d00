using NodaTime;

namespace Steward.Features.Sla.Deadlines;

/// <summary>A public holiday: a date that is not worked whatever the weekly pattern says.</summary>
/// <param name="Date">The local date in the calendar's zone.</param>
/// <param name="Name">Optional Chinese display name, e.g. "春节".</param>
/// <param name="NameEn">Optional English display name, e.g. "Spring Festival". Either may be missing: readers then see the other (<see cref="DayNames"/>).</param>
public sealed record Holiday(LocalDate Date, string? Name = null, string? NameEn = null);

/// <summary>
/// A make-up working day (调休上班): a date that is normally a rest day but is worked. It uses the working
/// periods of <paramref name="WorksLike"/> (Monday's by default).
/// </summary>
public sealed record MakeUpWorkingDay(LocalDate Date, IsoDayOfWeek WorksLike = IsoDayOfWeek.Monday, string? Name = null, string? NameEn = null);

/// <summary>A name kept in both languages (Chinese <c>Name</c>, English <c>NameEn</c>), shown in the reader's language.</summary>
public static class DayNames
{
    /// <summary>The name in <paramref name="language"/> (zh-CN / en); when that one is empty, the other; null when both are.</summary>
    public static string? For(string? name, string? nameEn, string? language)
    {
        var english = language is { Length: > 0 } l && !l.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        var (first, second) = english ? (nameEn, name) : (name, nameEn);
        return !string.IsNullOrWhiteSpace(first) ? first : string.IsNullOrWhiteSpace(second) ? null : second;
    }

    /// <summary>Whether a name is written in Chinese (holds a CJK ideograph): a typed-in or imported name goes to that language's field.</summary>
    public static bool IsChinese(string? name) =>
        name is not null && name.Any(c => c is (>= '\u4e00' and <= '\u9fff') or (>= '\u3400' and <= '\u4dbf') or (>= '\uf900' and <= '\ufaff'));

    /// <summary>One name given in one language: (Name, NameEn) with the other empty.</summary>
    public static (string? Name, string? NameEn) Split(string? name) =>
        string.IsNullOrWhiteSpace(name) ? (null, null) : IsChinese(name) ? (name, null) : (null, name);
}

/// <summary>How a calendar classifies a local date.</summary>
public enum DayKind
{
    /// <summary>A weekday with working periods in the weekly pattern.</summary>
    WorkingDay,

    /// <summary>A weekday without working periods (e.g. a weekend), not a holiday.</summary>
    RestDay,

    /// <summary>A public holiday; wins over the weekly pattern.</summary>
    Holiday,

    /// <summary>A make-up working day; wins over a weekend.</summary>
    MakeUpWorkingDay,
}

/// <summary>Helpers to build the weekly pattern passed to <see cref="BusinessCalendar"/>.</summary>
public static class WeeklySchedule
{
    /// <summary>The same periods every Monday to Friday; Saturday and Sunday are rest days.</summary>
    public static IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> MondayToFriday(params WorkingPeriod[] periods) =>
        Days([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday], periods);

    /// <summary>The same periods on each of <paramref name="days"/>.</summary>
    public static IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> Days(IEnumerable<IsoDayOfWeek> days, params WorkingPeriod[] periods)
    {
        ArgumentNullException.ThrowIfNull(days);
        var copy = periods.ToArray();
        return days.ToDictionary(d => d, IReadOnlyList<WorkingPeriod> (_) => copy);
    }
}
