using System.Globalization;
using Microsoft.Extensions.Localization;
using NodaTime;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>How the case pages show instants, deadlines, badges and names.</summary>
public static class CaseDisplay
{
    /// <summary>
    /// The instant as wall-clock time in the branch's zone with the zone's abbreviation and offset:
    /// <c>2026-11-23 14:05 CST (UTC+08:00)</c>. Zones whose abbreviation is only an offset show it once
    /// (<c>2026-11-23 14:05 UTC+04:00</c>); an unknown or missing zone shows UTC.
    /// </summary>
    public static string At(DateTimeOffset instant, string? zoneId)
    {
        var (local, zone) = AtParts(instant, zoneId);
        return local + " " + zone;
    }

    /// <summary>
    /// <see cref="At"/> in its two parts, the local time ("2026-12-02 17:30") and the zone ("CST (UTC+08:00)"),
    /// for a narrow column that puts them on two lines.
    /// </summary>
    public static (string Local, string Zone) AtParts(DateTimeOffset instant, string? zoneId)
    {
        var zone = (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? DateTimeZone.Utc;
        var zoned = Instant.FromDateTimeOffset(instant).InZone(zone);
        var local = zoned.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var offset = "UTC" + zoned.Offset.ToString("m", CultureInfo.InvariantCulture);
        var abbreviation = zoned.GetZoneInterval().Name;
        return abbreviation.Length == 0 || abbreviation[0] is '+' or '-' || abbreviation == "UTC"
            ? (local, offset)
            : (local, $"{abbreviation} ({offset})");
    }

    /// <summary>
    /// "in 3 h" or "2 d overdue": minutes under an hour, hours under two days, else days (rounded down).
    /// </summary>
    public static string Relative(IStringLocalizer l, DateTimeOffset due, DateTimeOffset now)
    {
        var span = due - now;
        var length = span.Duration();
        var amount = length.TotalMinutes < 60 ? l["time.minutes", ((int)length.TotalMinutes).ToString(CultureInfo.InvariantCulture)]
            : length.TotalHours < 48 ? l["time.hours", ((int)length.TotalHours).ToString(CultureInfo.InvariantCulture)]
            : l["time.days", ((int)length.TotalDays).ToString(CultureInfo.InvariantCulture)];
        return span < TimeSpan.Zero ? l["case.due.overdue", amount] : l["case.due.in", amount];
    }

    /// <summary>
    /// The due instant with its weekday and the calendar time to it, labelled as calendar time so that it does not read
    /// as the SLA panel's working-hours figure: "截止 2026-12-03 17:30 CST (UTC+08:00) 周四，按自然时间剩余 2 天" /
    /// "Due Thu 2026-12-03 17:30 CST (UTC+08:00), in 2 days (calendar time)".
    /// </summary>
    public static string DueCalendar(IStringLocalizer l, DateTimeOffset due, DateTimeOffset now, string? zoneId)
    {
        var zone = (zoneId is null ? null : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)) ?? DateTimeZone.Utc;
        var weekday = l["sla.weekday." + Instant.FromDateTimeOffset(due).InZone(zone).DayOfWeek].Value;
        return l["case.due.calendar", At(due, zoneId), weekday, Relative(l, due, now)].Value;
    }

    public static string PriorityClass(CasePriority priority) => priority switch
    {
        CasePriority.Low => "text-bg-secondary",
        CasePriority.Normal => "text-bg-info",
        CasePriority.High => "text-bg-warning",
        CasePriority.Urgent => "text-bg-danger",
    };

    public static string StatusClass(CaseStatus status) => status switch
    {
        CaseStatus.Submitted => "text-bg-secondary",
        CaseStatus.UnderReview => "text-bg-info",
        CaseStatus.InProgress => "text-bg-primary",
        CaseStatus.Resolved => "text-bg-success",
        CaseStatus.FollowUp => "text-bg-success",
        CaseStatus.Closed => "text-bg-dark",
        CaseStatus.Cancelled => "text-bg-light border",
    };

    /// <summary>A person's name as this viewer may see it: in full with PersonalDataReveal, else masked (张*丰).</summary>
    public static string Name(string? name, bool reveal) => reveal ? name ?? "" : Mask.Name(name);
}
