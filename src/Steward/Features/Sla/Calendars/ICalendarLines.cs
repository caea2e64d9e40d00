using System.Text;
using NodaTime.Text;

namespace Steward.Features.Sla.Calendars;

/// <summary>
/// The line-by-line checks Steward makes before Ical.Net reads an iCalendar file, because Ical.Net reports no line
/// numbers and is lenient where Steward is strict: the structure (BEGIN/END), each content line's shape, invalid text
/// escapes, recurrence, all-day dates, one DTSTART and one DTEND or DURATION per event. It also remembers, for each
/// VEVENT directly in the VCALENDAR (the events Ical.Net lists, in the same order), the line of each property, so the
/// rules checked on Ical.Net's values can name the line too.
/// </summary>
internal sealed class ICalendarLines
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");

    private static readonly HashSet<string> TextProperties = ["SUMMARY", "CATEGORIES", ICalendarFormat.KindProperty, ICalendarFormat.WorksLikeProperty];

    private ICalendarLines(List<EventLines> events) => Events = events;

    /// <summary>The VEVENTs of the VCALENDAR in file order.</summary>
    public IReadOnlyList<EventLines> Events { get; }

    /// <exception cref="ICalendarFormatException">The first problem found, with its physical line.</exception>
    public static ICalendarLines Read(string text)
    {
        var events = new List<EventLines>();
        var stack = new Stack<(string Name, int Line)>();
        EventLines? current = null;
        var finished = false;
        var lastLine = 0;
        foreach (var (number, line) in Unfold(text))
        {
            if (line.Length == 0)
            {
                continue;
            }

            lastLine = number;
            if (finished)
            {
                throw new ICalendarFormatException(number, "afterEnd");
            }

            var (name, parameters, value) = Split(number, line);
            if (stack.Count == 0 && !(name == "BEGIN" && Upper(value) == "VCALENDAR"))
            {
                throw new ICalendarFormatException(number, "notCalendar");
            }

            if (name == "BEGIN")
            {
                var component = Upper(value);
                if (component.Length == 0)
                {
                    throw new ICalendarFormatException(number, "noComponentName");
                }

                if (component == "VCALENDAR" && stack.Count > 0)
                {
                    throw new ICalendarFormatException(number, "nested");
                }

                if (component == "VEVENT" && stack.Count == 1)
                {
                    current = new EventLines(number);
                    events.Add(current);
                }

                stack.Push((component, number));
            }
            else if (name == "END")
            {
                var component = Upper(value);
                var (open, openLine) = stack.Peek();
                if (component != open)
                {
                    throw new ICalendarFormatException(number, "endMismatch", component, open, openLine);
                }

                stack.Pop();
                current = stack.Count == 1 ? null : current;
                finished = stack.Count == 0;
            }
            else if (current is not null && stack.Count == 2)
            {
                current.Add(number, name, parameters, value);
            }
        }

        if (!finished)
        {
            if (stack.Count == 0)
            {
                throw new ICalendarFormatException(Math.Max(lastLine, 1), "empty");
            }

            var (open, openLine) = stack.Peek();
            throw new ICalendarFormatException(lastLine, "unclosed", open, openLine);
        }

        return new ICalendarLines(events);
    }

    private static string Upper(string value) => value.Trim().ToUpperInvariant();

    private static string Shorten(string line) => line.Length <= 40 ? line : line[..40] + "…";

    /// <summary>Logical lines (folds joined) with the physical line each starts on.</summary>
    private static IEnumerable<(int Number, string Text)> Unfold(string text)
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
                    throw new ICalendarFormatException(i + 1, "continuation");
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

    /// <summary>NAME, the parameter text and the value of a content line (the colon outside quotes ends the parameters).</summary>
    private static (string Name, string Parameters, string Value) Split(int number, string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '-'))
        {
            i++;
        }

        var nameEnd = i;
        var quoted = false;
        while (i < line.Length && (quoted || line[i] != ':'))
        {
            quoted ^= line[i] == '"';
            i++;
        }

        if (nameEnd == 0 || i >= line.Length || (nameEnd < i && line[nameEnd] != ';'))
        {
            throw new ICalendarFormatException(number, "malformed", Shorten(line));
        }

        return (line[..nameEnd].ToUpperInvariant(), line[nameEnd..i], line[(i + 1)..]);
    }

    /// <summary>Where one VEVENT's properties are, and the line-level rules on them.</summary>
    public sealed class EventLines(int begin)
    {
        private readonly Dictionary<string, (int Line, string Value)> properties = new(StringComparer.Ordinal);

        /// <summary>The line of BEGIN:VEVENT.</summary>
        public int Begin { get; } = begin;

        public bool Has(string name) => properties.ContainsKey(name);

        /// <summary>The line of the property's first occurrence (the event's BEGIN line if it has none).</summary>
        public int Line(string name) => properties.TryGetValue(name, out var p) ? p.Line : Begin;

        public string Value(string name) => properties.TryGetValue(name, out var p) ? p.Value : "";

        internal void Add(int number, string name, string parameters, string value)
        {
            switch (name)
            {
                case "DTSTART" when Has(name):
                    throw new ICalendarFormatException(number, "twice", name);
                case "DTEND" or "DURATION" when Has("DTEND") || Has("DURATION"):
                    throw new ICalendarFormatException(number, "endAndDuration");
                case "DTSTART" or "DTEND":
                    CheckDate(number, name, parameters, value);
                    break;
                case "RRULE" or "RDATE" or "EXDATE" or "EXRULE":
                    throw new ICalendarFormatException(number, "recurrence", name);
                case var text when TextProperties.Contains(text):
                    CheckEscapes(number, value);
                    break;
                default:
                    break;
            }

            properties.TryAdd(name, (number, value));
        }

        private static void CheckDate(int number, string name, string parameters, string value)
        {
            var type = parameters.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && string.Equals(p[0], "VALUE", StringComparison.OrdinalIgnoreCase))?[1];
            var date = value.Trim();
            if (date.Contains('T', StringComparison.OrdinalIgnoreCase))
            {
                throw new ICalendarFormatException(number, "notAllDay", name, date);
            }

            if (type is not null && !string.Equals(type, "DATE", StringComparison.OrdinalIgnoreCase))
            {
                throw new ICalendarFormatException(number, "valueType", name, type);
            }

            if (date.Length != 8 || !DatePattern.Parse(date).Success)
            {
                throw new ICalendarFormatException(number, "badDate", name, date);
            }
        }

        /// <summary>A backslash may only escape a backslash, ';', ',' or a newline (n or N).</summary>
        private static void CheckEscapes(int number, string value)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (value[i] != '\\')
                {
                    continue;
                }

                if (++i >= value.Length)
                {
                    throw new ICalendarFormatException(number, "loneBackslash");
                }

                if (value[i] is not ('\\' or ';' or ',' or 'n' or 'N'))
                {
                    throw new ICalendarFormatException(number, "badEscape", value[i]);
                }
            }
        }
    }
}
