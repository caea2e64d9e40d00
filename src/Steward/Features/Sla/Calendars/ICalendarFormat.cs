using System.Globalization;
using Ical.Net;
using ICalendar = Ical.Net.Calendar;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using NodaTime;
using NodaTime.Text;
using Period = NodaTime.Period;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Localization;

namespace Steward.Features.Sla.Calendars;

/// <summary>Holidays and make-up working days read from or written to iCalendar.</summary>
public sealed record CalendarDayData(IReadOnlyList<Holiday> Holidays, IReadOnlyList<MakeUpWorkingDay> MakeUpWorkingDays);

/// <summary>
/// Malformed iCalendar input; <see cref="LineNumber"/> is the 1-based physical line where the problem starts,
/// <see cref="Code"/> names the problem (<c>sla.ical.{Code}</c> in the string tables). The exception's message is
/// the English text; <see cref="Describe"/> gives it in either language.
/// </summary>
public sealed class ICalendarFormatException(int lineNumber, string code, params object[] arguments)
    : FormatException(Describe(Cultures.English, lineNumber, code, arguments))
{
    public int LineNumber { get; } = lineNumber;

    public string Code { get; } = code;

    /// <summary>The problem and its line in <paramref name="language"/> (zh-CN or en).</summary>
    public string Describe(string language) => Describe(language, LineNumber, Code, arguments);

    private static string Describe(string language, int line, string code, object[] arguments) =>
        string.Format(
            CultureInfo.InvariantCulture,
            ExplanationText.Text(language, "sla.ical.line"),
            line,
            string.Format(CultureInfo.InvariantCulture, ExplanationText.Text(language, "sla.ical." + code), arguments));
}

/// <summary>
/// Imports and exports holidays and make-up working days as iCalendar (RFC 5545) all-day events. Ical.Net reads and
/// writes the format (unfolding and folding at 75 octets, escaping, parameters, dates, durations); this class holds
/// Steward's rules on top.
/// </summary>
/// <remarks>
/// <para>Each event is <c>DTSTART;VALUE=DATE</c> with an optional exclusive <c>DTEND;VALUE=DATE</c> (or a
/// <c>DURATION</c> of whole days/weeks); a multi-day event expands to one date per day. <c>SUMMARY</c> is the name in the calendar's language: a name in Chinese script is the Chinese name, any other the
/// English name, and the other stays empty (readers then see the one given). Steward's own files carry the English
/// name as well in <c>X-STEWARD-NAME-EN</c> when both are known; SUMMARY is then the Chinese name.
/// A make-up working day is marked <c>X-STEWARD-KIND:WORKDAY</c> (or, from other producers,
/// <c>CATEGORIES</c> containing <c>WORKDAY</c>); <c>X-STEWARD-WORKS-LIKE:MO…SU</c> gives the weekday whose periods it
/// uses (default Monday). Everything else is a holiday.</para>
/// <para>Export merges consecutive dates with the same name into one event (Ical.Net writes properties in
/// alphabetical order). Import skips components it does not use (VTIMEZONE, VALARM…) and rejects what Steward cannot
/// take — bad structure, a missing or non-date DTSTART, DTEND not after DTSTART, recurrence rules, invalid escapes, a
/// date defined twice — with an <see cref="ICalendarFormatException"/> naming the line (<see cref="ICalendarLines"/>
/// keeps the line numbers, which Ical.Net does not report).</para>
/// </remarks>
public static class ICalendarFormat
{
    public const string KindProperty = "X-STEWARD-KIND";
    public const string WorksLikeProperty = "X-STEWARD-WORKS-LIKE";
    public const string NameEnProperty = "X-STEWARD-NAME-EN";
    public const string HolidayKind = "HOLIDAY";
    public const string WorkdayKind = "WORKDAY";

    /// <summary>Longest event expanded on import, to reject absurd input early.</summary>
    public const int MaxEventDays = 366;

    private const string ProductId = "-//Steward//SLA business calendar//EN";

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    private static readonly string[] DayCodes = ["", "MO", "TU", "WE", "TH", "FR", "SA", "SU"];

    /// <summary>Exports a calendar's holidays and make-up working days.</summary>
    /// <param name="timestamp">DTSTAMP of every event (required by RFC 5545; pass the current instant).</param>
    public static string Export(BusinessCalendar calendar, Instant timestamp, string? calendarName = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return Export(calendar.Holidays, calendar.MakeUpWorkingDays, timestamp, calendarName);
    }

    /// <summary>Exports holidays and make-up working days as a VCALENDAR text with CRLF line ends.</summary>
    /// <param name="timestamp">DTSTAMP of every event (required by RFC 5545; pass the current instant).</param>
    public static string Export(IEnumerable<Holiday> holidays, IEnumerable<MakeUpWorkingDay> makeUpWorkingDays, Instant timestamp, string? calendarName = null)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(makeUpWorkingDays);
        var calendar = new ICalendar { ProductId = ProductId, Version = "2.0", Scale = "GREGORIAN" };
        if (!string.IsNullOrEmpty(calendarName))
        {
            calendar.AddProperty("X-WR-CALNAME", calendarName);
        }

        var stamp = new CalDateTime(timestamp.ToDateTimeUtc(), CalDateTime.UtcTzId);
        var events = Runs(holidays.Select(h => (h.Date, Kind: HolidayKind, h.Name, h.NameEn, WorksLike: IsoDayOfWeek.None)))
            .Concat(Runs(makeUpWorkingDays.Select(d => (d.Date, Kind: WorkdayKind, d.Name, d.NameEn, d.WorksLike))));
        foreach (var e in events.OrderBy(e => e.First))
        {
            var item = new CalendarEvent
            {
                Uid = $"{DatePattern.Format(e.First)}-{e.Kind.ToLowerInvariant()}@steward",
                DtStamp = stamp,
                DtStart = new CalDateTime(e.First.ToDateOnly()),
                DtEnd = new CalDateTime(e.Last.PlusDays(1).ToDateOnly()),
                Summary = string.IsNullOrEmpty(e.Name) ? e.NameEn : e.Name,
                Categories = [e.Kind],
                Transparency = TransparencyType.Transparent,
            };
            item.AddProperty(KindProperty, e.Kind);
            if (!string.IsNullOrEmpty(e.Name) && !string.IsNullOrEmpty(e.NameEn))
            {
                item.AddProperty(NameEnProperty, e.NameEn);
            }

            if (e.Kind == WorkdayKind)
            {
                item.AddProperty(WorksLikeProperty, DayCodes[(int)e.WorksLike]);
            }

            calendar.Events.Add(item);
        }

        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>Parses holidays and make-up working days from iCalendar text.</summary>
    /// <exception cref="ICalendarFormatException">Malformed input; the message names the line.</exception>
    public static CalendarDayData Import(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = ICalendarLines.Read(text);
        ICalendar calendar;
        try
        {
            calendar = ICalendar.Load(text) ?? throw new ICalendarFormatException(1, "empty");
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or ArgumentException or FormatException and not ICalendarFormatException)
        {
            // ICalendarLines has checked structure and dates, so this is a value Ical.Net cannot take.
            throw new ICalendarFormatException(1, "unreadable", e.Message);
        }

        var holidays = new List<Holiday>();
        var makeUps = new List<MakeUpWorkingDay>();
        var seen = new Dictionary<LocalDate, int>();
        foreach (var (item, at) in calendar.Events.Zip(lines.Events))
        {
            AddEvent(item, at, holidays, makeUps, seen);
        }

        return new CalendarDayData(holidays, makeUps);
    }

    /// <summary>Imports iCalendar text into a calendar (adds its holidays and make-up days).</summary>
    public static BusinessCalendar ImportInto(BusinessCalendar calendar, string text)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var data = Import(text);
        return calendar.WithHolidays(data.Holidays).WithMakeUpWorkingDays(data.MakeUpWorkingDays);
    }

    /// <summary>Consecutive dates of one kind with the same name (and working pattern) as one event.</summary>
    private static List<(LocalDate First, LocalDate Last, string Kind, string? Name, string? NameEn, IsoDayOfWeek WorksLike)> Runs(
        IEnumerable<(LocalDate Date, string Kind, string? Name, string? NameEn, IsoDayOfWeek WorksLike)> days)
    {
        var runs = new List<(LocalDate First, LocalDate Last, string Kind, string? Name, string? NameEn, IsoDayOfWeek WorksLike)>();
        foreach (var day in days.OrderBy(d => d.Date))
        {
            if (runs.Count > 0 && runs[^1] is var last && last.Name == day.Name && last.NameEn == day.NameEn && last.WorksLike == day.WorksLike
                && last.Last.PlusDays(1) == day.Date)
            {
                runs[^1] = last with { Last = day.Date };
            }
            else
            {
                runs.Add((day.Date, day.Date, day.Kind, day.Name, day.NameEn, day.WorksLike));
            }
        }

        return runs;
    }

    private static void AddEvent(CalendarEvent item, ICalendarLines.EventLines at, List<Holiday> holidays, List<MakeUpWorkingDay> makeUps, Dictionary<LocalDate, int> seen)
    {
        if (item.DtStart is not { } start)
        {
            throw new ICalendarFormatException(at.Begin, "noStart");
        }

        var first = LocalDate.FromDateOnly(start.Date);
        var days = 1;
        if (item.DtEnd is { } end)
        {
            days = Period.DaysBetween(first, LocalDate.FromDateOnly(end.Date));
            if (days <= 0)
            {
                throw new ICalendarFormatException(at.Line("DTEND"), "endBeforeStart");
            }
        }
        else if (at.Has("DURATION"))
        {
            days = WholeDays(item.Duration, at);
        }

        if (days > MaxEventDays)
        {
            throw new ICalendarFormatException(at.Begin, "tooLong", days, MaxEventDays);
        }

        var workday = Kind(item, at) ?? item.Categories.Any(c => string.Equals(c.Trim(), WorkdayKind, StringComparison.OrdinalIgnoreCase));
        var worksLike = WorksLike(item, at);
        var summary = string.IsNullOrEmpty(item.Summary) ? null : item.Summary;
        var (name, nameEn) = item.Properties[NameEnProperty]?.Value is string { Length: > 0 } english
            ? (summary, english)
            : DayNames.Split(summary);
        for (var i = 0; i < days; i++)
        {
            var date = first.PlusDays(i);
            if (!seen.TryAdd(date, at.Begin))
            {
                throw new ICalendarFormatException(at.Begin, "duplicate", LocalDatePattern.Iso.Format(date), seen[date]);
            }

            if (workday)
            {
                makeUps.Add(new MakeUpWorkingDay(date, worksLike, name, nameEn));
            }
            else
            {
                holidays.Add(new Holiday(date, name, nameEn));
            }
        }
    }

    private static int WholeDays(Ical.Net.DataTypes.Duration? duration, ICalendarLines.EventLines at)
    {
        if (duration is not { } d || d.Hours is not (null or 0) || d.Minutes is not (null or 0) || d.Seconds is not (null or 0)
            || (d.Weeks ?? 0) * 7 + (d.Days ?? 0) is not (> 0 and var days))
        {
            throw new ICalendarFormatException(at.Line("DURATION"), "badDuration", at.Value("DURATION"));
        }

        return days;
    }

    /// <summary>True for WORKDAY, false for HOLIDAY, null when the event does not say.</summary>
    private static bool? Kind(CalendarEvent item, ICalendarLines.EventLines at) =>
        (item.Properties[KindProperty]?.Value as string)?.Trim().ToUpperInvariant() switch
        {
            null => null,
            WorkdayKind => true,
            HolidayKind => false,
            var other => throw new ICalendarFormatException(at.Line(KindProperty), "badKind", other),
        };

    private static IsoDayOfWeek WorksLike(CalendarEvent item, ICalendarLines.EventLines at)
    {
        if (item.Properties[WorksLikeProperty]?.Value is not string value)
        {
            return IsoDayOfWeek.Monday;
        }

        var code = value.Trim().ToUpperInvariant();
        var index = Array.IndexOf(DayCodes, code);
        return index >= 1 ? (IsoDayOfWeek)index : throw new ICalendarFormatException(at.Line(WorksLikeProperty), "badWorksLike", code);
    }
}
