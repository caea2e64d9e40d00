using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Features.Sla.Deadlines;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Queues;

/// <summary>
/// The slots of a branch day: consecutive slots of <c>minutes</c> from the start of each opening period of the branch calendar,
/// each wholly inside it (a 09:00–12:00 period with 30-minute slots: 09:00 … 11:30; a 20-minute rest is not a slot). None on
/// a holiday or a rest day; a make-up working day has the slots of the weekday it works like. A pure function.
/// </summary>
public static class AppointmentSlots
{
    public static IReadOnlyList<Interval> For(BusinessCalendar calendar, LocalDate date, int minutes)
    {
        var length = Duration.FromMinutes(minutes);
        var slots = new List<Interval>();
        foreach (var period in calendar.GetWorkingPeriods(date))
        {
            for (var start = period.Start; start + length <= period.End; start += length)
            {
                slots.Add(new Interval(start, start + length));
            }
        }

        return slots;
    }
}

/// <summary>
/// Appointments (decision 0050): slots computed from the branch calendar, bookings as rows. A booking takes its slot's lock
/// row (an atomic upsert) inside its transaction and then counts the places, so two bookings racing for the last place are
/// one at a time on both databases and exactly one wins. Check-in within the window (early margin … grace) issues a ticket
/// of the service type with <see cref="QueuePriority.Appointment"/>; later, a walk-in ticket in normal order (Late).
/// </summary>
public sealed class Appointments(
    StewardDbContext db, SlaClockService calendars, PersonalDataProtector protector, TicketIssuer issuer, WaitEstimator estimator, QueueNotifier notifier,
    NotificationService notifications, CurrentUser user, IOptions<QueueOptions> options, TimeProvider time)
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private const string ReferenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    private QueueOptions Options => options.Value;

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public int SlotMinutes(QueueServiceType type) => type.AppointmentSlotMinutes ?? Options.AppointmentSlotMinutes;

    public int Capacity(QueueServiceType type) => type.AppointmentCapacity ?? Options.AppointmentCapacity;

    /// <summary>The branch's local today.</summary>
    public async Task<LocalDate> TodayAsync(long branchId, CancellationToken ct)
    {
        var calendar = (await calendars.CalendarForBranchAsync(branchId, ct)).Calendar;
        return Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(calendar.Zone).Date;
    }

    /// <summary>The days a customer may book, today first (open days only).</summary>
    public async Task<IReadOnlyList<LocalDate>> BookableDaysAsync(long branchId, CancellationToken ct)
    {
        var calendar = (await calendars.CalendarForBranchAsync(branchId, ct)).Calendar;
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(calendar.Zone).Date;
        return Enumerable.Range(0, Options.AppointmentBookAheadDays + 1).Select(today.PlusDays).Where(calendar.IsWorkingDay).ToList();
    }

    public async Task<Outcome<AppointmentSlotsDto>> SlotsAsync(long branchId, long? serviceTypeId, string? date, CancellationToken ct = default)
    {
        var type = serviceTypeId is { } id ? await TypeAsync(branchId, id, ct) : null;
        if (type is null)
        {
            return serviceTypeId is { } unknown ? new ServiceTypeNotFound(unknown)
                : new QueueInvalid(new Dictionary<string, string[]> { ["serviceTypeId"] = ["Choose a service. 请选择业务类型。"] });
        }

        var calendar = (await calendars.CalendarForBranchAsync(branchId, ct)).Calendar;
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(calendar.Zone).Date;
        var day = today;
        if (!string.IsNullOrWhiteSpace(date))
        {
            var parsed = DatePattern.Parse(date.Trim());
            if (!parsed.Success)
            {
                return new QueueInvalid(new Dictionary<string, string[]> { ["date"] = ["Enter the date as yyyy-MM-dd. 日期格式应为“年-月-日”，如 2026-12-08。"] });
            }

            day = parsed.Value;
        }

        var slots = await SlotListAsync(type, calendar, day, ct);
        return new AppointmentSlotsDto(branchId, type.Id, DatePattern.Format(day), calendar.IsWorkingDay(day), slots);
    }

    private async Task<IReadOnlyList<AppointmentSlotDto>> SlotListAsync(QueueServiceType type, BusinessCalendar calendar, LocalDate day, CancellationToken ct)
    {
        var slots = AppointmentSlots.For(calendar, day, SlotMinutes(type));
        if (slots.Count == 0)
        {
            return [];
        }

        var from = slots[0].Start.ToDateTimeOffset();
        var to = slots[^1].Start.ToDateTimeOffset();
        var taken = (await db.Set<QueueAppointment>().AsNoTracking()
                .Where(a => a.ServiceTypeId == type.Id && a.SlotStart >= from && a.SlotStart <= to && a.Status != AppointmentStatus.Cancelled)
                .Select(a => a.SlotStart).ToListAsync(ct))
            .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var capacity = Capacity(type);
        return slots.Select(s =>
        {
            var start = s.Start.ToDateTimeOffset();
            var free = Math.Max(0, capacity - taken.GetValueOrDefault(start));
            return new AppointmentSlotDto(Local(s.Start, calendar.Zone), Local(s.End, calendar.Zone), start, s.End.ToDateTimeOffset(), capacity, free, s.Start > now && free > 0);
        }).ToList();
    }

    /// <summary>
    /// Books a place. Refused with the field named, nothing stored: a missing or unknown service type, a missing name or phone,
    /// a day in the past or beyond <see cref="QueueOptions.AppointmentBookAheadDays"/>, a closed day (holiday, rest day), a time
    /// that is not a slot of the day's opening hours, a slot that has begun; a full slot is 409 slot-full.
    /// </summary>
    public async Task<Outcome<AppointmentDto>> BookAsync(long branchId, AppointmentRequest request, CancellationToken ct = default)
    {
        var branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        if (branch is null)
        {
            return new QueueBranchNotFound(branchId);
        }

        var errors = new Dictionary<string, string[]>();
        QueueServiceType? type = null;
        if (request.ServiceTypeId is not { } typeId)
        {
            errors["serviceTypeId"] = ["Choose a service. 请选择业务类型。"];
        }
        else
        {
            type = await TypeAsync(branchId, typeId, ct);
            if (type is null)
            {
                return new ServiceTypeNotFound(typeId);
            }

            if (Capacity(type) == 0)
            {
                errors["serviceTypeId"] = ["This service takes no appointments. 该业务不接受预约。"];
            }
        }

        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            errors["name"] = [name.Length == 0 ? "Enter your name. 请填写姓名。" : "The name is at most 100 characters. 姓名最多 100 个字符。"];
        }

        var phone = request.Phone?.Trim() ?? "";
        if (phone.Length == 0)
        {
            errors["phone"] = ["Enter your phone number. 请填写手机号。"];
        }
        else if (phone.Length > 40 || !TicketIssuer.PlausiblePhone(phone))
        {
            errors["phone"] = ["Enter a phone number in digits. 请输入数字手机号。"];
        }

        var chosen = await SlotAsync(branchId, type, request.Date, request.Time, errors, ct);
        if (errors.Count > 0)
        {
            return new QueueInvalid(errors);
        }

        var customer = await issuer.IdentifyAsync(phone, ct);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var slot = chosen!.Value.Slot;
        var start = slot.Start.ToDateTimeOffset();
        var staff = StaffOf(branchId);
        var appointment = new QueueAppointment
        {
            BranchId = branchId, ServiceTypeId = type!.Id, Reference = NewReference(), TokenHash = Hash(token), CustomerName = name,
            PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone), CustomerId = customer?.Id,
            Language = LanguageOf(request.Language), BusinessDate = chosen.Value.Date.ToDateOnly(), SlotStart = start, SlotEnd = slot.End.ToDateTimeOffset(),
            Status = AppointmentStatus.Booked, BookedByStaffId = staff,
        };

        // The slot's lock row first (an upsert: the row lock on PostgreSQL, the write lock on SQLite), then the count: a
        // booking racing this one waits here and then counts this one's place.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await HasPlaceAsync(type, slot, null, ct))
        {
            await tx.RollbackAsync(ct);
            return new SlotFull(chosen.Value.Time);
        }

        db.Add(appointment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await DtoAsync(appointment, staff is not null, ct) with { Token = token };
    }

    /// <summary>
    /// The slot of <paramref name="type"/> that <paramref name="dateText"/> and <paramref name="timeText"/> name, or null with the
    /// refusal at its field in <paramref name="errors"/>: a day past or beyond <see cref="QueueOptions.AppointmentBookAheadDays"/>, a
    /// closed day, a time that is not a slot of the day's opening hours, a slot that has begun. With no type only the day is checked.
    /// </summary>
    private async Task<(Interval Slot, LocalDate Date, string Time)?> SlotAsync(
        long branchId, QueueServiceType? type, string? dateText, string? timeText, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var calendar = (await calendars.CalendarForBranchAsync(branchId, ct)).Calendar;
        var now = Instant.FromDateTimeOffset(time.GetUtcNow());
        var today = now.InZone(calendar.Zone).Date;
        var date = DatePattern.Parse(dateText?.Trim() ?? "");
        var slotTime = TimePattern.Parse(timeText?.Trim() ?? "");
        Interval? slot = null;
        if (!date.Success)
        {
            errors["date"] = ["Choose a day (yyyy-MM-dd). 请选择日期（格式：年-月-日，如 2026-12-08）。"];
        }
        else if (date.Value < today)
        {
            errors["date"] = ["This day has passed. 该日期已过。"];
        }
        else if (date.Value > today.PlusDays(Options.AppointmentBookAheadDays))
        {
            errors["date"] = [FormattableString.Invariant($"Appointments can be booked at most {Options.AppointmentBookAheadDays} days ahead. 最多可提前 {Options.AppointmentBookAheadDays} 天预约。")];
        }
        else if (!calendar.IsWorkingDay(date.Value))
        {
            errors["date"] = [$"The branch is closed on {DatePattern.Format(date.Value)} (holiday or rest day). 网点 {DatePattern.Format(date.Value)} 不营业（节假日或休息日）。"];
        }
        else if (!slotTime.Success)
        {
            errors["time"] = ["Choose a time. 请选择时段。"];
        }
        else if (type is not null)
        {
            var wanted = slotTime.Value;
            slot = AppointmentSlots.For(calendar, date.Value, SlotMinutes(type)).Where(s => s.Start.InZone(calendar.Zone).TimeOfDay == wanted).Select(s => (Interval?)s).FirstOrDefault();
            if (slot is null)
            {
                errors["time"] = [$"{TimePattern.Format(wanted)} is not a slot within the branch's opening hours that day. {TimePattern.Format(wanted)} 不是当日营业时间内的预约时段。"];
            }
            else if (slot.Value.Start <= now)
            {
                errors["time"] = [$"The slot at {TimePattern.Format(wanted)} has already begun. {TimePattern.Format(wanted)} 的时段已开始或已过。"];
            }
        }

        return slot is { } found && errors.Count == 0 ? (found, date.Value, TimePattern.Format(slotTime.Value)) : null;
    }

    /// <summary>
    /// In the caller's transaction: the slot's lock row first (an upsert: the row lock on PostgreSQL, the write lock on SQLite),
    /// then the count, so that a booking or a move racing this one waits here and then counts this one's place. True when a place
    /// is free, not counting <paramref name="except"/> (the appointment being moved).
    /// </summary>
    private async Task<bool> HasPlaceAsync(QueueServiceType type, Interval slot, long? except, CancellationToken ct)
    {
        var slotUnix = slot.Start.ToUnixTimeSeconds();
        var start = slot.Start.ToDateTimeOffset();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO queue_appointment_slot_locks (service_type_id, slot_unix, bookings) VALUES ({type.Id}, {slotUnix}, 1)
            ON CONFLICT (service_type_id, slot_unix) DO UPDATE SET bookings = queue_appointment_slot_locks.bookings + 1
            """, ct);
        var booked = await db.Set<QueueAppointment>()
            .CountAsync(a => a.ServiceTypeId == type.Id && a.SlotStart == start && a.Status != AppointmentStatus.Cancelled && a.Id != (except ?? 0), ct);
        return booked < Capacity(type);
    }

    /// <summary>Moves a booked appointment to another slot from its manage link (one request; see <see cref="MoveAsync"/>).</summary>
    public async Task<Outcome<AppointmentDto>> RescheduleAsync(string? token, AppointmentRescheduleRequest request, CancellationToken ct = default) =>
        await ByTokenAsync(token, ct) is { } a ? await MoveAsync(a, request, false, ct) : new AppointmentNotFound();

    /// <summary>Counter staff move a customer's booking to another slot; <paramref name="version"/> refuses a stale change (409).</summary>
    public async Task<Outcome<AppointmentDto>> StaffRescheduleAsync(long branchId, long appointmentId, AppointmentRescheduleRequest request, int? version, CancellationToken ct = default)
    {
        if (await StaffAccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var a = await db.Set<QueueAppointment>().SingleOrDefaultAsync(x => x.Id == appointmentId && x.BranchId == branchId, ct);
        if (a is null)
        {
            return new AppointmentNotFound();
        }

        if (version is { } expected && a.Version != expected)
        {
            return Problems.StaleVersion();
        }

        return await MoveAsync(a, request, true, ct);
    }

    /// <summary>
    /// The move, decision 0056: only a booking still to come (Booked); the new slot is checked as a booking's (the same refusals at
    /// the field, the same slot that it has already is refused at <c>time</c>) and its place counted under the new slot's lock row,
    /// so a full slot is 409 slot-full with nothing changed; the old place is free again at once (places are counted from the rows).
    /// The reminder is due again for the new time, and the customer is texted the change in the language they booked in. A check-in
    /// or cancel racing it wins or loses whole (the row's version).
    /// </summary>
    private async Task<Outcome<AppointmentDto>> MoveAsync(QueueAppointment a, AppointmentRescheduleRequest request, bool forStaff, CancellationToken ct)
    {
        if (a.Status != AppointmentStatus.Booked)
        {
            return new AppointmentWrongState(a.Reference, a.Status);
        }

        var type = await TypeAsync(a.BranchId, a.ServiceTypeId, ct);
        if (type is null)
        {
            return new ServiceTypeNotFound(a.ServiceTypeId);
        }

        var errors = new Dictionary<string, string[]>();
        var chosen = await SlotAsync(a.BranchId, type, request.Date, request.Time, errors, ct);
        if (chosen is { } same && same.Slot.Start.ToDateTimeOffset() == a.SlotStart)
        {
            errors["time"] = ["This is the appointment's time already: choose another slot. 这已是当前预约的时段，请选择其他时段。"];
        }

        if (errors.Count > 0 || chosen is not { } target)
        {
            return new QueueInvalid(errors);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await HasPlaceAsync(type, target.Slot, a.Id, ct))
        {
            await tx.RollbackAsync(ct);
            return new SlotFull(target.Time);
        }

        var from = a.SlotStart;
        a.BusinessDate = target.Date.ToDateOnly();
        a.SlotStart = target.Slot.Start.ToDateTimeOffset();
        a.SlotEnd = target.Slot.End.ToDateTimeOffset();
        a.ReminderSentAt = null;
        if (protector.Decrypt(a.PhoneCipher) is { Length: > 0 } phone)
        {
            var (subject, body) = await MovedTextAsync(a, from, ct);
            notifications.Send(OutboxChannel.Sms, phone, subject, body);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var now = await db.Set<QueueAppointment>().AsNoTracking().SingleAsync(x => x.Id == a.Id, ct);
            return new AppointmentWrongState(now.Reference, now.Status);
        }

        await tx.CommitAsync(ct);
        await notifier.ChangedAsync(a.BranchId, null, ct);
        return await DtoAsync(a, forStaff, ct);
    }

    private async Task<(string Subject, string Body)> MovedTextAsync(QueueAppointment a, DateTimeOffset from, CancellationToken ct)
    {
        var branch = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == a.BranchId).Select(b => new { b.Name, b.NameEn, b.TimeZone }).SingleAsync(ct);
        var type = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.Id == a.ServiceTypeId).Select(s => new { s.Name, s.NameEn }).SingleAsync(ct);
        var was = QueueText.Local(from, branch.TimeZone, "yyyy-MM-dd HH:mm");
        var at = QueueText.Local(a.SlotStart, branch.TimeZone, "yyyy-MM-dd HH:mm");
        return a.Language == Cultures.English
            ? ("Appointment moved", $"Steward Bank: your appointment for {QueueText.For(type.Name, type.NameEn, "en")} at {QueueText.For(branch.Name, branch.NameEn, "en")} (ref. {a.Reference}) has been moved from {was} to {at}.")
            : ("预约已改期", $"【斯图尔德银行】您预约的{type.Name}（{branch.Name}，预约号 {a.Reference}）已由 {was} 改至 {at}。");
    }

    /// <summary>The appointment behind a manage link (no sign-in); a malformed or unknown token is the same 404.</summary>
    public async Task<Outcome<AppointmentDto>> GetAsync(string? token, CancellationToken ct = default) =>
        await ByTokenAsync(token, ct) is { } a ? await DtoAsync(a, false, ct) : new AppointmentNotFound();

    /// <summary>Cancels a booked appointment from its manage link: its place is free again.</summary>
    public async Task<Outcome<AppointmentDto>> CancelAsync(string? token, CancellationToken ct = default)
    {
        var a = await ByTokenAsync(token, ct);
        if (a is null)
        {
            return new AppointmentNotFound();
        }

        if (a.Status != AppointmentStatus.Booked)
        {
            return new AppointmentWrongState(a.Reference, a.Status);
        }

        a.Status = AppointmentStatus.Cancelled;
        a.CancelledAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return await DtoAsync(a, false, ct);
    }

    /// <summary>
    /// Counter staff cancel a booking for the customer (who telephoned, or whose visit the branch cannot take): the reason is
    /// required, kept with the booking and the audit entry, and sent to the customer by text in the language they booked in.
    /// The place is free again. Only a booking still to come (Booked) can be cancelled; a check-in racing it wins or loses whole.
    /// </summary>
    public async Task<Outcome<AppointmentDto>> StaffCancelAsync(long branchId, long appointmentId, string? reason, int? version, CancellationToken ct = default)
    {
        if (await StaffAccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var a = await db.Set<QueueAppointment>().SingleOrDefaultAsync(x => x.Id == appointmentId && x.BranchId == branchId, ct);
        if (a is null)
        {
            return new AppointmentNotFound();
        }

        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why) || why.Length > 500)
        {
            return new QueueInvalid(new Dictionary<string, string[]>
            {
                ["reason"] = [string.IsNullOrEmpty(why)
                    ? "Say why the booking is cancelled; the customer is told. 请填写取消原因，系统会告知客户。"
                    : "The reason is at most 500 characters. 原因最多 500 个字符。"],
            });
        }

        if (version is { } expected && a.Version != expected)
        {
            return Problems.StaleVersion();
        }

        if (a.Status != AppointmentStatus.Booked)
        {
            return new AppointmentWrongState(a.Reference, a.Status);
        }

        a.Status = AppointmentStatus.Cancelled;
        a.CancelledAt = time.GetUtcNow();
        a.CancelledByStaffId = user.StaffId;
        a.CancelReason = why;
        if (protector.Decrypt(a.PhoneCipher) is { Length: > 0 } phone)
        {
            var (subject, body) = await CancelledTextAsync(a, why, ct);
            notifications.Send(OutboxChannel.Sms, phone, subject, body);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Checked in (or cancelled) at the same moment elsewhere: that change stands, this one (and its text) is dropped.
            db.ChangeTracker.Clear();
            var now = await db.Set<QueueAppointment>().AsNoTracking().SingleAsync(x => x.Id == appointmentId, ct);
            return new AppointmentWrongState(now.Reference, now.Status);
        }

        await notifier.ChangedAsync(a.BranchId, null, ct);
        return await DtoAsync(a, true, ct);
    }

    private async Task<(string Subject, string Body)> CancelledTextAsync(QueueAppointment a, string reason, CancellationToken ct)
    {
        var branch = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == a.BranchId).Select(b => new { b.Name, b.NameEn, b.TimeZone }).SingleAsync(ct);
        var type = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.Id == a.ServiceTypeId).Select(s => new { s.Name, s.NameEn }).SingleAsync(ct);
        var at = QueueText.Local(a.SlotStart, branch.TimeZone, "yyyy-MM-dd HH:mm");
        return a.Language == Cultures.English
            ? ("Appointment cancelled", $"Steward Bank: your appointment for {QueueText.For(type.Name, type.NameEn, "en")} at {QueueText.For(branch.Name, branch.NameEn, "en")} on {at} (ref. {a.Reference}) has been cancelled by the branch: {reason}. You are welcome to book another time.")
            : ("预约已取消", $"【斯图尔德银行】您预约的{type.Name}（{branch.Name}，{at}，预约号 {a.Reference}）已由网点取消，原因：{reason}。欢迎重新预约。");
    }

    /// <summary>A branch day's appointments for its counter staff, by slot.</summary>
    public async Task<Outcome<IReadOnlyList<AppointmentDto>>> ListAsync(long branchId, string? date, CancellationToken ct = default)
    {
        if (await StaffAccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var day = (await TodayAsync(branchId, ct)).ToDateOnly();
        if (!string.IsNullOrWhiteSpace(date))
        {
            var parsed = DatePattern.Parse(date.Trim());
            if (!parsed.Success)
            {
                return new QueueInvalid(new Dictionary<string, string[]> { ["date"] = ["Enter the date as yyyy-MM-dd. 日期格式应为“年-月-日”，如 2026-12-08。"] });
            }

            day = parsed.Value.ToDateOnly();
        }

        var list = await db.Set<QueueAppointment>().AsNoTracking().Where(a => a.BranchId == branchId && a.BusinessDate == day)
            .OrderBy(a => a.SlotStart).ThenBy(a => a.Id).ToListAsync(ct);
        var result = new List<AppointmentDto>(list.Count);
        foreach (var a in list)
        {
            result.Add(await DtoAsync(a, true, ct));
        }

        return result;
    }

    /// <summary>Counter staff check a customer in (the staff page's button).</summary>
    public async Task<Outcome<CheckInDto>> CheckInAsync(long branchId, long appointmentId, CancellationToken ct = default)
    {
        if (await StaffAccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var a = await db.Set<QueueAppointment>().SingleOrDefaultAsync(x => x.Id == appointmentId && x.BranchId == branchId, ct);
        return a is null ? new AppointmentNotFound() : await CheckInAsync(a, true, ct);
    }

    /// <summary>
    /// The kiosk's check-in (no sign-in): by reference, or by the phone booked with — today's appointment at this branch whose
    /// window is open, else the next one of the day.
    /// </summary>
    public async Task<Outcome<CheckInDto>> KioskCheckInAsync(long branchId, CheckInRequest request, CancellationToken ct = default)
    {
        var reference = request.Reference?.Trim().ToUpperInvariant() ?? "";
        var phone = request.Phone?.Trim() ?? "";
        if (reference.Length == 0 && phone.Length == 0)
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["reference"] = ["Enter the appointment reference or the phone number you booked with. 请输入预约号或预约时填写的手机号。"] });
        }

        QueueAppointment? a;
        if (reference.Length > 0)
        {
            a = reference.Length > 12 ? null : await db.Set<QueueAppointment>().SingleOrDefaultAsync(x => x.Reference == reference && x.BranchId == branchId, ct);
        }
        else
        {
            var indexes = CustomerDirectory.NumberForms(phone).Select(protector.BlindIndex).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var today = (await TodayAsync(branchId, ct)).ToDateOnly();
            var now = time.GetUtcNow();
            var open = await db.Set<QueueAppointment>()
                .Where(x => x.BranchId == branchId && x.BusinessDate == today && x.PhoneIndex != null && indexes.Contains(x.PhoneIndex)
                    && (x.Status == AppointmentStatus.Booked || x.Status == AppointmentStatus.NoShow))
                .ToListAsync(ct);
            a = open.Where(x => x.SlotStart.AddMinutes(Options.AppointmentGraceMinutes) >= now).OrderBy(x => x.SlotStart).FirstOrDefault()
                ?? open.OrderByDescending(x => x.SlotStart).FirstOrDefault();
        }

        return a is null
            ? new QueueInvalid(new Dictionary<string, string[]> { ["reference"] = ["No appointment today at this branch matches. 本网点今日没有匹配的预约。"] })
            : await CheckInAsync(a, false, ct);
    }

    private async Task<Outcome<CheckInDto>> CheckInAsync(QueueAppointment a, bool forStaff, CancellationToken ct)
    {
        if (a.Status is not (AppointmentStatus.Booked or AppointmentStatus.NoShow))
        {
            return new AppointmentWrongState(a.Reference, a.Status);
        }

        var calendar = (await calendars.CalendarForBranchAsync(a.BranchId, ct)).Calendar;
        var now = time.GetUtcNow();
        var today = Instant.FromDateTimeOffset(now).InZone(calendar.Zone).Date.ToDateOnly();
        var opens = a.SlotStart.AddMinutes(-Options.AppointmentEarlyMinutes);
        if (a.BusinessDate > today || now < opens)
        {
            return new CheckInTooEarly(a.Reference, QueueText.Local(opens, calendar.Zone.Id, a.BusinessDate == today ? "HH:mm" : "yyyy-MM-dd HH:mm"));
        }

        if (a.BusinessDate < today)
        {
            return new AppointmentWrongState(a.Reference, a.Status);
        }

        var late = now > a.SlotStart.AddMinutes(Options.AppointmentGraceMinutes);
        var type = await db.Set<QueueServiceType>().AsNoTracking().SingleAsync(s => s.Id == a.ServiceTypeId, ct);
        var waitingNow = await db.Set<QueueTicket>().AsNoTracking().CountAsync(t => t.ServiceTypeId == type.Id && t.Status == TicketStatus.Waiting, ct);
        var estimate = (await estimator.LoadAsync(type, ct)).EstimateFor(waitingNow + 1);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ticket = await issuer.AddTicketAsync(type, late ? QueuePriority.Normal : QueuePriority.Appointment, a.CustomerId, now, today, estimate, a.Id, ct);
        a.Status = late ? AppointmentStatus.Late : AppointmentStatus.CheckedIn;
        a.CheckedInAt = now;
        a.TicketId = ticket.Id;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Checked in twice at once (kiosk and counter): one ticket only.
            await tx.RollbackAsync(ct);
            return new AppointmentWrongState(a.Reference, AppointmentStatus.CheckedIn);
        }

        await tx.CommitAsync(ct);
        await notifier.ChangedAsync(a.BranchId, null, ct);
        var dto = await QueueTickets.DtoAsync(db, ticket, forStaff, ct);
        return new CheckInDto(await DtoAsync(a, forStaff, ct), dto with { PublicToken = ticket.PublicToken });
    }

    /// <summary>Today's appointments of a branch per service type, by status (the manager view).</summary>
    public async Task<IReadOnlyList<AppointmentCountsDto>> CountsAsync(long branchId, DateOnly day, IReadOnlyList<QueueServiceType> types, CancellationToken ct)
    {
        var rows = await db.Set<QueueAppointment>().AsNoTracking().Where(a => a.BranchId == branchId && a.BusinessDate == day)
            .GroupBy(a => new { a.ServiceTypeId, a.Status }).Select(g => new { g.Key.ServiceTypeId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        int Count(long typeId, AppointmentStatus status) => rows.Where(r => r.ServiceTypeId == typeId && r.Status == status).Sum(r => r.Count);
        return types.Where(t => t.IsActive || rows.Any(r => r.ServiceTypeId == t.Id)).Select(t => new AppointmentCountsDto(
            t.Id, t.Prefix, t.Name, t.NameEn, rows.Where(r => r.ServiceTypeId == t.Id).Sum(r => r.Count), Count(t.Id, AppointmentStatus.Booked),
            Count(t.Id, AppointmentStatus.CheckedIn), Count(t.Id, AppointmentStatus.Late), Count(t.Id, AppointmentStatus.NoShow), Count(t.Id, AppointmentStatus.Cancelled))).ToList();
    }

    private async Task<QueueAppointment?> ByTokenAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64)
        {
            return null;
        }

        var hash = Hash(token);
        return await db.Set<QueueAppointment>().SingleOrDefaultAsync(a => a.TokenHash == hash, ct);
    }

    private Task<QueueServiceType?> TypeAsync(long branchId, long typeId, CancellationToken ct) =>
        db.Set<QueueServiceType>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == typeId && s.BranchId == branchId && s.IsActive, ct);

    /// <summary>The signed-in member of staff booking for a customer at one of their branches (null: the customer books).</summary>
    private long? StaffOf(long branchId) =>
        user.IsAuthenticated && user.StaffId is { } id && user.Can(Permission.QueueServe) && user.CanSeeBranch(branchId) ? id : null;

    private async Task<Error?> StaffAccessAsync(long branchId, CancellationToken ct)
    {
        if (user.StaffId is null || !user.Can(Permission.QueueServe))
        {
            return new QueueForbidden("Only branch staff see and check in appointments. 仅网点员工可查看和签到预约。");
        }

        return user.CanSeeBranch(branchId) && await db.Set<Branch>().AnyAsync(b => b.Id == branchId, ct) ? null : new QueueBranchNotFound(branchId);
    }

    private static string LanguageOf(string? requested)
    {
        var language = requested ?? CultureInfo.CurrentUICulture.Name;
        return language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Cultures.English : Cultures.Chinese;
    }

    internal static string NewReference() =>
        string.Create(6, RandomNumberGenerator.GetBytes(6), (span, bytes) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = ReferenceAlphabet[bytes[i] % ReferenceAlphabet.Length];
            }
        });

    /// <summary>The last four digits only: the staff list identifies the booking without showing the number (no reveal needed).</summary>
    private static string? Masked(string? phone) => phone is null ? null : phone.Length <= 4 ? "****" : new string('*', phone.Length - 4) + phone[^4..];

    private static string Local(Instant at, DateTimeZone zone) => TimePattern.Format(at.InZone(zone).TimeOfDay);

    /// <summary>The booking as staff of the branch see it, or as a public reader does (a kiosk, a forwarded manage link): the name masked,
    /// so that a phone number typed at the kiosk does not tell whose booking it is.</summary>
    private async Task<AppointmentDto> DtoAsync(QueueAppointment a, bool forStaff, CancellationToken ct)
    {
        var branch = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == a.BranchId).Select(b => new { b.Name, b.NameEn, b.TimeZone }).SingleAsync(ct);
        var type = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.Id == a.ServiceTypeId).Select(s => new { s.Prefix, s.Name, s.NameEn }).SingleAsync(ct);
        var ticket = a.TicketId is { } tid ? await db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == tid).Select(t => t.Number).SingleOrDefaultAsync(ct) : null;
        return new AppointmentDto(
            a.Id, a.Reference, a.BranchId, branch.Name, branch.NameEn, a.ServiceTypeId, type.Prefix, type.Name, type.NameEn, a.BusinessDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            QueueText.Local(a.SlotStart, branch.TimeZone), QueueText.Local(a.SlotEnd, branch.TimeZone), a.SlotStart, a.SlotEnd, a.Status.ToString(), forStaff ? a.CustomerName : Mask.Name(a.CustomerName), ticket,
            a.CheckedInAt, a.ReminderSentAt is not null, null,
            forStaff ? a.CustomerId : null, forStaff ? Masked(protector.Decrypt(a.PhoneCipher)) : null, forStaff ? a.BookedByStaffId is not null : null,
            forStaff ? a.CancelReason : null, a.Version);
    }
}
