using System.Collections.Concurrent;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;

namespace Steward.Features.Sla.Calendars;

/// <summary><see cref="Name"/> is the Chinese name, <see cref="NameEn"/> the English one; both required.</summary>
public sealed record CalendarSaveInput(
    string? Name,
    string? NameEn,
    string? TimeZone,
    IDictionary<string, string[]?>? WeeklyPeriods,
    bool IsDefault = false,
    IReadOnlyList<HolidayInput>? Holidays = null,
    IReadOnlyList<MakeUpDayInput>? MakeUpWorkingDays = null,
    IReadOnlyList<int>? HolidayYears = null);

/// <summary>A holiday or make-up day: <see cref="Name"/> Chinese, <see cref="NameEn"/> English; either may be null.</summary>
public sealed record CalendarDayDto(string Date, string? Name, string? WorksLike = null, string? NameEn = null)
{
    /// <summary>The name in <paramref name="language"/>, or the other one.</summary>
    public string? NameFor(string? language) => DayNames.For(Name, NameEn, language);
}

/// <summary>A calendar in lists. <see cref="HolidayYears"/>: the years whose holidays it holds completely.</summary>
public sealed record CalendarSummaryDto(
    long Id, string Name, string NameEn, string TimeZone, bool IsDefault, IReadOnlyDictionary<string, string[]> WeeklyPeriods, int HolidayCount, int MakeUpWorkingDayCount,
    IReadOnlyList<int> HolidayYears, int Version)
{
    public string NameFor(string? language) => DayNames.For(Name, NameEn, language) ?? "";
}

public sealed record CalendarDto(
    long Id,
    string Name,
    string NameEn,
    string TimeZone,
    bool IsDefault,
    IReadOnlyDictionary<string, string[]> WeeklyPeriods,
    IReadOnlyList<CalendarDayDto> Holidays,
    IReadOnlyList<CalendarDayDto> MakeUpWorkingDays,
    IReadOnlyList<int> HolidayYears,
    IReadOnlyList<string> Branches,
    int Version)
{
    public string NameFor(string? language) => DayNames.For(Name, NameEn, language) ?? "";
}

public sealed record BranchCalendarDto(long BranchId, string BranchCode, string BranchName, string BranchNameEn, long? CalendarId, long? EffectiveCalendarId, string? EffectiveCalendarName, string? EffectiveCalendarNameEn, int? Version)
{
    public string? EffectiveCalendarNameFor(string? language) => DayNames.For(EffectiveCalendarName, EffectiveCalendarNameEn, language);
}

/// <summary>A stored calendar turned into the engine's <see cref="BusinessCalendar"/>, with the version it was built from.</summary>
public sealed record CalendarSnapshot(long Id, int Version, string Name, string NameEn, BusinessCalendar Calendar)
{
    /// <summary>The calendar's name in <paramref name="language"/> (zh-CN / en).</summary>
    public string NameFor(string? language) => DayNames.For(Name, NameEn, language) ?? "";
}

/// <summary>Built calendars per (id, version); a new version replaces the old entry. Safe across nodes: the version is read from the database.</summary>
public sealed class BusinessCalendarCache
{
    private readonly ConcurrentDictionary<long, CalendarSnapshot> entries = new();

    public CalendarSnapshot? Find(long id, int version) =>
        entries.TryGetValue(id, out var s) && s.Version == version ? s : null;

    public void Store(CalendarSnapshot snapshot) =>
        entries.AddOrUpdate(snapshot.Id, snapshot, (_, old) => old.Version > snapshot.Version ? old : snapshot);
}
