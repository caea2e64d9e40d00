using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Queues;

/// <summary>What one pass of the appointment job did.</summary>
public sealed record AppointmentSweepResult(int Reminders, int NoShows);

/// <summary>Runs <see cref="AppointmentSweeper"/> every <see cref="QueueOptions.AppointmentJobIntervalSeconds"/> on every node.</summary>
public sealed class AppointmentJob(IOptions<QueueOptions> options) : IPeriodicJob
{
    public const string JobName = "queue-appointments";

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromSeconds(options.Value.AppointmentJobIntervalSeconds);

    public Task RunAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<AppointmentSweeper>().RunAsync(cancellationToken);
}

/// <summary>
/// Sends each booked appointment's reminder once, <see cref="QueueOptions.AppointmentReminderLeadMinutes"/> before its start (or
/// at the next pass when it was booked later than that, as long as it has not begun), as an SMS in the outbox — the path survey
/// invitations take; this deployment has no SMS gateway, so <see cref="LoggingOutboxSender"/> logs it. Marks a no-show every
/// booking not checked in by the end of its grace. Each change is one audited save carrying the row's version: when two nodes
/// sweep at once, one save wins and the other's is refused (a concurrency conflict), so a reminder is sent exactly once.
/// </summary>
public sealed class AppointmentSweeper(
    StewardDbContext db, NotificationService notifications, PersonalDataProtector protector, IOptions<QueueOptions> options, TimeProvider time, ILogger<AppointmentSweeper> logger)
{
    private const int Batch = 200;

    public async Task<AppointmentSweepResult> RunAsync(CancellationToken ct = default)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var remindBefore = now.AddMinutes(o.AppointmentReminderLeadMinutes);
        var due = await db.Set<QueueAppointment>()
            .Where(a => a.Status == AppointmentStatus.Booked && a.ReminderSentAt == null && a.SlotStart <= remindBefore && a.SlotStart > now)
            .OrderBy(a => a.SlotStart).Select(a => a.Id).Take(Batch).ToListAsync(ct);
        var reminders = 0;
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var a = await db.Set<QueueAppointment>().SingleAsync(x => x.Id == id, ct);
            var phone = protector.Decrypt(a.PhoneCipher);
            if (!string.IsNullOrWhiteSpace(phone))
            {
                var (subject, body) = await ReminderAsync(a, ct);
                notifications.Send(OutboxChannel.Sms, phone, subject, body);
            }

            a.ReminderSentAt = now;
            reminders += await SaveAsync(a, ct);
        }

        var noShowBefore = now.AddMinutes(-o.AppointmentGraceMinutes);
        var missed = await db.Set<QueueAppointment>().Where(a => a.Status == AppointmentStatus.Booked && a.SlotStart < noShowBefore)
            .OrderBy(a => a.SlotStart).Select(a => a.Id).Take(Batch).ToListAsync(ct);
        var noShows = 0;
        foreach (var id in missed)
        {
            db.ChangeTracker.Clear();
            var a = await db.Set<QueueAppointment>().SingleAsync(x => x.Id == id, ct);
            a.Status = AppointmentStatus.NoShow;
            a.NoShowAt = now;
            noShows += await SaveAsync(a, ct);
        }

        return new AppointmentSweepResult(reminders, noShows);
    }

    private async Task<int> SaveAsync(QueueAppointment a, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return 1;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node (or a check-in) changed it first: its change stands, ours (and its outbox message) is dropped.
            logger.LogInformation("Appointment {Id} changed meanwhile; skipped", a.Id);
            db.ChangeTracker.Clear();
            return 0;
        }
    }

    private async Task<(string Subject, string Body)> ReminderAsync(QueueAppointment a, CancellationToken ct)
    {
        var branch = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == a.BranchId).Select(b => new { b.Name, b.NameEn, b.TimeZone }).SingleAsync(ct);
        var type = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.Id == a.ServiceTypeId).Select(s => new { s.Name, s.NameEn }).SingleAsync(ct);
        var at = QueueText.Local(a.SlotStart, branch.TimeZone, "yyyy-MM-dd HH:mm");
        var from = QueueText.Local(a.SlotStart.AddMinutes(-options.Value.AppointmentEarlyMinutes), branch.TimeZone);
        var until = QueueText.Local(a.SlotStart.AddMinutes(options.Value.AppointmentGraceMinutes), branch.TimeZone);
        return a.Language == Cultures.English
            ? ("Appointment reminder", $"Steward Bank: your appointment for {QueueText.For(type.Name, type.NameEn, "en")} at {QueueText.For(branch.Name, branch.NameEn, "en")} is at {at} (ref. {a.Reference}). Check in at the kiosk from {from} to {until}.")
            : ("预约提醒", $"【斯图尔德银行】您预约的{type.Name}（{branch.Name}）在 {at}，预约号 {a.Reference}。请于 {from}–{until} 在网点取号机签到。");
    }
}
