using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Audit;

/// <summary>Why a showing of personal data deserves a second look (issue 18, the personal-data access review).</summary>
public enum RevealFlag
{
    /// <summary>The person had shown the data of more than <see cref="RevealReview.ManySubjects"/> different customers or cases in the 24 hours up to it.</summary>
    ManySubjects,

    /// <summary>Outside the working day of the data's branch calendar (before its first period, after its last, rest days and holidays; not a lunch break).</summary>
    OutsideWorkingHours,

    /// <summary>The data belongs to a branch the person does not work in (home or extra branch); institution-wide roles are not flagged.</summary>
    OutsideOwnBranches,
}

public sealed record RevealDto(long Id, DateTimeOffset OccurredAt, long? StaffId, string StaffName, string SubjectType, long SubjectId, long? BranchId,
    string? BranchTimeZone, string Purpose, IReadOnlyList<RevealFlag> Flags);

/// <summary>Per person over the period: how many showings, of how many different subjects, how many flagged.</summary>
public sealed record RevealerDto(long? StaffId, string StaffName, int Reveals, int Subjects, int Flagged);

public sealed record RevealReviewDto(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<RevealerDto> People, IReadOnlyList<RevealDto> Items, bool Capped);

/// <summary>
/// Compliance's review of who was shown which customer's personal data, when and why (the <see cref="PersonalDataAccess"/>
/// log every reveal writes), with the patterns worth a look flagged: one person revealing many subjects, reveals outside the
/// branch's working hours (its business calendar), and reveals of data of a branch the person does not work in.
/// </summary>
public sealed class RevealReview(StewardDbContext db, SlaClockService clocks)
{
    /// <summary>More distinct subjects than this in 24 hours flags the showing that passes it, and every later one in the window.</summary>
    public const int ManySubjects = 20;

    public const int MaxItems = 5000;

    /// <summary>
    /// Within the branch's working day: from its first working period's start to its last one's end, so a lunch break is not
    /// "outside hours"; a rest day or holiday has none.
    /// </summary>
    private static bool WithinWorkingDay(Sla.Deadlines.BusinessCalendar calendar, Instant at)
    {
        var periods = calendar.GetWorkingPeriods(at.InZone(calendar.Zone).Date);
        return periods.Count > 0 && at >= periods[0].Start && at < periods[^1].End;
    }

    /// <summary>The longest period one review covers.</summary>
    public const int MaxDays = 92;

    /// <summary>The period [from, to) checked: to after from, at most <see cref="MaxDays"/> days; the 30 days up to now when neither is given.</summary>
    public static Outcome<(DateTimeOffset From, DateTimeOffset To)> Period(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now)
    {
        var end = to ?? now;
        var start = from ?? end.AddDays(-30);
        if (end <= start)
        {
            return Problems.Invalid("to", "The end comes after the start. 结束时间须晚于开始时间。");
        }

        return (end - start).TotalDays > MaxDays
            ? Problems.Invalid("from", "At most 92 days at a time. 每次最多查看 92 天。")
            : (start, end);
    }

    public async Task<RevealReviewDto> ReviewAsync(DateTimeOffset from, DateTimeOffset to, bool flaggedOnly, CancellationToken ct = default)
    {
        // The 24 hours before the period count towards "many subjects" too, so its first hours are judged like the others.
        var rows = await db.Set<PersonalDataAccess>().AsNoTracking()
            .Where(a => a.OccurredAt >= from.AddDays(-1) && a.OccurredAt < to)
            .OrderBy(a => a.OccurredAt).ThenBy(a => a.Id).Take(MaxItems + 1).ToListAsync(ct);
        var capped = rows.Count > MaxItems;
        rows = [.. rows.Take(MaxItems)];

        var staffIds = rows.Where(r => r.StaffId != null).Select(r => r.StaffId!.Value).Distinct().ToList();
        var staff = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id))
            .Select(s => new { s.Id, s.HomeBranchId, Extra = s.ExtraBranches.Select(b => b.BranchId).ToList(), Roles = s.Roles.Select(r => r.Role).ToList() })
            .ToDictionaryAsync(s => s.Id, ct);
        var branchIds = rows.Where(r => r.BranchId != null).Select(r => r.BranchId!.Value).Distinct().ToList();
        var zones = await db.Set<Organisation.Branch>().AsNoTracking().Where(b => branchIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, b => b.TimeZone, ct);
        var calendars = new Dictionary<long, Sla.Deadlines.BusinessCalendar>();
        foreach (var id in branchIds)
        {
            calendars[id] = (await clocks.CalendarForBranchAsync(id, ct)).Calendar;
        }

        var items = new List<RevealDto>();
        var recent = new Dictionary<long, Queue<(DateTimeOffset At, string Subject)>>();
        foreach (var r in rows)
        {
            var flags = new List<RevealFlag>();
            if (r.StaffId is { } who)
            {
                var window = recent.TryGetValue(who, out var q) ? q : recent[who] = new Queue<(DateTimeOffset, string)>();
                window.Enqueue((r.OccurredAt, r.SubjectType + ":" + r.SubjectId));
                while (window.Peek().At <= r.OccurredAt.AddDays(-1))
                {
                    window.Dequeue();
                }

                if (window.Select(w => w.Subject).Distinct().Count() > ManySubjects)
                {
                    flags.Add(RevealFlag.ManySubjects);
                }

                if (r.BranchId is { } branch && staff.TryGetValue(who, out var s)
                    && !s.Roles.Any(RolePermissions.HasInstitutionScope) && s.HomeBranchId != branch && !s.Extra.Contains(branch))
                {
                    flags.Add(RevealFlag.OutsideOwnBranches);
                }
            }

            if (r.BranchId is { } b && calendars.TryGetValue(b, out var calendar) && !WithinWorkingDay(calendar, Instant.FromDateTimeOffset(r.OccurredAt)))
            {
                flags.Add(RevealFlag.OutsideWorkingHours);
            }

            if (r.OccurredAt >= from)
            {
                items.Add(new RevealDto(r.Id, r.OccurredAt, r.StaffId, r.StaffName, r.SubjectType, r.SubjectId, r.BranchId,
                    r.BranchId is { } z ? zones.GetValueOrDefault(z) : null, r.Purpose, flags));
            }
        }

        var people = items.GroupBy(i => (i.StaffId, i.StaffName))
            .Select(g => new RevealerDto(g.Key.StaffId, g.Key.StaffName, g.Count(), g.Select(i => (i.SubjectType, i.SubjectId)).Distinct().Count(), g.Count(i => i.Flags.Count > 0)))
            .OrderByDescending(p => p.Flagged).ThenByDescending(p => p.Subjects).ThenBy(p => p.StaffName, StringComparer.Ordinal).ToList();
        var shown = flaggedOnly ? items.Where(i => i.Flags.Count > 0) : items;
        return new RevealReviewDto(from, to, people, [.. shown.OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id)], capped);
    }
}
