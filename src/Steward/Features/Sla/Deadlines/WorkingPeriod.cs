using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Steward.Features.Sla.Deadlines;

/// <summary>
/// A working period in local wall-clock time, half-open: [<see cref="Start"/>, <see cref="End"/>).
/// An <see cref="End"/> of <see cref="LocalTime.Midnight"/> means 24:00 (the end of the day), so
/// 00:00–24:00 is a whole day. Periods never cross midnight: split a night shift into 22:00–24:00 and
/// 00:00–06:00 of the next weekday.
/// </summary>
public sealed record WorkingPeriod
{
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public WorkingPeriod(LocalTime start, LocalTime end)
    {
        if (end != LocalTime.Midnight && end <= start)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"A working period must start before it ends: {Format(start)}-{Format(end)}."),
                nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>Inclusive local start.</summary>
    public LocalTime Start { get; }

    /// <summary>Exclusive local end; <see cref="LocalTime.Midnight"/> means 24:00.</summary>
    public LocalTime End { get; }

    /// <summary>True when the period runs to the end of the day (24:00).</summary>
    public bool EndsAtEndOfDay => End == LocalTime.Midnight;

    /// <summary>Wall-clock length (ignores DST; see <see cref="BusinessCalendar.GetWorkingPeriods"/> for real instants).</summary>
    public Duration NominalLength => Duration.FromNanoseconds(EndNanosecondOfDay - Start.NanosecondOfDay);

    internal long EndNanosecondOfDay => EndsAtEndOfDay ? NodaConstants.NanosecondsPerDay : End.NanosecondOfDay;

    /// <summary>Creates a period from hours and minutes; an end of 24:00 is allowed.</summary>
    public static WorkingPeriod Of(int startHour, int startMinute, int endHour, int endMinute) =>
        new(new LocalTime(startHour, startMinute), endHour == 24 && endMinute == 0 ? LocalTime.Midnight : new LocalTime(endHour, endMinute));

    /// <summary>Parses "HH:mm-HH:mm" (end may be "24:00"), e.g. "09:00-12:00".</summary>
    public static WorkingPeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2)
        {
            throw new FormatException($"Working period '{text}' must look like 09:00-12:00.");
        }

        var start = HourMinute.Parse(parts[0]);
        if (!start.Success)
        {
            throw new FormatException($"Working period '{text}': invalid start time '{parts[0]}'.");
        }

        LocalTime end;
        if (parts[1] == "24:00")
        {
            end = LocalTime.Midnight;
        }
        else
        {
            var parsedEnd = HourMinute.Parse(parts[1]);
            if (!parsedEnd.Success)
            {
                throw new FormatException($"Working period '{text}': invalid end time '{parts[1]}'.");
            }

            end = parsedEnd.Value;
        }

        return new WorkingPeriod(start.Value, end);
    }

    public override string ToString() => $"{Format(Start)}-{(EndsAtEndOfDay ? "24:00" : Format(End))}";

    private static string Format(LocalTime time) => HourMinute.Format(time);
}
