using System.Collections.Frozen;
using System.Globalization;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace Steward.Features.Sla.Deadlines;

/// <summary>
/// An immutable business calendar: a time zone, a weekly pattern of working periods, public holidays and
/// make-up working days (调休). Precedence for a date: holiday, then make-up working day, then the weekly pattern.
/// </summary>
/// <remarks>
/// <para><b>Holiday years.</b> Holidays are published a year at a time (the PRC State Council each autumn for the next
/// year; GOV.UK some years ahead). <see cref="HolidayYears"/> names the years whose schedule the calendar holds
/// completely; any other year is counted as plain weekly pattern, which may be wrong, and the
/// <see cref="DeadlineCalculator"/> says so in its explanation. Null means the calendar does not track this (a
/// calendar built in code or sent inline to the calculator): every year then counts as known.</para>
/// </remarks>
/// <remarks>
/// <para><b>DST.</b> Local period boundaries are turned into instants with one monotonic mapping, used for starts
/// and ends alike (NodaTime <c>Resolvers.CreateMappingResolver(ReturnEarlier, ReturnStartOfIntervalAfter)</c>):</para>
/// <list type="bullet">
/// <item>a wall-clock time that occurs twice (clocks go back) resolves to its <i>first</i> occurrence;</item>
/// <item>a wall-clock time that does not exist (clocks go forward) resolves to the instant the clocks jump,
/// i.e. the first valid instant after the gap;</item>
/// <item>24:00 is the start of the next local day (<see cref="DateTimeZone.AtStartOfDay"/>), consistent with the above.</item>
/// </list>
/// <para>Because the mapping never goes backwards, resolved periods never overlap or invert; a period touching a
/// transition is as long as the real time between its resolved ends. Example, Europe/London, 2026-03-29 (01:00 GMT →
/// 02:00 BST): 00:00–03:00 lasts 2 real hours and 01:15–01:45 lies wholly in the gap and is dropped. On 2026-10-25
/// (02:00 BST → 01:00 GMT) 00:00–03:00 lasts 4 real hours. Nothing is ever rejected for falling in a gap or overlap.</para>
/// </remarks>
public sealed class BusinessCalendar
{
    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;

    private readonly IReadOnlyList<WorkingPeriod>[] weekly = new IReadOnlyList<WorkingPeriod>[8];
    private readonly FrozenDictionary<LocalDate, Holiday> holidays;
    private readonly FrozenDictionary<LocalDate, MakeUpWorkingDay> makeUpWorkingDays;

    /// <summary>Creates and validates a calendar.</summary>
    /// <param name="zone">The zone in which local dates and periods are interpreted.</param>
    /// <param name="weeklyPeriods">Working periods per weekday, sorted by start, non-overlapping (touching is fine).
    /// Missing weekdays are rest days. At least one weekday must have a period.</param>
    /// <param name="holidays">Public holidays, one per date.</param>
    /// <param name="makeUpWorkingDays">Make-up working days, one per date, never also a holiday; the weekday they work
    /// like must have working periods.</param>
    /// <param name="holidayYears">The years whose holidays are loaded completely, or null when not tracked.</param>
    /// <exception cref="ArgumentException">The configuration is invalid; the message says why.</exception>
    public BusinessCalendar(
        DateTimeZone zone,
        IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weeklyPeriods,
        IEnumerable<Holiday>? holidays = null,
        IEnumerable<MakeUpWorkingDay>? makeUpWorkingDays = null,
        IEnumerable<int>? holidayYears = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(weeklyPeriods);
        Zone = zone;

        for (var i = 0; i < weekly.Length; i++)
        {
            weekly[i] = [];
        }

        foreach (var (day, periods) in weeklyPeriods)
        {
            if (day is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
            {
                throw new ArgumentException($"Invalid weekday '{day}' in the weekly pattern.", nameof(weeklyPeriods));
            }

            weekly[(int)day] = ValidatePeriods(day, periods ?? throw new ArgumentException($"Working periods for {day} are null.", nameof(weeklyPeriods)));
        }

        if (weekly.All(p => p.Count == 0))
        {
            throw new ArgumentException("The weekly pattern has no working period at all.", nameof(weeklyPeriods));
        }

        var holidayMap = new Dictionary<LocalDate, Holiday>();
        foreach (var holiday in holidays ?? [])
        {
            ArgumentNullException.ThrowIfNull(holiday, nameof(holidays));
            if (!holidayMap.TryAdd(holiday.Date, holiday))
            {
                throw new ArgumentException($"Holiday {Iso(holiday.Date)} is defined twice.", nameof(holidays));
            }
        }

        var makeUpMap = new Dictionary<LocalDate, MakeUpWorkingDay>();
        foreach (var day in makeUpWorkingDays ?? [])
        {
            ArgumentNullException.ThrowIfNull(day, nameof(makeUpWorkingDays));
            if (day.WorksLike is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
            {
                throw new ArgumentException($"Make-up working day {Iso(day.Date)} works like an invalid weekday '{day.WorksLike}'.", nameof(makeUpWorkingDays));
            }

            if (weekly[(int)day.WorksLike].Count == 0)
            {
                throw new ArgumentException(
                    $"Make-up working day {Iso(day.Date)} works like {day.WorksLike}, which has no working periods.", nameof(makeUpWorkingDays));
            }

            if (holidayMap.ContainsKey(day.Date))
            {
                throw new ArgumentException($"{Iso(day.Date)} is both a holiday and a make-up working day.", nameof(makeUpWorkingDays));
            }

            if (!makeUpMap.TryAdd(day.Date, day))
            {
                throw new ArgumentException($"Make-up working day {Iso(day.Date)} is defined twice.", nameof(makeUpWorkingDays));
            }
        }

        this.holidays = holidayMap.ToFrozenDictionary();
        this.makeUpWorkingDays = makeUpMap.ToFrozenDictionary();
        Holidays = [.. holidayMap.Values.OrderBy(h => h.Date)];
        MakeUpWorkingDays = [.. makeUpMap.Values.OrderBy(d => d.Date)];
        WeeklyPeriods = Enumerable.Range(1, 7).ToFrozenDictionary(i => (IsoDayOfWeek)i, i => weekly[i]);
        HolidayYears = holidayYears?.ToFrozenSet();
    }

    /// <summary>The calendar's time zone.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The weekly pattern, one entry per weekday (empty list = rest day).</summary>
    public IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> WeeklyPeriods { get; }

    /// <summary>Holidays sorted by date.</summary>
    public IReadOnlyList<Holiday> Holidays { get; }

    /// <summary>Make-up working days sorted by date.</summary>
    public IReadOnlyList<MakeUpWorkingDay> MakeUpWorkingDays { get; }

    /// <summary>The years whose holidays are loaded completely; null when the calendar does not track them.</summary>
    public IReadOnlySet<int>? HolidayYears { get; }

    /// <summary>False when the calendar tracks its holiday years and <paramref name="year"/> is not one of them.</summary>
    public bool HasHolidaysFor(int year) => HolidayYears is null || HolidayYears.Contains(year);

    /// <summary>Creates a calendar in an IANA zone from <see cref="DateTimeZoneProviders.Tzdb"/>.</summary>
    /// <exception cref="ArgumentException">Unknown zone id or invalid configuration.</exception>
    public static BusinessCalendar Create(
        string timeZoneId,
        IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<WorkingPeriod>> weeklyPeriods,
        IEnumerable<Holiday>? holidays = null,
        IEnumerable<MakeUpWorkingDay>? makeUpWorkingDays = null,
        IEnumerable<int>? holidayYears = null)
    {
        ArgumentNullException.ThrowIfNull(timeZoneId);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId)
            ?? throw new ArgumentException($"Unknown IANA time zone '{timeZoneId}'.", nameof(timeZoneId));
        return new BusinessCalendar(zone, weeklyPeriods, holidays, makeUpWorkingDays, holidayYears);
    }

    /// <summary>A copy with more holidays (the same validation applies).</summary>
    public BusinessCalendar WithHolidays(IEnumerable<Holiday> additional) =>
        new(Zone, WeeklyPeriods, Holidays.Concat(additional), MakeUpWorkingDays, HolidayYears);

    /// <summary>A copy with more make-up working days (the same validation applies).</summary>
    public BusinessCalendar WithMakeUpWorkingDays(IEnumerable<MakeUpWorkingDay> additional) =>
        new(Zone, WeeklyPeriods, Holidays, MakeUpWorkingDays.Concat(additional), HolidayYears);

    /// <summary>A copy that tracks its holiday years: exactly <paramref name="years"/> are loaded (null: not tracked).</summary>
    public BusinessCalendar WithHolidayYears(IEnumerable<int>? years) =>
        new(Zone, WeeklyPeriods, Holidays, MakeUpWorkingDays, years);

    /// <summary>The holiday on <paramref name="date"/>, or null.</summary>
    public Holiday? FindHoliday(LocalDate date) => holidays.GetValueOrDefault(date);

    /// <summary>The make-up working day on <paramref name="date"/>, or null.</summary>
    public MakeUpWorkingDay? FindMakeUpWorkingDay(LocalDate date) => makeUpWorkingDays.GetValueOrDefault(date);

    /// <summary>Classifies a date: holiday first, then make-up working day, then the weekly pattern.</summary>
    public DayKind GetDayKind(LocalDate date)
    {
        if (holidays.ContainsKey(date))
        {
            return DayKind.Holiday;
        }

        if (makeUpWorkingDays.ContainsKey(date))
        {
            return DayKind.MakeUpWorkingDay;
        }

        return weekly[(int)date.DayOfWeek].Count > 0 ? DayKind.WorkingDay : DayKind.RestDay;
    }

    /// <summary>True when the date has working periods (a working weekday or a make-up day, and not a holiday).</summary>
    public bool IsWorkingDay(LocalDate date) => GetLocalWorkingPeriods(date).Count > 0;

    /// <summary>The local (wall-clock) working periods of a date; empty on holidays and rest days.</summary>
    public IReadOnlyList<WorkingPeriod> GetLocalWorkingPeriods(LocalDate date)
    {
        if (holidays.ContainsKey(date))
        {
            return [];
        }

        return makeUpWorkingDays.TryGetValue(date, out var makeUp)
            ? weekly[(int)makeUp.WorksLike]
            : weekly[(int)date.DayOfWeek];
    }

    /// <summary>
    /// The working periods of a date as instants, in order, non-overlapping. DST-resolved as described on the
    /// class; a period that collapses to nothing (wholly inside a DST gap) is omitted.
    /// </summary>
    public IReadOnlyList<Interval> GetWorkingPeriods(LocalDate date)
    {
        var local = GetLocalWorkingPeriods(date);
        if (local.Count == 0)
        {
            return [];
        }

        var result = new List<Interval>(local.Count);
        foreach (var period in local)
        {
            var start = Zone.ResolveLocal(date + period.Start, Resolver).ToInstant();
            var end = period.EndsAtEndOfDay
                ? Zone.AtStartOfDay(date.PlusDays(1)).ToInstant()
                : Zone.ResolveLocal(date + period.End, Resolver).ToInstant();
            if (end > start)
            {
                result.Add(new Interval(start, end));
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="instant"/> lies inside a working period [start, end).</summary>
    public bool IsWithinWorkingPeriod(Instant instant) =>
        GetWorkingPeriods(instant.InZone(Zone).Date).Any(p => p.Contains(instant));

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> that lies in a working period.
    /// </summary>
    /// <exception cref="InvalidOperationException">No working period within <see cref="SearchHorizonYears"/> years.</exception>
    public Instant NextWorkingInstant(Instant instant)
    {
        var date = instant.InZone(Zone).Date;
        var limit = date.PlusYears(SearchHorizonYears);
        for (; date <= limit; date = date.PlusDays(1))
        {
            foreach (var period in GetWorkingPeriods(date))
            {
                if (period.End > instant)
                {
                    return period.Start > instant ? period.Start : instant;
                }
            }
        }

        throw NoWorkingPeriod(instant.InZone(Zone).Date);
    }

    /// <summary>Searches give up when no working period is found within this many years.</summary>
    public const int SearchHorizonYears = 3;

    internal InvalidOperationException NoWorkingPeriod(LocalDate from) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"The business calendar ({Zone.Id}) has no working period between {Iso(from)} and {Iso(from.PlusYears(SearchHorizonYears))}; cannot compute a deadline."));

    private static string Iso(LocalDate date) => IsoDate.Format(date);

    private static WorkingPeriod[] ValidatePeriods(IsoDayOfWeek day, IReadOnlyList<WorkingPeriod> periods)
    {
        for (var i = 0; i < periods.Count; i++)
        {
            if (periods[i] is null)
            {
                throw new ArgumentException($"Working periods for {day} contain null.", nameof(periods));
            }

            if (i == 0)
            {
                continue;
            }

            var previous = periods[i - 1];
            var current = periods[i];
            if (current.Start < previous.Start)
            {
                throw new ArgumentException($"Working periods for {day} must be sorted by start: {previous} comes before {current}.", nameof(periods));
            }

            if (current.Start.NanosecondOfDay < previous.EndNanosecondOfDay)
            {
                throw new ArgumentException($"Working periods for {day} overlap: {previous} and {current}.", nameof(periods));
            }
        }

        return [.. periods];
    }
}
