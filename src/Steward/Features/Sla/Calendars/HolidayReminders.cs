using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Notifications;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Sla.Calendars;

/// <summary>Bound from <c>Sla:HolidayReminders</c>.</summary>
public sealed class HolidayReminderOptions
{
    public const string Section = "Sla:HolidayReminders";

    /// <summary>From the 1st of this month (in each calendar's zone) administrators are told that next year's holidays are missing.</summary>
    [Range(1, 12)]
    public int FromMonth { get; set; } = 11;

    /// <summary>
    /// How often each node looks (minutes). The check is a daily one in effect, but it runs more often so that a node
    /// restarted every day still gets to it; the claim keeps it to one reminder per calendar and year.
    /// </summary>
    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 60;
}

/// <summary>
/// Tells the administrators (in-app notification) when a calendar lacks a year's holidays: next year's from the 1st
/// of <see cref="HolidayReminderOptions.FromMonth"/> (the PRC State Council publishes the coming year's schedule in the
/// autumn), and the current year's at any time. Dates are the calendar's own local dates. Once per calendar and year,
/// across nodes: the row in <c>sla_holiday_reminders</c> (unique per calendar and year) is saved in the same
/// transaction as the notifications, and a node that finds the row already there (the insert fails) raises nothing.
/// Steward never fills the year in itself: holidays are what the authority publishes.
/// </summary>
public sealed class HolidayReminders(StewardDbContext db, NotificationService notifications, TimeProvider time, IOptions<HolidayReminderOptions> options)
{
    public const string Kind = "calendar.holidays";

    /// <summary>The periodic job that runs <see cref="RunAsync"/> every <see cref="HolidayReminderOptions.IntervalMinutes"/> on every node.</summary>
    public const string JobName = "sla-holiday-reminders";

    /// <summary>One pass; returns the number of (calendar, year) reminders this node raised.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var calendars = await db.Set<SlaCalendar>().AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Name, c.NameEn, c.TimeZone, Years = c.HolidayYears.Select(y => y.Year).ToList() }).ToListAsync(ct);
        var done = (await db.Set<SlaHolidayReminder>().AsNoTracking().Select(r => new { r.CalendarId, r.Year }).ToListAsync(ct))
            .Select(r => (r.CalendarId, r.Year)).ToHashSet();
        List<long>? administrators = null;
        var raised = 0;
        foreach (var calendar in calendars)
        {
            foreach (var year in MissingYears(now, calendar.TimeZone, calendar.Years, options.Value.FromMonth).Where(y => !done.Contains((calendar.Id, y))))
            {
                administrators ??= await AdministratorsAsync(ct);
                if (administrators.Count == 0)
                {
                    // Nobody to tell: leave it unclaimed so the first administrator hears of it.
                    return raised;
                }

                if (await ClaimAsync(calendar.Id, calendar.Name, calendar.NameEn, year, administrators, now, ct))
                {
                    raised++;
                }
            }
        }

        return raised;
    }

    /// <summary>
    /// The years a calendar in <paramref name="zoneId"/> should hold at <paramref name="now"/> and does not: the current
    /// year (its local date's), and from the 1st of <paramref name="fromMonth"/> the next one. Empty for an unknown zone.
    /// </summary>
    public static IReadOnlyList<int> MissingYears(DateTimeOffset now, string zoneId, IReadOnlyCollection<int> loaded, int fromMonth)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is not { } zone)
        {
            return [];
        }

        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var missing = new List<int>();
        if (!loaded.Contains(today.Year))
        {
            missing.Add(today.Year);
        }

        if (today.Month >= fromMonth && !loaded.Contains(today.Year + 1))
        {
            missing.Add(today.Year + 1);
        }

        return missing;
    }

    private async Task<bool> ClaimAsync(long calendarId, string name, string nameEn, int year, List<long> administrators, DateTimeOffset now, CancellationToken ct)
    {
        var y = year.ToString(CultureInfo.InvariantCulture);
        db.Add(new SlaHolidayReminder { CalendarId = calendarId, Year = year, RaisedAt = now });
        notifications.Raise(
            administrators,
            Kind,
            string.Format(CultureInfo.InvariantCulture, ExplanationText.Text("zh-CN", "sla.cal.reminder"), DayNames.For(name, nameEn, "zh-CN"), y),
            string.Format(CultureInfo.InvariantCulture, ExplanationText.Text("en", "sla.cal.reminder"), DayNames.For(name, nameEn, "en"), y),
            "/Sla/Calendars/Edit?id=" + calendarId.ToString(CultureInfo.InvariantCulture));
        try
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Set<SlaHolidayReminder>().AnyAsync(r => r.CalendarId == calendarId && r.Year == year, ct))
            {
                // Another node claimed this calendar and year first; its notifications stand, these are dropped.
                return false;
            }

            throw;
        }
    }

    private Task<List<long>> AdministratorsAsync(CancellationToken ct) =>
        db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(r => r.Role == StaffRole.Administrator)).OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
}
