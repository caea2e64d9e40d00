using System.Globalization;
using Steward.Platform.Localization;

namespace Steward.Features.Complaints;

/// <summary>How complaint pages show instants, codes and amounts.</summary>
public static class ComplaintDisplay
{
    /// <summary>The instant as a local time of <paramref name="zone"/> (an IANA id; UTC when unknown).</summary>
    public static string Local(DateTimeOffset at, string zone, string format)
    {
        var tz = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
        return TimeZoneInfo.ConvertTime(at, tz).ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A day-based deadline (ending at 24:00) as its last day, "2026-03-17 end of day"; a business-day one with its local close of business.</summary>
    public static string Deadline(ComplaintDeadlineDto d, string zone, string endOfDay) => Deadline(d.DueAt, zone, endOfDay);

    /// <summary>A deadline instant as the list and the page show it: 24:00 local is the day before's "end of day", else the local time.</summary>
    public static string Deadline(DateTimeOffset due, string zone, string endOfDay)
    {
        var local = Local(due, zone, "yyyy-MM-dd HH:mm");
        return local.EndsWith(" 00:00", StringComparison.Ordinal) ? Local(due.AddMinutes(-1), zone, "yyyy-MM-dd") + " " + endOfDay : local;
    }

    public static string Amount(decimal? amount, string currency) =>
        amount is { } a ? currency + " " + a.ToString("N2", CultureInfo.InvariantCulture) : "—";

    /// <summary>A code's name in the reader's language (the other when one is empty).</summary>
    public static string Name(ComplaintCodeDto code) =>
        Cultures.IsChinese(CultureInfo.CurrentUICulture) ? (code.Name.Length > 0 ? code.Name : code.NameEn) : (code.NameEn.Length > 0 ? code.NameEn : code.Name);
}
