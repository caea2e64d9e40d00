using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Steward.Features.Sla.Calendars;

/// <summary>Holidays and make-up working days read from or written to iCalendar.</summary>
public sealed record CalendarDayData(IReadOnlyList<Holiday> Holidays, IReadOnlyList<MakeUpWorkingDay> MakeUpWorkingDays);

/// <summary>Malformed iCalendar input; <see cref="LineNumber"/> is the 1-based physical line where the problem starts.</summary>
public sealed class ICalendarFormatException : FormatException
{
    public ICalendarFormatException(int lineNumber, string problem)
        : base(string.Create(CultureInfo.InvariantCulture, $"iCalendar line {lineNumber}: {problem}"))
    {
        LineNumber = lineNumber;
        Problem = problem;
    }

    public int LineNumber { get; }

    public string Problem { get; }
}

/// <summary>
/// Imports and exports holidays and make-up working days as iCalendar (RFC 5545) all-day events.
/// </summary>
/// <remarks>
/// <para>Each event is <c>DTSTART;VALUE=DATE</c> with an optional exclusive <c>DTEND;VALUE=DATE</c> (or a
/// <c>DURATION</c> of whole days/weeks); a multi-day event expands to one date per day. <c>SUMMARY</c> is the name.
/// A make-up working day is marked <c>X-STEWARD-KIND:WORKDAY</c> (or, from other producers,
/// <c>CATEGORIES</c> containing <c>WORKDAY</c>); <c>X-STEWARD-WORKS-LIKE:MO…SU</c> gives the weekday whose periods it
/// uses (default Monday). Everything else is a holiday.</para>
/// <para>Export writes CRLF line ends, folds lines longer than 75 octets (UTF-8, never inside a character) with
/// CRLF + space, escapes <c>\ ; ,</c> and newlines in text, and merges consecutive dates with the same name into one
/// event. Import unfolds (CRLF or LF followed by a space or tab), unescapes, skips blank lines and components it does
/// not use (VTIMEZONE, VALARM…), and rejects malformed input (bad structure, missing or non-date DTSTART, DTEND not
/// after DTSTART, recurrence rules, invalid escapes, a date defined twice) with an
/// <see cref="ICalendarFormatException"/> naming the line.</para>
/// </remarks>
public static class ICalendarFormat
{
    public const string KindProperty = "X-STEWARD-KIND";
    public const string WorksLikeProperty = "X-STEWARD-WORKS-LIKE";
    public const string HolidayKind = "HOLIDAY";
    public const string WorkdayKind = "WORKDAY";

    /// <summary>Longest event expanded on import, to reject absurd input early.</summary>
    public const int MaxEventDays = 366;

    private const int MaxLineOctets = 75;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly InstantPattern StampPattern = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

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
        var stamp = StampPattern.Format(timestamp);
        var output = new StringBuilder();
        void Line(string line) => output.Append(FoldLine(line)).Append("\r\n");

        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//Steward//SLA business calendar//EN");
        Line("CALSCALE:GREGORIAN");
        if (!string.IsNullOrEmpty(calendarName))
        {
            Line("X-WR-CALNAME:" + EscapeText(calendarName));
        }

        var events = new List<(LocalDate First, LocalDate Last, string Kind, string? Name, IsoDayOfWeek WorksLike)>();
        foreach (var holiday in holidays.OrderBy(h => h.Date))
        {
            if (events.Count > 0 && events[^1] is var last && last.Kind == HolidayKind && last.Name == holiday.Name && last.Last.PlusDays(1) == holiday.Date)
            {
                events[^1] = last with { Last = holiday.Date };
            }
            else
            {
                events.Add((holiday.Date, holiday.Date, HolidayKind, holiday.Name, IsoDayOfWeek.None));
            }
        }

        foreach (var day in makeUpWorkingDays.OrderBy(d => d.Date))
        {
            if (events.Count > 0 && events[^1] is var last && last.Kind == WorkdayKind && last.Name == day.Name
                && last.WorksLike == day.WorksLike && last.Last.PlusDays(1) == day.Date)
            {
                events[^1] = last with { Last = day.Date };
            }
            else
            {
                events.Add((day.Date, day.Date, WorkdayKind, day.Name, day.WorksLike));
            }
        }

        foreach (var e in events.OrderBy(e => e.First))
        {
            Line("BEGIN:VEVENT");
            Line($"UID:{DatePattern.Format(e.First)}-{e.Kind.ToLowerInvariant()}@steward");
            Line("DTSTAMP:" + stamp);
            Line("DTSTART;VALUE=DATE:" + DatePattern.Format(e.First));
            Line("DTEND;VALUE=DATE:" + DatePattern.Format(e.Last.PlusDays(1)));
            if (e.Name is not null)
            {
                Line("SUMMARY:" + EscapeText(e.Name));
            }

            Line("CATEGORIES:" + e.Kind);
            Line($"{KindProperty}:{e.Kind}");
            if (e.Kind == WorkdayKind)
            {
                Line($"{WorksLikeProperty}:{DayCodes[(int)e.WorksLike]}");
            }

            Line("TRANSP:TRANSPARENT");
            Line("END:VEVENT");
        }

        Line("END:VCALENDAR");
        return output.ToString();
    }

    /// <summary>Parses holidays and make-up working days from iCalendar text.</summary>
    /// <exception cref="ICalendarFormatException">Malformed input; the message names the line.</exception>
    public static CalendarDayData Import(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var holidays = new List<Holiday>();
        var makeUps = new List<MakeUpWorkingDay>();
        var seen = new Dictionary<LocalDate, int>();
        var stack = new Stack<(string Name, int Line)>();
        EventBuilder? current = null;
        var finished = false;
        var lastLine = 0;

        foreach (var (lineNumber, raw) in Unfold(text))
        {
            if (raw.Length == 0)
            {
                continue;
            }

            lastLine = lineNumber;

            if (finished)
            {
                throw new ICalendarFormatException(lineNumber, "content after END:VCALENDAR.");
            }

            var line = ParseContentLine(lineNumber, raw);
            if (stack.Count == 0 && !(line.Name == "BEGIN" && Upper(line.Value) == "VCALENDAR"))
            {
                throw new ICalendarFormatException(lineNumber, "expected BEGIN:VCALENDAR.");
            }

            switch (line.Name)
            {
                case "BEGIN":
                {
                    var component = Upper(line.Value);
                    if (component.Length == 0)
                    {
                        throw new ICalendarFormatException(lineNumber, "BEGIN without a component name.");
                    }

                    if (component == "VCALENDAR" && stack.Count > 0)
                    {
                        throw new ICalendarFormatException(lineNumber, "nested VCALENDAR.");
                    }

                    if (component == "VEVENT" && stack.Count == 1)
                    {
                        current = new EventBuilder(lineNumber);
                    }

                    stack.Push((component, lineNumber));
                    break;
                }

                case "END":
                {
                    var component = Upper(line.Value);
                    var (open, openLine) = stack.Peek();
                    if (component != open)
                    {
                        throw new ICalendarFormatException(
                            lineNumber,
                            string.Create(CultureInfo.InvariantCulture, $"END:{component} does not match BEGIN:{open} at line {openLine}."));
                    }

                    stack.Pop();
                    if (component == "VEVENT" && stack.Count == 1 && current is not null)
                    {
                        AddEvent(current, holidays, makeUps, seen);
                        current = null;
                    }

                    finished = stack.Count == 0;
                    break;
                }

                default:
                    if (current is not null && stack.Count == 2)
                    {
                        current.Apply(line);
                    }

                    break;
            }
        }

        if (!finished)
        {
            var (open, openLine) = stack.Count > 0 ? stack.Peek() : ("VCALENDAR", 1);
            throw new ICalendarFormatException(
                Math.Max(lastLine, 1),
                stack.Count == 0 ? "no VCALENDAR found." : string.Create(CultureInfo.InvariantCulture, $"missing END:{open} for BEGIN:{open} at line {openLine}."));
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

    /// <summary>Folds one content line (without its CRLF) so no physical line exceeds 75 UTF-8 octets.</summary>
    public static string FoldLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (Encoding.UTF8.GetByteCount(line) <= MaxLineOctets)
        {
            return line;
        }

        var output = new StringBuilder(line.Length + 16);
        var octets = 0;
        for (var i = 0; i < line.Length;)
        {
            var length = char.IsSurrogatePair(line, i) ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(line.AsSpan(i, length));
            if (octets + size > MaxLineOctets)
            {
                output.Append("\r\n ");
                octets = 1;
            }

            output.Append(line, i, length);
            octets += size;
            i += length;
        }

        return output.ToString();
    }

    /// <summary>Escapes a TEXT value: backslash, semicolon, comma and newlines.</summary>
    public static string EscapeText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\r\n", "\\n", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\n", StringComparison.Ordinal);
    }

    /// <summary>Reverses <see cref="EscapeText"/>.</summary>
    /// <exception cref="ICalendarFormatException">An invalid escape (reported as line 0).</exception>
    public static string UnescapeText(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return UnescapeText(value, 0);
    }

    private static string UnescapeText(string value, int lineNumber) => string.Concat(SplitText(value, lineNumber, splitOnComma: false));

    private static List<string> SplitText(string value, int lineNumber, bool splitOnComma)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 >= value.Length)
                {
                    throw new ICalendarFormatException(lineNumber, "text ends with a lone backslash.");
                }

                var next = value[++i];
                current.Append(next switch
                {
                    '\\' or ';' or ',' => next,
                    'n' or 'N' => '\n',
                    _ => throw new ICalendarFormatException(lineNumber, $"invalid escape '\\{next}' in text."),
                });
            }
            else if (c == ',' && splitOnComma)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }

    private static IEnumerable<(int LineNumber, string Text)> Unfold(string text)
    {
        var physical = text.Split('\n');
        var logical = new StringBuilder();
        var start = 0;
        for (var i = 0; i < physical.Length; i++)
        {
            var line = physical[i].EndsWith('\r') ? physical[i][..^1] : physical[i];
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (start == 0)
                {
                    throw new ICalendarFormatException(i + 1, "continuation line without a preceding content line.");
                }

                logical.Append(line, 1, line.Length - 1);
                continue;
            }

            if (start != 0)
            {
                yield return (start, logical.ToString());
            }

            logical.Clear().Append(line);
            start = i + 1;
        }

        if (start != 0)
        {
            yield return (start, logical.ToString());
        }
    }

    private static ContentLine ParseContentLine(int lineNumber, string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
        {
            i++;
        }

        if (i == 0)
        {
            throw new ICalendarFormatException(lineNumber, $"expected a property name, got '{Shorten(line)}'.");
        }

        var name = Upper(line[..i]);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (i < line.Length && line[i] == ';')
        {
            var nameStart = ++i;
            while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
            {
                i++;
            }

            if (i == nameStart || i >= line.Length || line[i] != '=')
            {
                throw new ICalendarFormatException(lineNumber, $"malformed parameter in '{Shorten(line)}'.");
            }

            var parameterName = Upper(line[nameStart..i]);
            i++;
            var value = new StringBuilder();
            while (i < line.Length && line[i] != ';' && line[i] != ':')
            {
                if (line[i] == '"')
                {
                    var close = line.IndexOf('"', i + 1);
                    if (close < 0)
                    {
                        throw new ICalendarFormatException(lineNumber, $"unterminated quoted parameter value in '{Shorten(line)}'.");
                    }

                    value.Append(line, i + 1, close - i - 1);
                    i = close + 1;
                }
                else
                {
                    value.Append(line[i++]);
                }
            }

            parameters[parameterName] = value.ToString();
        }

        if (i >= line.Length || line[i] != ':')
        {
            throw new ICalendarFormatException(lineNumber, $"expected 'NAME:value', got '{Shorten(line)}'.");
        }

        return new ContentLine(lineNumber, name, parameters, line[(i + 1)..]);
    }

    private static void AddEvent(EventBuilder e, List<Holiday> holidays, List<MakeUpWorkingDay> makeUps, Dictionary<LocalDate, int> seen)
    {
        if (e.Start is not { } first)
        {
            throw new ICalendarFormatException(e.BeginLine, "VEVENT has no DTSTART.");
        }

        var days = 1;
        if (e.End is { } end)
        {
            days = Period.DaysBetween(first, end);
            if (days <= 0)
            {
                throw new ICalendarFormatException(e.EndLine, "DTEND must be after DTSTART (DTEND is exclusive).");
            }
        }
        else if (e.DurationDays is { } durationDays)
        {
            days = durationDays;
        }

        if (days > MaxEventDays)
        {
            throw new ICalendarFormatException(e.BeginLine, string.Create(CultureInfo.InvariantCulture, $"event spans {days} days; at most {MaxEventDays} are allowed."));
        }

        for (var i = 0; i < days; i++)
        {
            var date = first.PlusDays(i);
            if (!seen.TryAdd(date, e.BeginLine))
            {
                throw new ICalendarFormatException(
                    e.BeginLine,
                    string.Create(CultureInfo.InvariantCulture, $"{LocalDatePattern.Iso.Format(date)} is already defined by the event at line {seen[date]}."));
            }

            if (e.IsWorkday)
            {
                makeUps.Add(new MakeUpWorkingDay(date, e.WorksLike, e.Summary));
            }
            else
            {
                holidays.Add(new Holiday(date, e.Summary));
            }
        }
    }

    private static string Upper(string value) => value.Trim().ToUpperInvariant();

    private static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";

    private sealed record ContentLine(int Number, string Name, IReadOnlyDictionary<string, string> Parameters, string Value);

    private sealed class EventBuilder(int beginLine)
    {
        private bool? kindFromProperty;
        private bool workdayCategory;

        public int BeginLine { get; } = beginLine;

        public LocalDate? Start { get; private set; }

        public LocalDate? End { get; private set; }

        public int EndLine { get; private set; }

        public int? DurationDays { get; private set; }

        public string? Summary { get; private set; }

        public IsoDayOfWeek WorksLike { get; private set; } = IsoDayOfWeek.Monday;

        public bool IsWorkday => kindFromProperty ?? workdayCategory;

        public void Apply(ContentLine line)
        {
            switch (line.Name)
            {
                case "DTSTART":
                    if (Start is not null)
                    {
                        throw new ICalendarFormatException(line.Number, "DTSTART appears twice in one VEVENT.");
                    }

                    Start = ParseDate(line);
                    break;
                case "DTEND":
                    if (End is not null || DurationDays is not null)
                    {
                        throw new ICalendarFormatException(line.Number, "a VEVENT may have only one DTEND or DURATION.");
                    }

                    End = ParseDate(line);
                    EndLine = line.Number;
                    break;
                case "DURATION":
                    if (End is not null || DurationDays is not null)
                    {
                        throw new ICalendarFormatException(line.Number, "a VEVENT may have only one DTEND or DURATION.");
                    }

                    DurationDays = ParseDurationDays(line);
                    break;
                case "SUMMARY":
                    var summary = UnescapeText(line.Value, line.Number);
                    Summary = summary.Length == 0 ? null : summary;
                    break;
                case "CATEGORIES":
                    workdayCategory |= SplitText(line.Value, line.Number, splitOnComma: true)
                        .Any(c => string.Equals(c.Trim(), WorkdayKind, StringComparison.OrdinalIgnoreCase));
                    break;
                case KindProperty:
                    kindFromProperty = Upper(UnescapeText(line.Value, line.Number)) switch
                    {
                        WorkdayKind => true,
                        HolidayKind => false,
                        var other => throw new ICalendarFormatException(line.Number, $"{KindProperty} must be {HolidayKind} or {WorkdayKind}, not '{other}'."),
                    };
                    break;
                case WorksLikeProperty:
                    var code = Upper(UnescapeText(line.Value, line.Number));
                    var index = Array.IndexOf(DayCodes, code);
                    if (index < 1)
                    {
                        throw new ICalendarFormatException(line.Number, $"{WorksLikeProperty} must be one of MO, TU, WE, TH, FR, SA, SU, not '{code}'.");
                    }

                    WorksLike = (IsoDayOfWeek)index;
                    break;
                case "RRULE" or "RDATE" or "EXDATE" or "EXRULE":
                    throw new ICalendarFormatException(line.Number, $"{line.Name} (recurrence) is not supported; list each date as its own event.");
                default:
                    break;
            }
        }

        private static LocalDate ParseDate(ContentLine line)
        {
            if (line.Parameters.TryGetValue("VALUE", out var valueType) && !string.Equals(valueType, "DATE", StringComparison.OrdinalIgnoreCase))
            {
                throw new ICalendarFormatException(line.Number, $"{line.Name} must be an all-day date (VALUE=DATE), not VALUE={valueType}.");
            }

            var value = line.Value.Trim();
            if (value.Contains('T', StringComparison.OrdinalIgnoreCase))
            {
                throw new ICalendarFormatException(line.Number, $"{line.Name} must be an all-day date (VALUE=DATE:YYYYMMDD), not the date-time '{value}'.");
            }

            var result = DatePattern.Parse(value);
            if (value.Length != 8 || !result.Success)
            {
                throw new ICalendarFormatException(line.Number, $"{line.Name} has an invalid date '{value}' (expected YYYYMMDD).");
            }

            return result.Value;
        }

        private static int ParseDurationDays(ContentLine line)
        {
            var value = line.Value.Trim().ToUpperInvariant();
            var unit = value.Length > 0 ? value[^1] : ' ';
            var digits = value.Length > 2 && value.StartsWith('P') ? value[1..^1] : string.Empty;
            if ((unit != 'D' && unit != 'W') || digits.Length == 0 || !digits.All(char.IsAsciiDigit)
                || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                throw new ICalendarFormatException(line.Number, $"DURATION must be a positive whole number of days or weeks (e.g. P3D), not '{line.Value}'.");
            }

            return unit == 'W' ? checked(amount * 7) : amount;
        }
    }
}
