using System.Globalization;
using NodaTime;

namespace Steward.Platform.Api;

/// <summary>
/// The range of dates Steward accepts as input: years <see cref="MinYear"/>–<see cref="MaxYear"/>, as written (local date
/// and time, before the offset is applied). Anything a bank schedules or looks up lies well inside it, and every instant
/// in it converts safely between NodaTime, <see cref="DateTimeOffset"/> and both databases: at the edges of
/// <see cref="DateTimeOffset"/>'s range (<c>9999-12-31T23:59:59-14:00</c>, <c>0001-01-01T00:00:00+14:00</c>) the UTC
/// instant does not exist and conversions throw. Check before converting; a date outside is a field error (400).
/// </summary>
public static class BusinessDates
{
    public const int MinYear = 1900;
    public const int MaxYear = 2200;

    public static readonly string RangeMessage = string.Create(CultureInfo.InvariantCulture,
        $"Give a date between the years {MinYear} and {MaxYear}. 日期须在 {MinYear} 至 {MaxYear} 年之间。");

    public static bool InRange(LocalDateTime value) => value.Year is >= MinYear and <= MaxYear;

    /// <summary>True when <paramref name="value"/> is in range; otherwise records <see cref="RangeMessage"/> under <paramref name="field"/>.</summary>
    public static bool Check(LocalDateTime value, string field, IDictionary<string, string[]> errors)
    {
        if (InRange(value))
        {
            return true;
        }

        errors[field] = [RangeMessage];
        return false;
    }

    /// <inheritdoc cref="Check(LocalDateTime, string, IDictionary{string, string[]})"/>
    public static bool Check(OffsetDateTime value, string field, IDictionary<string, string[]> errors) => Check(value.LocalDateTime, field, errors);

    /// <summary>
    /// A day typed as yyyy-mm-dd (null when empty); a malformed or out-of-range one is refused at <paramref name="field"/>
    /// (and is null too).
    /// </summary>
    public static DateOnly? ParseDay(string? text, string field, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors[field] = ["A date as yyyy-mm-dd. 请按“年-月-日”填写日期。"];
            return null;
        }

        if (day.Year is < MinYear or > MaxYear)
        {
            errors[field] = [RangeMessage];
            return null;
        }

        return day;
    }
}
