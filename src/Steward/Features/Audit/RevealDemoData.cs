using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Audit;

/// <summary>
/// The demo's personal-data showings, so the access review has something to judge on the first start: compliance officers
/// (the only role that reveals) checking a few Shanghai customers in working hours on the last two weekdays, one of them
/// going through 22 customer files in one morning (flagged: more than 20 in 24 hours), and one case contact looked at late in
/// the evening (flagged: outside working hours).
/// </summary>
public static class RevealDemoData
{
    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var officers = await db.Set<Staff>().Where(s => s.Username == "compliance" || s.Username == "compliance2")
            .ToDictionaryAsync(s => s.Username, s => (s.Id, s.DisplayName), ct);
        var branch = await db.Set<Branch>().Where(b => b.Code == "SH01").Select(b => new { b.Id, b.TimeZone }).SingleOrDefaultAsync(ct);
        if (officers.Count < 2 || branch is null)
        {
            return;
        }

        var customers = await db.Set<Customer>().Where(c => c.HomeBranchId == branch.Id).OrderBy(c => c.Id).Select(c => c.Id).Take(26).ToListAsync(ct);
        var caseId = await db.Set<Case>().Where(c => c.BranchId == branch.Id).OrderByDescending(c => c.Id).Select(c => c.Id).FirstOrDefaultAsync(ct);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(branch.TimeZone) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var today = Instant.FromDateTimeOffset(now).InZone(zone).Date;
        var weekdays = Enumerable.Range(1, 7).Select(d => today.PlusDays(-d)).Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)).Take(2).ToList();
        DateTimeOffset At(LocalDate day, int hour, int minute) => day.At(new LocalTime(hour, minute)).InZoneLeniently(zone).ToDateTimeOffset().ToUniversalTime();

        var (chen, chenName) = officers["compliance"];
        var (second, secondName) = officers["compliance2"];
        var rows = new List<PersonalDataAccess>();
        // The day before yesterday's weekday: 22 files in one morning, one every 4 minutes from 09:30.
        rows.AddRange(customers.Take(22).Select((id, i) => PersonalDataAccess.Of(At(weekdays[1], 9, 30).AddMinutes(4 * i), chen, chenName, nameof(Customer), id,
            branch.Id, "客户投诉溯源核查 (page)")));
        // Yesterday's weekday: three files in working hours, and a case contact at 22:10.
        rows.AddRange(customers.Skip(22).Take(3).Select((id, i) => PersonalDataAccess.Of(At(weekdays[0], 10 + 2 * i, 15), second, secondName, nameof(Customer), id,
            branch.Id, "核实客户来电身份 (page)")));
        if (caseId > 0)
        {
            rows.Add(PersonalDataAccess.Of(At(weekdays[0], 22, 10), second, secondName, nameof(Case), caseId, branch.Id, "case-contact (page)"));
        }

        db.AddRange(rows);
        await db.SaveChangesAsync(ct);
    }
}
