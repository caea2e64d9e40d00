using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Queues;

public static class QueueEndpoints
{
    public static void MapQueueEndpoints(this IEndpointRouteBuilder api)
    {
        var queue = api.MapGroup("/branches/{id:long}/queue").WithTags("Branch queue");
        var serve = IdentitySetup.Policy(Permission.QueueServe);
        var manage = IdentitySetup.Policy(Permission.QueueManage);

        queue.MapGet("/service-types", async Task<Results<Ok<IReadOnlyList<ServiceTypeDto>>, ProblemHttpResult>> (long id, QueueAdmin admin, CancellationToken ct) =>
                (await admin.ServiceTypesAsync(id, ct)).ToOk())
            .RequireAuthorization().WithSummary("The branch's service types (letter, target wait, required qualification).");
        queue.MapPost("/service-types", async Task<Results<Ok<ServiceTypeDto>, ProblemHttpResult>> (long id, ServiceTypeInput r, QueueAdmin admin, CancellationToken ct) =>
                (await admin.SaveServiceTypeAsync(id, null, r, null, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Adds a service type; the letter (A–Z) is unique in the branch.");
        queue.MapPut("/service-types/{typeId:long}", async Task<Results<Ok<ServiceTypeDto>, ProblemHttpResult>> (long id, long typeId, ServiceTypeInput r, int? version, QueueAdmin admin, CancellationToken ct) =>
                (await admin.SaveServiceTypeAsync(id, typeId, r, version, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Changes a service type (?version= for optimistic concurrency).");
        queue.MapGet("/counters", async Task<Results<Ok<IReadOnlyList<CounterDto>>, ProblemHttpResult>> (long id, QueueAdmin admin, CancellationToken ct) =>
                (await admin.CountersAsync(id, ct)).ToOk())
            .RequireAuthorization().WithSummary("The branch's counters, what each serves and who is signed in.");
        queue.MapPost("/counters", async Task<Results<Ok<CounterDto>, ProblemHttpResult>> (long id, CounterInput r, QueueAdmin admin, CancellationToken ct) =>
                (await admin.SaveCounterAsync(id, null, r, null, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Adds a counter with the service types it serves, priority (爱心) and wealth-zone flags.");
        queue.MapPut("/counters/{counterId:long}", async Task<Results<Ok<CounterDto>, ProblemHttpResult>> (long id, long counterId, CounterInput r, int? version, QueueAdmin admin, CancellationToken ct) =>
                (await admin.SaveCounterAsync(id, counterId, r, version, ct)).ToOk())
            .RequireAuthorization(manage).WithSummary("Changes a counter.");

        queue.MapPost("/tickets", async Task<Results<Created<TicketDto>, ProblemHttpResult>> (long id, TicketRequest r, TicketIssuer issuer, CurrentUser user, CancellationToken ct) =>
                (await issuer.IssueAsync(id, r, user.IsAuthenticated && user.Can(Permission.QueueServe), ct)).ToCreated(t => $"/api/v1/branches/{id}/queue/tickets/{t.Id}"))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("Issues a ticket (kiosk; no sign-in): A001, A002 … per service type and branch day. Closed branch day → 409 branch-closed. Optional phone sets priority (shown to staff only).");
        queue.MapGet("/board", async Task<Results<Ok<BoardDto>, ProblemHttpResult>> (long id, QueueBoardReader board, CancellationToken ct) =>
                (await board.GetAsync(id, ct)).ToOk())
            .AllowAnonymous().WithSummary("The display board's state: latest calls (ticket → counter) and waiting per service type.");

        queue.MapGet("/stats", async Task<Results<Ok<QueueStatsDto>, ProblemHttpResult>> ([AsParameters] QueueStatsQuery q, QueueStatsReader stats, CancellationToken ct) =>
                (await stats.GetAsync(q.Id, q.Days, ct)).ToOk())
            .RequireAuthorization(IdentitySetup.Policy(Permission.ReportsRead))
            .WithSummary("The manager view: live queue per service type, longest wait, counters open and who is on them, today's tickets by outcome, estimate accuracy (MAE) and history by day (?days=, 1–31, default 7).");
        api.MapGet("/queue/tickets/{token}", async Task<Results<Ok<VirtualTicketDto>, ProblemHttpResult>> (string token, VirtualTicketReader reader, CancellationToken ct) =>
                (await reader.GetAsync(token, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).WithTags("Branch queue")
            .WithSummary("The virtual ticket behind the printed QR code (no sign-in, by its unguessable token): number, status, position (1 = next), estimated wait now, counter once called.");

        queue.MapGet("/appointment-slots", async Task<Results<Ok<AppointmentSlotsDto>, ProblemHttpResult>> ([AsParameters] AppointmentSlotsQuery q, Appointments a, CancellationToken ct) =>
                (await a.SlotsAsync(q.Id, q.ServiceTypeId, q.Date, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("The appointment slots of a service type on a branch day (?serviceTypeId=&date=yyyy-MM-dd), from the branch calendar's opening hours, with places left; none on a holiday.");
        queue.MapPost("/appointments", async Task<Results<Created<AppointmentDto>, ProblemHttpResult>> (long id, AppointmentRequest r, Appointments a, CancellationToken ct) =>
                (await a.BookAsync(id, r, ct)).ToCreated(x => $"/api/v1/queue/appointments/{x.Token}"))
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("Books an appointment (no sign-in; staff of the branch book for a customer): name, phone, service type, date and slot time. Returns the reference and the manage token (once). 400 at the field for a past, closed-day, off-hours or too-far slot; 409 slot-full.");
        queue.MapPost("/appointments/check-in", async Task<Results<Ok<CheckInDto>, ProblemHttpResult>> (long id, CheckInRequest r, Appointments a, CancellationToken ct) =>
                (await a.KioskCheckInAsync(id, r, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public)
            .WithSummary("Kiosk check-in by reference or phone: within the window an appointment-priority ticket, after the grace a walk-in ticket (Late); 409 check-in-too-early.");
        api.MapGet("/queue/appointments/{token}", async Task<Results<Ok<AppointmentDto>, ProblemHttpResult>> (string token, Appointments a, CancellationToken ct) =>
                (await a.GetAsync(token, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).WithTags("Branch queue")
            .WithSummary("The appointment behind a manage link (by its unguessable token; unknown or malformed is 404).");
        api.MapPost("/queue/appointments/{token}/cancel", async Task<Results<Ok<AppointmentDto>, ProblemHttpResult>> (string token, Appointments a, CancellationToken ct) =>
                (await a.CancelAsync(token, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).WithTags("Branch queue")
            .WithSummary("Cancels a booked appointment from its manage link; the place is free again.");
        api.MapPost("/queue/appointments/{token}/reschedule", async Task<Results<Ok<AppointmentDto>, ProblemHttpResult>> (string token, AppointmentRescheduleRequest r, Appointments a, CancellationToken ct) =>
                (await a.RescheduleAsync(token, r, ct)).ToOk())
            .AllowAnonymous().RequireRateLimiting(RateLimits.Public).WithTags("Branch queue")
            .WithSummary("Moves a booked appointment to another slot (date, time) in one request from its manage link: the new slot checked as a booking (400 at the field, 409 slot-full, nothing changed), the old place free again, the customer texted.");

        var desk = queue.MapGroup("").RequireAuthorization(serve);
        desk.MapGet("/appointments", async Task<Results<Ok<IReadOnlyList<AppointmentDto>>, ProblemHttpResult>> ([AsParameters] AppointmentListQuery q, Appointments a, CancellationToken ct) =>
                (await a.ListAsync(q.Id, q.Date, ct)).ToOk())
            .WithSummary("A branch day's appointments for its staff (?date=, default today), by slot.");
        desk.MapPost("/appointments/{appointmentId:long}/check-in", async Task<Results<Ok<CheckInDto>, ProblemHttpResult>> (long id, long appointmentId, Appointments a, CancellationToken ct) =>
                (await a.CheckInAsync(id, appointmentId, ct)).ToOk())
            .WithSummary("Counter staff check a customer's appointment in (same window rules as the kiosk).");
        desk.MapPost("/appointments/{appointmentId:long}/cancel", async Task<Results<Ok<AppointmentDto>, ProblemHttpResult>> (long id, long appointmentId, AppointmentCancelRequest r, int? version, Appointments a, CancellationToken ct) =>
                (await a.StaffCancelAsync(id, appointmentId, r.Reason, version, ct)).ToOk())
            .WithSummary("Counter staff cancel a booking for the customer with a reason (required; sent to the customer by text). ?version= refuses a stale change (409).");
        desk.MapPost("/appointments/{appointmentId:long}/reschedule", async Task<Results<Ok<AppointmentDto>, ProblemHttpResult>> (long id, long appointmentId, AppointmentRescheduleRequest r, int? version, Appointments a, CancellationToken ct) =>
                (await a.StaffRescheduleAsync(id, appointmentId, r, version, ct)).ToOk())
            .WithSummary("Counter staff move a customer's booking to another slot (date, time) in one request: checked as a booking, the old place freed, the customer texted. ?version= refuses a stale change (409).");
        desk.MapGet("/desk", async Task<Results<Ok<DeskDto>, ProblemHttpResult>> (long id, CounterDesk d, CancellationToken ct) => (await d.GetDeskAsync(id, ct)).ToOk())
            .WithSummary("The caller's counter, the services it receives (qualifications checked) and its current ticket; 409 no-counter when not signed in to one.");
        desk.MapPost("/counters/{counterId:long}/sign-in", async Task<Results<Ok<DeskDto>, ProblemHttpResult>> (long id, long counterId, CounterDesk d, CancellationToken ct) =>
                (await d.SignInAsync(id, counterId, ct)).ToOk())
            .WithSummary("Signs the caller in to a counter; one staff member on one counter, one counter per staff member (409 otherwise).");
        desk.MapPost("/sign-out", async Task<Results<Ok<bool>, ProblemHttpResult>> (long id, CounterDesk d, CancellationToken ct) => (await d.SignOutAsync(id, ct)).ToOk())
            .WithSummary("Signs the caller out of their counter at the branch.");
        desk.MapPost("/calls", async Task<Results<Ok<TicketDto>, NoContent, ProblemHttpResult>> (long id, CallRequest? r, CounterDesk d, CancellationToken ct) =>
            {
                var outcome = await d.CallNextAsync(id, r ?? new CallRequest(null, null), ct);
                if (outcome.Error is { } error)
                {
                    return Problems.From(error);
                }

                return outcome.Value is { } ticket ? TypedResults.Ok(ticket) : TypedResults.NoContent();
            })
            .WithSummary("Calls the next ticket for the caller's counter (fairness: due tickets first, then priority head starts); 204 when nobody waits.");
        desk.MapPost("/tickets/{ticketId:long}/call", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, OutOfOrderRequest r, CounterDesk d, CancellationToken ct) =>
                (await d.CallOutOfOrderAsync(id, ticketId, r, ct)).ToOk())
            .WithSummary("Calls this waiting ticket before its turn; the reason is required and audited, the tickets it passes are counted overtaken.");
        desk.MapPost("/tickets/{ticketId:long}/recall", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.RecallAsync(id, ticketId, ct)).ToOk()).WithSummary("Calls the counter's ticket again.");
        desk.MapPost("/tickets/{ticketId:long}/serve", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.ServeAsync(id, ticketId, ct)).ToOk()).WithSummary("The customer walked up: serving begins.");
        desk.MapPost("/tickets/{ticketId:long}/park", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.ParkAsync(id, ticketId, ct)).ToOk()).WithSummary("Puts the ticket being served on hold at the counter.");
        desk.MapPost("/tickets/{ticketId:long}/resume", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.ResumeAsync(id, ticketId, ct)).ToOk()).WithSummary("Resumes a parked ticket.");
        desk.MapPost("/tickets/{ticketId:long}/no-show", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.NoShowAsync(id, ticketId, ct)).ToOk()).WithSummary("Records a no-show once the ticket was called the configured number of times.");
        desk.MapPost("/tickets/{ticketId:long}/left", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, CounterDesk d, CancellationToken ct) =>
            (await d.LeftAsync(id, ticketId, ct)).ToOk()).WithSummary("The customer left before being served.");
        desk.MapPost("/tickets/{ticketId:long}/transfer", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, TransferRequest r, CounterDesk d, CancellationToken ct) =>
            (await d.TransferAsync(id, ticketId, r, ct)).ToOk()).WithSummary("Sends the ticket to another service type; it keeps its original waiting time.");
        desk.MapPost("/tickets/{ticketId:long}/finish", async Task<Results<Ok<TicketDto>, ProblemHttpResult>> (long id, long ticketId, FinishRequest? r, CounterDesk d, CancellationToken ct) =>
            (await d.FinishAsync(id, ticketId, r ?? new FinishRequest(null), ct)).ToOk()).WithSummary("Finishes the visit with an outcome (Completed by default).");
    }
}
