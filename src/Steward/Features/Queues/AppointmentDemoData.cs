using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Queues;

/// <summary>
/// Today's and the next open day's appointments at every demo branch (decision 0050), so the staff list, the manager view and
/// the booking page's places left show on first start. Today: slots already over are checked in (their tickets served, with
/// their events) but the first, a no-show; a slot about now is checked in and waiting with appointment priority; later ones
/// booked, one cancelled (after hours: a cancel among the slots over). When today has no slot over yet (before opening, a closed day) the no-show is on the previous open
/// day. Next open day: five booked, one cancelled. Some phones are customers' (linked to the file).
/// </summary>
public static class AppointmentDemoData
{
    private static readonly string[] Names = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄婷", "周杰", "吴芳", "徐明", "孙丽"];

    public static async Task SeedAsync(StewardDbContext db, IServiceProvider services, DateTimeOffset now, CancellationToken ct)
    {
        var calendars = services.GetRequiredService<SlaClockService>();
        var protector = services.GetRequiredService<PersonalDataProtector>();
        var issuer = services.GetRequiredService<TicketIssuer>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<QueueOptions>>().Value;
        var nowInstant = Instant.FromDateTimeOffset(now);
        foreach (var branch in await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Id).ToListAsync(ct))
        {
            if (await db.Set<QueueAppointment>().AnyAsync(a => a.BranchId == branch.Id, ct))
            {
                continue;
            }

            var types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branch.Id && s.IsActive).OrderBy(s => s.SortOrder).Take(2).ToListAsync(ct);
            var counter = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.BranchId == branch.Id).OrderBy(c => c.Number).Skip(1).FirstOrDefaultAsync(ct);
            if (types.Count == 0 || counter is null)
            {
                continue;
            }

            // The agent who cancelled one of today's bookings for a customer who rang (the counter list shows the reason).
            var agent = await db.Set<Staff>().AsNoTracking().Where(s => s.HomeBranchId == branch.Id && s.Roles.Any(r => r.Role == StaffRole.Agent))
                .OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            var rang = branch.TimeZone == "Europe/London" ? "The customer rang to move it to next week" : "客户来电，改约下周办理";
            var phones = (await db.Set<Customer>().AsNoTracking().Where(c => c.HomeBranchId == branch.Id && c.PhoneCipher != null).OrderBy(c => c.Id).Take(4)
                .Select(c => new { c.Id, c.PhoneCipher }).ToListAsync(ct)).Select(c => (c.Id, Phone: protector.Decrypt(c.PhoneCipher)!)).ToList();
            var calendar = (await calendars.CalendarForBranchAsync(branch.Id, ct)).Calendar;
            var today = nowInstant.InZone(calendar.Zone).Date;
            var next = Enumerable.Range(1, 30).Select(today.PlusDays).FirstOrDefault(calendar.IsWorkingDay);
            var previous = Enumerable.Range(1, 30).Select(i => today.PlusDays(-i)).FirstOrDefault(calendar.IsWorkingDay);
            var n = 0;

            QueueAppointment New(QueueServiceType type, LocalDate day, Interval slot, AppointmentStatus status)
            {
                var phone = n < phones.Count ? phones[n].Phone : "139" + (10000000 + (branch.Id * 1000) + n).ToString("00000000", CultureInfo.InvariantCulture);
                var a = new QueueAppointment
                {
                    BranchId = branch.Id, ServiceTypeId = type.Id, Reference = Appointments.NewReference(), TokenHash = Appointments.Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))),
                    CustomerName = Names[(int)((branch.Id + n) % Names.Length)], PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone),
                    CustomerId = n < phones.Count ? phones[n].Id : null, Language = "zh-CN", BusinessDate = day.ToDateOnly(), SlotStart = slot.Start.ToDateTimeOffset(),
                    SlotEnd = slot.End.ToDateTimeOffset(), Status = status,
                };
                n++;
                return a;
            }

            var slotsToday = AppointmentSlots.For(calendar, today, options.AppointmentSlotMinutes);
            var over = slotsToday.Where(s => s.Start + Duration.FromMinutes(options.AppointmentGraceMinutes) < nowInstant).ToList();
            var coming = slotsToday.Where(s => s.Start > nowInstant).ToList();
            var current = slotsToday.FirstOrDefault(s => s.Start - Duration.FromMinutes(options.AppointmentEarlyMinutes) <= nowInstant && s.Start + Duration.FromMinutes(options.AppointmentGraceMinutes) >= nowInstant);

            // The no-show: the first slot over today, else the last slot of the previous open day.
            var noShowSlot = over.Count > 0 ? over[0] : AppointmentSlots.For(calendar, previous, options.AppointmentSlotMinutes).LastOrDefault();
            if (noShowSlot != default)
            {
                var missed = New(types[0], over.Count > 0 ? today : previous, noShowSlot, AppointmentStatus.NoShow);
                missed.NoShowAt = noShowSlot.Start.ToDateTimeOffset().AddMinutes(options.AppointmentGraceMinutes + 1);
                missed.ReminderSentAt = noShowSlot.Start.ToDateTimeOffset().AddMinutes(-options.AppointmentReminderLeadMinutes);
                db.Add(missed);
            }

            // Up to three slots over today: checked in 5 minutes before, called at the start, served 12 minutes.
            foreach (var (slot, i) in over.Skip(1).Where((_, i) => i % 2 == 0).Take(3).Select((s, i) => (s, i)))
            {
                var type = types[i % types.Count];
                var a = New(type, today, slot, AppointmentStatus.CheckedIn);
                var checkedIn = slot.Start.ToDateTimeOffset().AddMinutes(-5);
                a.CheckedInAt = checkedIn;
                a.ReminderSentAt = slot.Start.ToDateTimeOffset().AddMinutes(-options.AppointmentReminderLeadMinutes);
                db.Add(a);
                await db.SaveChangesAsync(ct);
                var ticket = await issuer.AddTicketAsync(type, QueuePriority.Appointment, a.CustomerId, checkedIn, today.ToDateOnly(), null, a.Id, ct);
                var called = slot.Start.ToDateTimeOffset();
                ticket.Status = TicketStatus.Finished;
                ticket.Outcome = TicketOutcome.Completed;
                ticket.CounterId = counter.Id;
                ticket.CallCount = 1;
                ticket.CalledAt = called;
                ticket.EndedAt = called.AddMinutes(13);
                db.AddRange(
                    new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.Called, At = called, CounterId = counter.Id, ServiceTypeId = type.Id },
                    new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.Serving, At = called.AddMinutes(1), CounterId = counter.Id, ServiceTypeId = type.Id },
                    new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.Finished, At = called.AddMinutes(13), CounterId = counter.Id, ServiceTypeId = type.Id, Outcome = TicketOutcome.Completed });
                a.TicketId = ticket.Id;
                await db.SaveChangesAsync(ct);
            }

            // A slot about now: checked in a few minutes ago, waiting with appointment priority (the counter page shows it).
            if (current != default)
            {
                var a = New(types[0], today, current, AppointmentStatus.CheckedIn);
                var checkedIn = Instant.Max(current.Start - Duration.FromMinutes(options.AppointmentEarlyMinutes), nowInstant - Duration.FromMinutes(3)).ToDateTimeOffset();
                a.CheckedInAt = checkedIn;
                db.Add(a);
                await db.SaveChangesAsync(ct);
                a.TicketId = (await issuer.AddTicketAsync(types[0], QueuePriority.Appointment, a.CustomerId, checkedIn, today.ToDateOnly(), null, a.Id, ct)).Id;
                await db.SaveChangesAsync(ct);
            }

            // Later today: booked (the first two share a slot: it shows "full" on the booking page), one cancelled.
            foreach (var (slot, i) in coming.Take(4).Select((s, i) => (s, i)))
            {
                var a = New(types[i % types.Count], today, slot, AppointmentStatus.Booked);
                db.Add(i == 3 ? Cancel(a, now, agent, rang) : a);
                if (i == 0)
                {
                    db.Add(New(types[0], today, slot, AppointmentStatus.Booked));
                }
            }

            // After hours (nothing coming today): one of the day's bookings was cancelled, so today shows a cancel too.
            if (coming.Count == 0 && over.Count > 1)
            {
                db.Add(Cancel(New(types[^1], today, over[1], AppointmentStatus.Booked), over[1].Start.ToDateTimeOffset().AddHours(-3)));
            }

            // The next open day: five booked across the morning and afternoon, one cancelled.
            var slotsNext = AppointmentSlots.For(calendar, next, options.AppointmentSlotMinutes);
            foreach (var (slot, i) in slotsNext.Where((_, i) => i % 3 == 0).Take(6).Select((s, i) => (s, i)))
            {
                var a = New(types[i % types.Count], next, slot, i == 4 ? AppointmentStatus.Cancelled : AppointmentStatus.Booked);
                db.Add(i == 4 ? Cancel(a, now) : a);
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private static QueueAppointment Cancel(QueueAppointment a, DateTimeOffset now, long? byStaff = null, string? reason = null)
    {
        a.Status = AppointmentStatus.Cancelled;
        a.CancelledAt = now;
        (a.CancelledByStaffId, a.CancelReason) = byStaff is null ? (null, null) : (byStaff, reason);
        return a;
    }
}
