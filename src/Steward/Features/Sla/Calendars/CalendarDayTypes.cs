using NodaTime;

namespace Steward.Features.Sla.Calendars;

/// <summary>A public holiday: a date that is not worked whatever the weekly pattern says.</summary>
/// <param name="Date">The local date in the calendar's zone.</param>
/// <param name="Name">Optional display name, e.g. "春节" or "Spring Festival".</param>
public sealed record Holiday(LocalDate Date, string? Name = null);

/// <summary>
/// A make-up working day (调休上班): a date that is normally a rest day but is worked. It uses the working
/// periods of <paramref name="WorksLike"/> (Monday's by default).
/// </summary>
public sealed record MakeUpWorkingDay(LocalDate Date, IsoDayOfWeek WorksLike = IsoDayOfWeek.Monday, string? Name = null);

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
