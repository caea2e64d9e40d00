using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Organisation;
using Steward.Features.Sla.Calendars;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Sla.Calendars;

/// <summary>
/// Business calendars as data: create and edit them (hours, holidays, make-up working days), import the PRC holiday
/// preset and iCalendar files, assign calendars to branches, and turn a stored calendar into a
/// <see cref="BusinessCalendar"/> (<see cref="GetAsync"/>, <see cref="GetForBranchAsync"/>). Every change bumps the
/// calendar's version; updates naming an older version are refused (409).
/// </summary>
public sealed partial class CalendarService(StewardDbContext db, BusinessCalendarCache cache, TimeProvider time)
{
    public async Task<IReadOnlyList<CalendarSummaryDto>> ListAsync(CancellationToken ct = default)
    {
        var rows = await db.Set<SlaCalendar>().AsNoTracking().OrderByDescending(c => c.IsDefault).ThenBy(c => c.Name)
            .Select(c => new
            {
                c.Id, c.Name, c.NameEn, c.TimeZone, c.IsDefault, c.WeeklyHours, c.Version,
                Holidays = c.Days.Count(d => d.Kind == SlaCalendarDayKind.Holiday),
                MakeUps = c.Days.Count(d => d.Kind == SlaCalendarDayKind.MakeUpWorkingDay),
                Years = c.HolidayYears.Select(y => y.Year).ToList(),
            })
            .ToListAsync(ct);
        return [.. rows.Select(r => new CalendarSummaryDto(r.Id, r.Name, r.NameEn, r.TimeZone, r.IsDefault,
            CalendarDefinitions.ToApi(CalendarDefinitions.ParseWeekly(r.WeeklyHours)), r.Holidays, r.MakeUps, [.. r.Years.Order()], r.Version))];
    }

    public async Task<CalendarDto?> FindAsync(long id, CancellationToken ct = default)
    {
        var calendar = await db.Set<SlaCalendar>().AsNoTracking().Include(c => c.Days).Include(c => c.HolidayYears).AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (calendar is null)
        {
            return null;
        }

        var branches = await db.Set<BranchCalendar>().AsNoTracking().Where(b => b.CalendarId == id)
            .Join(db.Set<Branch>(), b => b.BranchId, b => b.Id, (_, b) => b.Code).OrderBy(c => c).ToListAsync(ct);
        return ToDto(calendar, branches);
    }

    public async Task<Outcome<CalendarDto>> CreateAsync(CalendarSaveInput input, CancellationToken ct = default)
    {
        var calendar = new SlaCalendar();
        var outcome = await ApplyAsync(calendar, input, replaceDays: true, ct);
        if (outcome is { } error)
        {
            return error;
        }

        if (input.IsDefault || !await db.Set<SlaCalendar>().AnyAsync(ct))
        {
            calendar.IsDefault = true;
            await ClearOtherDefaultsAsync(null, ct);
        }

        db.Add(calendar);
        await db.SaveChangesAsync(ct);
        return (await FindAsync(calendar.Id, ct))!;
    }

    /// <summary>Updates name, zone, hours and default flag; holidays, make-up days and holiday years are replaced only when given.</summary>
    public async Task<Outcome<CalendarDto>> UpdateAsync(long id, CalendarSaveInput input, int? expectedVersion, CancellationToken ct = default)
    {
        var calendar = await LoadForChangeAsync(id, ct);
        if (calendar is null)
        {
            return NotFound();
        }

        var replaceDays = input.Holidays is not null || input.MakeUpWorkingDays is not null;
        if (await ApplyAsync(calendar, input, replaceDays, ct) is { } error)
        {
            return error;
        }

        if (StaleCheck(calendar, expectedVersion) is { } stale)
        {
            return stale;
        }

        if (input.IsDefault && !calendar.IsDefault)
        {
            await ClearOtherDefaultsAsync(calendar.Id, ct);
        }

        // The default moves only by making another calendar the default.
        calendar.IsDefault = calendar.IsDefault || input.IsDefault;
        return await SaveAsync(calendar, ct);
    }

    public async Task<IReadOnlyList<BranchCalendarDto>> BranchCalendarsAsync(CancellationToken ct = default)
    {
        var branches = await db.Set<Branch>().AsNoTracking().OrderBy(b => b.Code).ToListAsync(ct);
        var maps = await db.Set<BranchCalendar>().AsNoTracking().ToDictionaryAsync(m => m.BranchId, ct);
        var names = await db.Set<SlaCalendar>().AsNoTracking().Select(c => new { c.Id, c.Name, c.NameEn, c.IsDefault }).ToListAsync(ct);
        var fallback = names.FirstOrDefault(c => c.IsDefault);
        return [.. branches.Select(b =>
        {
            var map = maps.GetValueOrDefault(b.Id);
            var effective = map is null ? fallback : names.FirstOrDefault(c => c.Id == map.CalendarId);
            return new BranchCalendarDto(b.Id, b.Code, b.Name, b.NameEn, map?.CalendarId, effective?.Id, effective?.Name, effective?.NameEn, map?.Version);
        })];
    }

    /// <summary>Gives a branch its own calendar, or (null) makes it use the institution default again.</summary>
    public async Task<Outcome<BranchCalendarDto>> SetBranchCalendarAsync(long branchId, long? calendarId, int? expectedVersion, CancellationToken ct = default)
    {
        if (!await db.Set<Branch>().AnyAsync(b => b.Id == branchId, ct))
        {
            return new BranchNotFound(branchId);
        }

        if (calendarId is { } cid && !await db.Set<SlaCalendar>().AnyAsync(c => c.Id == cid, ct))
        {
            return Invalid("calendarId", "No such calendar. 日历不存在。");
        }

        var map = await db.Set<BranchCalendar>().SingleOrDefaultAsync(m => m.BranchId == branchId, ct);
        if (map is not null && StaleCheck(map, expectedVersion) is { } stale)
        {
            return stale;
        }

        if (calendarId is null)
        {
            if (map is not null)
            {
                db.Remove(map);
            }
        }
        else if (map is null)
        {
            db.Add(new BranchCalendar { BranchId = branchId, CalendarId = calendarId.Value });
        }
        else
        {
            map.CalendarId = calendarId.Value;
        }

        await db.SaveChangesAsync(ct);
        return (await BranchCalendarsAsync(ct)).Single(b => b.BranchId == branchId);
    }

    /// <summary>The stored calendar <paramref name="calendarId"/> as a <see cref="BusinessCalendar"/>, or null when it does not exist.</summary>
    public async Task<CalendarSnapshot?> GetAsync(long calendarId, CancellationToken ct = default)
    {
        var version = await db.Set<SlaCalendar>().AsNoTracking().Where(c => c.Id == calendarId).Select(c => (int?)c.Version).SingleOrDefaultAsync(ct);
        return version is null ? null : await GetAsync(calendarId, version.Value, ct);
    }

    private async Task<CalendarSnapshot> GetAsync(long calendarId, int version, CancellationToken ct)
    {
        if (cache.Find(calendarId, version) is { } cached)
        {
            return cached;
        }

        var calendar = await db.Set<SlaCalendar>().AsNoTracking().Include(c => c.Days).Include(c => c.HolidayYears).AsSplitQuery().SingleAsync(c => c.Id == calendarId, ct);
        var snapshot = new CalendarSnapshot(calendar.Id, calendar.Version, calendar.Name, calendar.NameEn, Build(calendar));
        cache.Store(snapshot);
        return snapshot;
    }

    /// <summary>The calendar of a branch: its own (<c>sla_branch_calendars</c>) or else the institution default; null when there is neither.</summary>
    public async Task<CalendarSnapshot?> GetForBranchAsync(long branchId, CancellationToken ct = default)
    {
        // One query for which calendar and its version; the built calendar comes from the cache when the version matches.
        var chosen = await db.Set<SlaCalendar>().AsNoTracking()
            .Where(c => c.Id == (db.Set<BranchCalendar>().Where(m => m.BranchId == branchId).Select(m => (long?)m.CalendarId).FirstOrDefault()
                ?? db.Set<SlaCalendar>().Where(d => d.IsDefault).OrderBy(d => d.Id).Select(d => (long?)d.Id).FirstOrDefault()))
            .Select(c => new { c.Id, c.Version }).SingleOrDefaultAsync(ct);
        return chosen is null ? null : await GetAsync(chosen.Id, chosen.Version, ct);
    }

    /// <summary>The institution default calendar, or null when no calendar exists.</summary>
    public async Task<CalendarSnapshot?> GetDefaultAsync(CancellationToken ct = default)
    {
        var id = await db.Set<SlaCalendar>().AsNoTracking().Where(c => c.IsDefault).OrderBy(c => c.Id).Select(c => (long?)c.Id).FirstOrDefaultAsync(ct);
        return id is { } found ? await GetAsync(found, ct) : null;
    }

    internal static BusinessCalendar Build(SlaCalendar calendar) => BusinessCalendar.Create(
        calendar.TimeZone,
        CalendarDefinitions.ParseWeekly(calendar.WeeklyHours),
        calendar.Days.Where(d => d.Kind == SlaCalendarDayKind.Holiday).Select(HolidayOf),
        calendar.Days.Where(d => d.Kind == SlaCalendarDayKind.MakeUpWorkingDay)
            .Select(MakeUpOf),
        calendar.HolidayYears.Select(y => y.Year));

    internal static Holiday HolidayOf(SlaCalendarDay d) => new(LocalDate.FromDateOnly(d.Date), d.Name, d.NameEn);

    internal static MakeUpWorkingDay MakeUpOf(SlaCalendarDay d) => new(LocalDate.FromDateOnly(d.Date), d.WorksLike ?? IsoDayOfWeek.Monday, d.Name, d.NameEn);

    private async Task<Error?> ApplyAsync(SlaCalendar calendar, CalendarSaveInput input, bool replaceDays, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 200)
        {
            errors["name"] = ["A name of 1–200 characters is required. 名称必填，最多 200 字。"];
        }
        else if (await db.Set<SlaCalendar>().AnyAsync(c => c.Name == name && c.Id != calendar.Id, ct))
        {
            errors["name"] = ["Another calendar has that name. 已有同名日历。"];
        }

        var nameEn = input.NameEn?.Trim() ?? "";
        if (nameEn.Length is 0 or > 200)
        {
            errors["nameEn"] = ["An English name of 1–200 characters is required. 英文名称必填，最多 200 字。"];
        }
        else if (await db.Set<SlaCalendar>().AnyAsync(c => c.NameEn == nameEn && c.Id != calendar.Id, ct))
        {
            errors["nameEn"] = ["Another calendar has that English name. 已有同英文名的日历。"];
        }

        var zone = CalendarDefinitions.ValidateZone(input.TimeZone, "timeZone", errors);
        var weekly = CalendarDefinitions.ValidateWeekly(input.WeeklyPeriods, "weeklyPeriods", errors);
        List<Holiday>? holidays;
        List<MakeUpWorkingDay>? makeUps;
        if (replaceDays)
        {
            holidays = CalendarDefinitions.ValidateHolidays(input.Holidays, "holidays", errors);
            makeUps = CalendarDefinitions.ValidateMakeUps(input.MakeUpWorkingDays, "makeUpWorkingDays", errors);
        }
        else
        {
            holidays = [.. calendar.Days.Where(d => d.Kind == SlaCalendarDayKind.Holiday).Select(HolidayOf)];
            makeUps = [.. calendar.Days.Where(d => d.Kind == SlaCalendarDayKind.MakeUpWorkingDay)
                .Select(MakeUpOf)];
        }

        var years = input.HolidayYears is null ? null : CalendarDefinitions.ValidateYears(input.HolidayYears, "holidayYears", errors);
        if (zone is not null && weekly is not null && holidays is not null && makeUps is not null)
        {
            CalendarDefinitions.TryCreate(zone, weekly, holidays, makeUps, replaceDays ? "makeUpWorkingDays" : "weeklyPeriods", errors);
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        calendar.Name = name;
        calendar.NameEn = nameEn;
        calendar.TimeZone = zone!.Id;
        calendar.WeeklyHours = CalendarDefinitions.FormatWeekly(weekly!);
        if (replaceDays)
        {
            SetDays(calendar, holidays!, makeUps!);
        }

        if (years is not null)
        {
            SetYears(calendar, years);
        }

        return null;
    }

    private static readonly UniqueIndex OneDayPerDate = new("sla_calendar_days", "ix_sla_calendar_days_calendar_id_date", "calendar_id", "date");
    private static readonly UniqueIndex OneRowPerYear = new("sla_calendar_years", "ix_sla_calendar_years_calendar_id_year", "calendar_id", "year");

    private async Task<Outcome<CalendarDto>> SaveAsync(SlaCalendar calendar, CancellationToken ct)
    {
        db.Entry(calendar).Property(c => c.Version).IsModified = true;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (OneDayPerDate.IsViolatedBy(e) || OneRowPerYear.IsViolatedBy(e))
        {
            // Someone added the same date (or year) at the same moment, and their save reached the row first: the same
            // answer as for the calendar's version having moved on (the order of the two statements decides which is seen).
            return Problems.StaleVersion();
        }

        return (await FindAsync(calendar.Id, ct))!;
    }

    private Task<SlaCalendar?> LoadForChangeAsync(long id, CancellationToken ct) =>
        db.Set<SlaCalendar>().Include(c => c.Days).Include(c => c.HolidayYears).AsSplitQuery().SingleOrDefaultAsync(c => c.Id == id, ct);

    private async Task ClearOtherDefaultsAsync(long? keep, CancellationToken ct)
    {
        foreach (var other in await db.Set<SlaCalendar>().Where(c => c.IsDefault && c.Id != (keep ?? 0)).ToListAsync(ct))
        {
            other.IsDefault = false;
        }
    }

    private ConflictError? StaleCheck(IVersioned row, int? expectedVersion)
    {
        if (expectedVersion is { } expected)
        {
            if (expected != row.Version)
            {
                return Problems.StaleVersion();
            }

            db.Entry(row).Property(nameof(IVersioned.Version)).OriginalValue = expected;
        }

        return null;
    }

    private static CalendarDto ToDto(SlaCalendar c, IReadOnlyList<string> branches) => new(
        c.Id,
        c.Name,
        c.NameEn,
        c.TimeZone,
        c.IsDefault,
        CalendarDefinitions.ToApi(CalendarDefinitions.ParseWeekly(c.WeeklyHours)),
        [.. c.Days.Where(d => d.Kind == SlaCalendarDayKind.Holiday).OrderBy(d => d.Date).Select(d => new CalendarDayDto(Iso(d.Date), d.Name, NameEn: d.NameEn))],
        [.. c.Days.Where(d => d.Kind == SlaCalendarDayKind.MakeUpWorkingDay).OrderBy(d => d.Date).Select(d => new CalendarDayDto(Iso(d.Date), d.Name, (d.WorksLike ?? IsoDayOfWeek.Monday).ToString(), d.NameEn))],
        [.. c.HolidayYears.Select(y => y.Year).Order()],
        branches,
        c.Version);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal static InvalidError Invalid(Dictionary<string, string[]> errors) => new SlaValidationFailed(errors);

    internal static InvalidError Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static CalendarNotFound NotFound() => new();
}
