using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// What a member of staff does at a counter: sign in (one staff member on one counter: a unique index), call the next ticket,
/// recall, walk-up, park and resume, no-show, transfer, finish. A call takes the branch's call row first (an atomic upsert of
/// <see cref="QueueBranchState"/>), so the calls of one branch are one at a time on both databases and each sees every call
/// committed before it; the ticket is then changed by compare-and-set on its version, so a ticket is never handed to two
/// counters. Every change of a ticket writes its event in the same transaction.
/// </summary>
public sealed class CounterDesk(
    StewardDbContext db, CurrentUser user, QualificationRegistry qualifications, QueueNotifier notifier, IOptions<QueueOptions> options, TimeProvider time,
    IEnumerable<IQueueVisitObserver> visitObservers)
{
    private QueueOptions Options => options.Value;

    public async Task<Outcome<DeskDto>> SignInAsync(long branchId, long counterId, CancellationToken ct = default)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var staffId = user.StaffId!.Value;
        var counter = await db.Set<QueueCounter>().SingleOrDefaultAsync(c => c.Id == counterId && c.BranchId == branchId && c.IsActive, ct);
        if (counter is null)
        {
            return new CounterNotFound(counterId);
        }

        if (counter.StaffId == staffId)
        {
            return await DeskAsync(counter, ct);
        }

        if (await db.Set<QueueCounter>().AsNoTracking().Where(c => c.StaffId == staffId).Select(c => (int?)c.Number).FirstOrDefaultAsync(ct) is { } other)
        {
            return new AlreadyOnCounter(other);
        }

        // Conditional: only a free counter is taken; the unique index on staff_id refuses a second counter for the same person.
        var now = time.GetUtcNow();
        int taken;
        try
        {
            taken = await db.Set<QueueCounter>().Where(c => c.Id == counterId && c.StaffId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.StaffId, staffId).SetProperty(c => c.StaffSince, now), ct);
        }
        catch (DbUpdateException e) when (QueueCounterConfiguration.OneCounterPerStaff.IsViolatedBy(e))
        {
            return new AlreadyOnCounter(0);
        }

        if (taken == 0)
        {
            return new CounterTaken(counter.Number);
        }

        await db.Entry(counter).ReloadAsync(ct);
        await notifier.ChangedAsync(branchId, null, ct);
        return await DeskAsync(counter, ct);
    }

    public async Task<Outcome<bool>> SignOutAsync(long branchId, CancellationToken ct = default)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var staffId = user.StaffId!.Value;
        await db.Set<QueueCounter>().Where(c => c.BranchId == branchId && c.StaffId == staffId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.StaffId, (long?)null).SetProperty(c => c.StaffSince, (DateTimeOffset?)null), ct);
        await notifier.ChangedAsync(branchId, null, ct);
        return true;
    }

    /// <summary>The caller's counter at the branch, what it serves and its current ticket; <see cref="NoCounter"/> when not signed in.</summary>
    public async Task<Outcome<DeskDto>> GetDeskAsync(long branchId, CancellationToken ct = default)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var counter = await MyCounterAsync(branchId, null, ct);
        return counter is null ? new NoCounter() : await DeskAsync(counter, ct);
    }

    /// <summary>
    /// Calls the next ticket for the caller's counter (<paramref name="request"/>.CounterId, when given, must be it), from the service
    /// types it serves and its staff is qualified for, or only <c>ServiceTypeId</c> when given. Null value: nobody is waiting.
    /// </summary>
    public async Task<Outcome<TicketDto?>> CallNextAsync(long branchId, CallRequest request, CancellationToken ct = default)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var counter = await MyCounterAsync(branchId, request.CounterId, ct);
        if (counter is null)
        {
            return new NoCounter();
        }

        var serves = await ServedTypesAsync(counter, ct);
        var typeIds = serves.Select(s => s.Id).ToList();
        if (request.ServiceTypeId is { } only)
        {
            if (!await db.Set<QueueServiceType>().AnyAsync(s => s.Id == only && s.BranchId == branchId, ct))
            {
                return new ServiceTypeNotFound(only);
            }

            if (!typeIds.Contains(only))
            {
                return new CounterDoesNotServe(only);
            }

            typeIds = [only];
        }

        if (await BusyAsync(counter, ct) is { } busy)
        {
            return busy;
        }

        return await CallAsync(branchId, counter, serves, typeIds, null, ct);
    }

    /// <summary>
    /// Calls <paramref name="ticketId"/> before its turn, with a reason (required, at most 200 characters), from the waiting
    /// tickets the caller's counter serves. Recorded as a <see cref="QueueOutOfOrderCall"/> (audited) besides the call's event;
    /// the tickets it passes over are counted overtaken, as with any call, so the fairness bound still protects them.
    /// </summary>
    public async Task<Outcome<TicketDto>> CallOutOfOrderAsync(long branchId, long ticketId, OutOfOrderRequest request, CancellationToken ct = default)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 200)
        {
            return new QueueInvalid(new Dictionary<string, string[]>
            {
                ["reason"] = [reason.Length == 0 ? "Give the reason for calling out of order. 请填写不按顺序叫号的原因。" : "The reason is at most 200 characters. 原因最多 200 个字符。"],
            });
        }

        var counter = await MyCounterAsync(branchId, null, ct);
        if (counter is null)
        {
            return new NoCounter();
        }

        var ticket = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == ticketId && t.BranchId == branchId).Select(t => new { t.Number, t.Status, t.ServiceTypeId }).SingleOrDefaultAsync(ct);
        if (ticket is null)
        {
            return new TicketNotFound(ticketId);
        }

        if (ticket.Status != TicketStatus.Waiting)
        {
            return new TicketWrongState(ticket.Number, ticket.Status);
        }

        var serves = await ServedTypesAsync(counter, ct);
        var typeIds = serves.Select(s => s.Id).ToList();
        if (!typeIds.Contains(ticket.ServiceTypeId))
        {
            return new CounterDoesNotServe(ticket.ServiceTypeId);
        }

        if (await BusyAsync(counter, ct) is { } busy)
        {
            return busy;
        }

        var called = await CallAsync(branchId, counter, serves, typeIds, (ticketId, reason), ct);
        if (called.Error is { } error)
        {
            return error;
        }

        // Null: another counter called it between the checks above and the call (one wins, the other is told).
        return called.Value is { } dto ? dto : new TicketWrongState(ticket.Number, TicketStatus.Called);
    }

    /// <summary>
    /// The call itself, in one transaction behind the branch's call row: the fair order's first ticket, or <paramref name="chosen"/>
    /// (out of order, when it still waits). Null value: nobody (or not the chosen ticket) is waiting.
    /// </summary>
    private async Task<Outcome<TicketDto?>> CallAsync(
        long branchId, QueueCounter counter, IReadOnlyList<QueueServiceType> serves, List<long> typeIds, (long TicketId, string Reason)? chosen, CancellationToken ct)
    {
        var staffId = user.StaffId!.Value;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var sequence = await NextCallSequenceAsync(branchId, ct);
        var now = time.GetUtcNow();
        var waiting = await db.Set<QueueTicket>().AsNoTracking()
            .Where(t => t.BranchId == branchId && t.Status == TicketStatus.Waiting && typeIds.Contains(t.ServiceTypeId))
            .Select(t => new CallCandidate(t.Id, t.ServiceTypeId, t.Priority, t.WaitingSince, t.OvertakenCount))
            .ToListAsync(ct);
        var inOrder = CallOrder.Rank(waiting, now, Options, counter.IsPriorityCounter).FirstOrDefault();
        var next = chosen is { } c ? waiting.FirstOrDefault(w => w.Id == c.TicketId) : inOrder;
        if (next is null)
        {
            await tx.RollbackAsync(ct);
            return (TicketDto?)null;
        }

        var ticket = await db.Set<QueueTicket>().SingleAsync(t => t.Id == next.Id, ct);
        ticket.Status = TicketStatus.Called;
        ticket.CounterId = counter.Id;
        ticket.StaffId = staffId;
        ticket.CallCount = 1;
        ticket.CalledAt = now;
        db.Add(new QueueTicketEvent { TicketId = ticket.Id, Kind = TicketEventKind.Called, At = now, CounterId = counter.Id, StaffId = staffId, ServiceTypeId = ticket.ServiceTypeId });
        var overtaken = CallOrder.Overtaken(waiting, next).ToList();
        if (chosen is { } pick)
        {
            var expected = inOrder is null || inOrder.Id == next.Id ? null
                : await db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == inOrder.Id).Select(t => t.Number).SingleAsync(ct);
            db.Add(new QueueOutOfOrderCall
            {
                BranchId = branchId, TicketId = ticket.Id, CounterId = counter.Id, StaffId = staffId, At = now, Reason = pick.Reason, NextInOrder = expected, PassedOver = overtaken.Count,
            });
        }

        // Compare-and-set: the UPDATE carries the version read above; a ticket changed meanwhile is not taken (409, nothing written).
        await db.SaveChangesAsync(ct);
        if (overtaken.Count > 0)
        {
            await db.Set<QueueTicket>().Where(t => overtaken.Contains(t.Id) && t.Status == TicketStatus.Waiting)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.OvertakenCount, t => t.OvertakenCount + 1), ct);
        }

        await tx.CommitAsync(ct);
        await notifier.ChangedAsync(branchId, sequence, ct);
        // The counter and its types are loaded already: the response reads only the ticket's events.
        return await QueueTickets.DtoAsync(db, ticket, forStaff: true, ct, (serves, counter));
    }

    /// <summary>A counter finishes (or parks, transfers, records a no-show for) its ticket before it calls the next.</summary>
    private async Task<Error?> BusyAsync(QueueCounter counter, CancellationToken ct) =>
        await db.Set<QueueTicket>().AsNoTracking().Where(t => t.CounterId == counter.Id && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving))
            .Select(t => new { t.Number, t.Status }).FirstOrDefaultAsync(ct) is { } busy ? new TicketWrongState(busy.Number, busy.Status) : null;

    /// <summary>Calls the counter's called ticket once more (the board shows it again).</summary>
    public Task<Outcome<TicketDto>> RecallAsync(long branchId, long ticketId, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Called], TicketEventKind.Recalled, t => t.CallCount++, ct);

    /// <summary>The customer came to the counter: serving begins.</summary>
    public Task<Outcome<TicketDto>> ServeAsync(long branchId, long ticketId, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Called], TicketEventKind.Serving, t => t.Status = TicketStatus.Serving, ct);

    public Task<Outcome<TicketDto>> ParkAsync(long branchId, long ticketId, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Serving], TicketEventKind.Parked, t => t.Status = TicketStatus.Parked, ct);

    public Task<Outcome<TicketDto>> ResumeAsync(long branchId, long ticketId, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Parked], TicketEventKind.Resumed, t => t.Status = TicketStatus.Serving, ct);

    public async Task<Outcome<TicketDto>> NoShowAsync(long branchId, long ticketId, CancellationToken ct = default)
    {
        var calls = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.Id == ticketId && t.BranchId == branchId).Select(t => new { t.Number, t.CallCount, t.Status }).SingleOrDefaultAsync(ct);
        if (calls is { Status: TicketStatus.Called } && calls.CallCount < Options.NoShowAfterCalls)
        {
            return new NoShowTooEarly(calls.Number, calls.CallCount, Options.NoShowAfterCalls);
        }

        return await ChangeAsync(branchId, ticketId, [TicketStatus.Called], TicketEventKind.NoShow, t => End(t, TicketStatus.NoShow, null), ct);
    }

    public Task<Outcome<TicketDto>> FinishAsync(long branchId, long ticketId, FinishRequest request, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Serving, TicketStatus.Parked], TicketEventKind.Finished, t => End(t, TicketStatus.Finished, request.Outcome ?? TicketOutcome.Completed), ct);

    /// <summary>The customer left before being served (a called ticket the counter gives up on without the no-show rule).</summary>
    public Task<Outcome<TicketDto>> LeftAsync(long branchId, long ticketId, CancellationToken ct = default) =>
        ChangeAsync(branchId, ticketId, [TicketStatus.Called, TicketStatus.Parked], TicketEventKind.Left, t => End(t, TicketStatus.Left, null), ct);

    /// <summary>Sends the ticket to another service type of the branch; it waits again from its original instant.</summary>
    public async Task<Outcome<TicketDto>> TransferAsync(long branchId, long ticketId, TransferRequest request, CancellationToken ct = default)
    {
        if (request.ServiceTypeId is not { } target)
        {
            return new QueueInvalid(new Dictionary<string, string[]> { ["serviceTypeId"] = ["Choose the service to transfer to. 请选择转办的业务类型。"] });
        }

        if (!await db.Set<QueueServiceType>().AnyAsync(s => s.Id == target && s.BranchId == branchId && s.IsActive, ct))
        {
            return new ServiceTypeNotFound(target);
        }

        return await ChangeAsync(branchId, ticketId, [TicketStatus.Called, TicketStatus.Serving, TicketStatus.Parked], TicketEventKind.Transferred, t =>
        {
            t.ServiceTypeId = target;
            t.Status = TicketStatus.Waiting;
            t.CounterId = null;
            t.StaffId = null;
            t.CallCount = 0;
            t.CalledAt = null;
        }, ct);
    }

    private static void End(QueueTicket t, TicketStatus status, TicketOutcome? outcome)
    {
        t.Status = status;
        t.Outcome = outcome;
    }

    private async Task<Outcome<TicketDto>> ChangeAsync(
        long branchId, long ticketId, TicketStatus[] from, TicketEventKind kind, Action<QueueTicket> change, CancellationToken ct)
    {
        if (await AccessAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var counter = await MyCounterAsync(branchId, null, ct);
        if (counter is null)
        {
            return new NoCounter();
        }

        var ticket = await db.Set<QueueTicket>().SingleOrDefaultAsync(t => t.Id == ticketId && t.BranchId == branchId, ct);
        if (ticket is null)
        {
            return new TicketNotFound(ticketId);
        }

        if (!from.Contains(ticket.Status))
        {
            return new TicketWrongState(ticket.Number, ticket.Status);
        }

        if (ticket.CounterId != counter.Id)
        {
            return new TicketNotAtYourCounter(ticket.Number);
        }

        var now = time.GetUtcNow();
        change(ticket);
        if (ticket.Status is TicketStatus.Finished or TicketStatus.NoShow or TicketStatus.Left)
        {
            ticket.EndedAt = now;
        }

        db.Add(new QueueTicketEvent
        {
            TicketId = ticket.Id, Kind = kind, At = now, CounterId = counter.Id, StaffId = user.StaffId, ServiceTypeId = ticket.ServiceTypeId, Outcome = ticket.Outcome,
        });
        if (kind == TicketEventKind.Finished)
        {
            foreach (var observer in visitObservers)
            {
                await observer.OnVisitFinishedAsync(ticket, counter.Id, user.StaffId, ct);
            }
        }

        long? sequence = null;
        if (kind == TicketEventKind.Recalled)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            sequence = await NextCallSequenceAsync(branchId, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }

        await notifier.ChangedAsync(branchId, sequence, ct);
        return await DtoAsync(ticket, ct);
    }

    private async Task<long> NextCallSequenceAsync(long branchId, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>($"""
            INSERT INTO queue_branch_states (branch_id, call_sequence) VALUES ({branchId}, 1)
            ON CONFLICT (branch_id) DO UPDATE SET call_sequence = queue_branch_states.call_sequence + 1
            RETURNING call_sequence AS "Value"
            """).ToListAsync(ct)).Single();

    private async Task<QueueCounter?> MyCounterAsync(long branchId, long? counterId, CancellationToken ct)
    {
        var staffId = user.StaffId;
        var counter = await db.Set<QueueCounter>().AsNoTracking().SingleOrDefaultAsync(c => c.BranchId == branchId && c.StaffId == staffId, ct);
        return counter is null || (counterId is { } wanted && wanted != counter.Id) ? null : counter;
    }

    /// <summary>The active service types the counter serves whose required qualification (if any) its staff holds today.</summary>
    private async Task<IReadOnlyList<QueueServiceType>> ServedTypesAsync(QueueCounter counter, CancellationToken ct)
    {
        var ids = counter.ServedTypeIds();
        var types = await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == counter.BranchId && s.IsActive && ids.Contains(s.Id))
            .OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix).ToListAsync(ct);
        if (counter.StaffId is not { } staffId || types.All(t => t.RequiredQualificationTypeId is null))
        {
            return types;
        }

        var zone = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == counter.BranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var today = qualifications.LocalToday(zone);
        var served = new List<QueueServiceType>();
        foreach (var type in types)
        {
            if (type.RequiredQualificationTypeId is not { } required || await qualifications.HoldsValidAsync(staffId, required, today, ct))
            {
                served.Add(type);
            }
        }

        return served;
    }

    private async Task<Error?> AccessAsync(long branchId, CancellationToken ct)
    {
        if (user.StaffId is null || !user.Can(Permission.QueueServe))
        {
            return new QueueForbidden("Only counter staff call tickets. 仅窗口员工可叫号。");
        }

        return user.CanSeeBranch(branchId) && await db.Set<Branch>().AnyAsync(b => b.Id == branchId, ct) ? null : new QueueBranchNotFound(branchId);
    }

    private async Task<DeskDto> DeskAsync(QueueCounter counter, CancellationToken ct)
    {
        var serves = await ServedTypesAsync(counter, ct);
        var current = await db.Set<QueueTicket>().AsNoTracking()
            .Where(t => t.CounterId == counter.Id && (t.Status == TicketStatus.Called || t.Status == TicketStatus.Serving || t.Status == TicketStatus.Parked))
            .OrderByDescending(t => t.CalledAt).FirstOrDefaultAsync(ct);
        var staffName = counter.StaffId is { } sid ? await db.Set<Staff>().AsNoTracking().Where(s => s.Id == sid).Select(s => s.DisplayName).SingleOrDefaultAsync(ct) : null;
        var typeIds = serves.Select(s => s.Id).ToList();
        var waiting = await db.Set<QueueTicket>().AsNoTracking().Where(t => t.BranchId == counter.BranchId && t.Status == TicketStatus.Waiting && typeIds.Contains(t.ServiceTypeId))
            .OrderBy(t => t.WaitingSince).ThenBy(t => t.Id).Take(50)
            .Select(t => new { t.Id, t.Number, t.ServiceTypeId, t.WaitingSince, t.Priority }).ToListAsync(ct);
        return new DeskDto(QueueAdmin.ToDto(counter, staffName), serves.Select(QueueAdmin.ToDto).ToList(), current is null ? null : await DtoAsync(current, ct),
            waiting.Select(t => new WaitingTicketDto(t.Id, t.Number, t.ServiceTypeId, t.WaitingSince, t.Priority.ToString())).ToList());
    }

    internal async Task<TicketDto> DtoAsync(QueueTicket t, CancellationToken ct) => await QueueTickets.DtoAsync(db, t, forStaff: true, ct);
}
