using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

/// <summary>Bound from <c>Qualifications:Reminders</c>.</summary>
public sealed class QualificationReminderOptions
{
    public const string Section = "Qualifications:Reminders";

    /// <summary>How often each node looks (minutes); a daily check in effect, run more often so that a restarted node gets to it.</summary>
    [Range(1, 1440)]
    public int IntervalMinutes { get; set; } = 60;
}

/// <summary>
/// Tells a staff member, their team lead(s) and their branch's manager(s) (in-app notification) that a certificate expires:
/// 90, 60, 30 and 7 days before its expiry day, in the home branch's local dates, each once. A certificate that first comes
/// into view late (added with 20 days to go) gets only the reminder of the window it is in (30), not the ones it missed.
/// Once across nodes: the row in <c>qualification_reminders</c> (unique per certificate, expiry date and threshold) is saved
/// in the same transaction as the notifications; a node that finds it there already raises nothing. A renewed certificate
/// (a new expiry date) is reminded again.
/// </summary>
public sealed class QualificationReminders(StewardDbContext db, NotificationService notifications, TimeProvider time)
{
    public const string Kind = "qualification.expiring";

    /// <summary>The periodic job that runs <see cref="RunAsync"/> every <see cref="QualificationReminderOptions.IntervalMinutes"/> on every node.</summary>
    public const string JobName = "qualification-reminders";

    /// <summary>The thresholds, nearest first.</summary>
    public static readonly int[] DaysBefore = [7, 30, 60, 90];

    /// <summary>The threshold whose window <paramref name="daysLeft"/> is in (7 for 0–7 days, 30 for 8–30, …), or null (expired, or more than 90 days).</summary>
    public static int? ThresholdFor(int daysLeft) => daysLeft < 0 ? null : DaysBefore.Where(d => daysLeft <= d).Cast<int?>().FirstOrDefault();

    /// <summary>One pass; returns the number of reminders this node raised.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var utcToday = DateOnly.FromDateTime(now.UtcDateTime);
        var from = utcToday.AddDays(-1);
        var to = utcToday.AddDays(DaysBefore[^1] + 1);
        var due = await db.Set<StaffQualification>().AsNoTracking()
            .Where(q => q.ExpiresOn != null && q.ExpiresOn >= from && q.ExpiresOn <= to)
            .Join(db.Set<Staff>().Where(s => s.IsActive), q => q.StaffId, s => s.Id, (q, s) => new { q, s.DisplayName, s.HomeBranchId, s.TeamId })
            .Join(db.Set<Branch>(), x => x.HomeBranchId, b => b.Id, (x, b) => new { x.q, x.DisplayName, x.HomeBranchId, x.TeamId, b.TimeZone })
            .Join(db.Set<QualificationType>(), x => x.q.QualificationTypeId, t => t.Id, (x, t) => new { x.q, x.DisplayName, x.HomeBranchId, x.TeamId, x.TimeZone, t.Name, t.NameEn })
            .OrderBy(x => x.q.Id).ToListAsync(ct);
        var raised = 0;
        foreach (var x in due)
        {
            var expires = x.q.ExpiresOn!.Value;
            var left = expires.DayNumber - QualificationRegistry.LocalDate(now, x.TimeZone).DayNumber;
            if (ThresholdFor(left) is not { } threshold
                || await db.Set<QualificationReminder>().AnyAsync(r => r.StaffQualificationId == x.q.Id && r.ExpiresOn == expires && r.DaysBefore == threshold, ct))
            {
                continue;
            }

            var recipients = await RecipientsAsync(x.q.StaffId, x.HomeBranchId, x.TeamId, ct);
            var date = expires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var days = left.ToString(CultureInfo.InvariantCulture);
            db.Add(new QualificationReminder { StaffQualificationId = x.q.Id, ExpiresOn = expires, DaysBefore = threshold, RaisedAt = now });
            notifications.Raise(
                recipients,
                Kind,
                string.Format(CultureInfo.InvariantCulture, ExplanationText.Text("zh-CN", "qual.reminder"), x.DisplayName, x.Name, x.q.CertificateNumber, date, days),
                string.Format(CultureInfo.InvariantCulture, ExplanationText.Text("en", "qual.reminder"), x.DisplayName, x.NameEn, x.q.CertificateNumber, date, days),
                "/Qualifications/Staff?id=" + x.q.StaffId.ToString(CultureInfo.InvariantCulture));
            if (await ClaimAsync(x.q.Id, expires, threshold, ct))
            {
                raised++;
            }
        }

        return raised;
    }

    /// <summary>The staff member, the team leads of their team and the branch managers of their home branch (active ones).</summary>
    private async Task<List<long>> RecipientsAsync(long staffId, long branchId, long? teamId, CancellationToken ct)
    {
        var managers = await db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && s.Id != staffId && (
                (teamId != null && s.TeamId == teamId && s.Roles.Any(r => r.Role == StaffRole.TeamLead))
                || (s.Roles.Any(r => r.Role == StaffRole.BranchManager) && (s.HomeBranchId == branchId || s.ExtraBranches.Any(b => b.BranchId == branchId)))))
            .OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(ct);
        return [staffId, .. managers];
    }

    private async Task<bool> ClaimAsync(long certificateId, DateOnly expires, int threshold, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            return true;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Set<QualificationReminder>().AnyAsync(r => r.StaffQualificationId == certificateId && r.ExpiresOn == expires && r.DaysBefore == threshold, ct))
            {
                // Another node sent this reminder first; its notifications stand, these are dropped.
                return false;
            }

            throw;
        }
    }
}
