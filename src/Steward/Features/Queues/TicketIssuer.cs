using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NodaTime;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Queues;

/// <summary>
/// Issues tickets at the kiosk or through the API. Numbers are the service type's letter and a sequence per service type and
/// branch day (A001, A002 …), the day being the branch's local date, so they restart at local midnight. The sequence is one
/// atomic upsert, so two kiosks never print the same number. A branch whose calendar has no opening hours on its local day
/// (holiday, weekend without a make-up day) issues none. An optional phone number is looked up through the blind index:
/// a vulnerable customer (65+, disability …) gets <see cref="QueuePriority.Vulnerable"/>, a Gold or higher one
/// <see cref="QueuePriority.Vip"/>; nothing about the match is shown at the kiosk.
/// </summary>
public sealed class TicketIssuer(
    StewardDbContext db, SlaClockService calendars, PersonalDataProtector protector, QueueNotifier notifier, WaitEstimator estimator, IOptions<QueueOptions> options, TimeProvider time)
{
    public async Task<Outcome<TicketDto>> IssueAsync(long branchId, TicketRequest request, bool forStaff, CancellationToken ct = default)
    {
        var branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        if (branch is null)
        {
            return new QueueBranchNotFound(branchId);
        }

        if (request.ServiceTypeId is not { } typeId)
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["serviceTypeId"] = ["Choose a service. 请选择业务类型。"] });
        }

        var type = await db.Set<QueueServiceType>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == typeId && s.BranchId == branchId && s.IsActive, ct);
        if (type is null)
        {
            return new ServiceTypeNotFound(typeId);
        }

        if (request.Phone is { Length: > 40 })
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["phone"] = ["The phone number is too long. 手机号过长。"] });
        }

        // A phone number is digits, with +, spaces, dashes or brackets between them; anything else is a mistyped entry the
        // customer should see, not a silent "not a customer" (an unknown but well-formed number still issues a plain ticket,
        // so the kiosk never tells who is a customer).
        if (!string.IsNullOrWhiteSpace(request.Phone) && !PlausiblePhone(request.Phone))
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["phone"] = ["Enter a phone number in digits, or leave it empty. 请输入数字手机号，或留空。"] });
        }

        var now = time.GetUtcNow();
        var calendar = (await calendars.CalendarForBranchAsync(branchId, ct)).Calendar;
        var localDate = Instant.FromDateTimeOffset(now).InZone(calendar.Zone).Date;
        if (!calendar.IsWorkingDay(localDate))
        {
            return new BranchClosed(localDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        var customer = await IdentifyAsync(request.Phone, ct);
        var today = localDate.ToDateOnly();
        var priority = customer is null ? QueuePriority.Normal : PriorityOf(customer, today, options.Value);

        // The estimate is made before the ticket exists: its position is one behind everyone waiting for the type now.
        var waitingNow = await db.Set<QueueTicket>().AsNoTracking().CountAsync(t => t.ServiceTypeId == type.Id && t.Status == TicketStatus.Waiting, ct);
        var estimate = (await estimator.LoadAsync(type, ct)).EstimateFor(waitingNow + 1);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ticket = await AddTicketAsync(type, priority, customer?.Id, now, today, estimate, null, ct);
        await tx.CommitAsync(ct);

        var ahead = await db.Set<QueueTicket>().AsNoTracking()
            .CountAsync(t => t.ServiceTypeId == type.Id && t.Status == TicketStatus.Waiting && t.Id != ticket.Id && t.WaitingSince <= now, ct);
        await notifier.ChangedAsync(branchId, null, ct);
        return new TicketDto(ticket.Id, ticket.Number, type.Id, type.Name, type.NameEn, ticket.Status.ToString(), now, now, ahead,
            forStaff ? priority.ToString() : null, forStaff ? customer?.Id : null, null, 0, null, null, estimate, ticket.PublicToken);
    }

    /// <summary>
    /// Inserts a waiting ticket of <paramref name="type"/> with the next number of its branch day and its <c>Issued</c> event (and
    /// <c>CheckedIn</c> when it comes from <paramref name="appointmentId"/>), inside the caller's transaction.
    /// </summary>
    internal async Task<QueueTicket> AddTicketAsync(
        QueueServiceType type, QueuePriority priority, long? customerId, DateTimeOffset now, DateOnly today, int? estimate, long? appointmentId, CancellationToken ct)
    {
        var sequence = (await db.Database.SqlQuery<int>($"""
            INSERT INTO queue_day_sequences (service_type_id, business_date, last_sequence) VALUES ({type.Id}, {today}, 1)
            ON CONFLICT (service_type_id, business_date) DO UPDATE SET last_sequence = queue_day_sequences.last_sequence + 1
            RETURNING last_sequence AS "Value"
            """).ToListAsync(ct)).Single();
        var ticket = new QueueTicket
        {
            BranchId = type.BranchId,
            ServiceTypeId = type.Id,
            IssuedServiceTypeId = type.Id,
            BusinessDate = today,
            Sequence = sequence,
            Number = type.Prefix + sequence.ToString("000", CultureInfo.InvariantCulture),
            Priority = priority,
            CustomerId = customerId,
            Status = TicketStatus.Waiting,
            IssuedAt = now,
            WaitingSince = now,
            EstimatedWaitMinutes = estimate,
            PublicToken = NewToken(),
            AppointmentId = appointmentId,
        };
        db.Add(ticket);
        await db.SaveChangesAsync(ct);
        db.Add(new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.Issued, At = now, ServiceTypeId = type.Id });
        if (appointmentId is not null)
        {
            db.Add(new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.CheckedIn, At = now, ServiceTypeId = type.Id });
        }

        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>128 random bits, base64url (22 characters): the ticket's public page cannot be found by trying numbers.</summary>
    public static string NewToken() => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The queue class of a customer on <paramref name="today"/>: vulnerability (incl. age) first, then tier.</summary>
    public static QueuePriority PriorityOf(Customer c, DateOnly today, QueueOptions options)
    {
        var senior = c.BirthDate is { } birth && CustomerFileValidation.Age(birth, today) >= options.SeniorAge;
        if (senior || c.HasDisability || c.HasLimitedCapacity || c.HasOtherVulnerability || c.IsVulnerable)
        {
            return QueuePriority.Vulnerable;
        }

        return c.Tier >= CustomerTier.Gold ? QueuePriority.Vip : QueuePriority.Normal;
    }

    internal static bool PlausiblePhone(string phone)
    {
        var digits = phone.Count(char.IsAsciiDigit);
        return digits is >= 5 and <= 20 && phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')');
    }

    internal async Task<Customer?> IdentifyAsync(string? phone, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }

        var indexes = CustomerDirectory.NumberForms(phone).Select(protector.BlindIndex).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (indexes.Count == 0)
        {
            return null;
        }

        // Two files with one phone number (a household sharing one): the more protected class wins, never a guess between them.
        var matches = await db.Set<Customer>().AsNoTracking().Where(c => c.PhoneIndex != null && indexes.Contains(c.PhoneIndex)).Take(5).ToListAsync(ct);
        return matches.OrderByDescending(c => c.IsVulnerable).ThenByDescending(c => c.Tier).FirstOrDefault();
    }
}
