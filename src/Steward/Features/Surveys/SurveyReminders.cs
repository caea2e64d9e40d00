using Microsoft.EntityFrameworkCore;
using Steward.Features.Notifications;
using Steward.Platform.Database;

namespace Steward.Features.Surveys;

/// <summary>
/// The one reminder of an invitation and the customer's submission never both win (decision 0055). The reminder is written to
/// the outbox with the invitation (the token exists only then) but held there: <see cref="HeldBy"/> claims it until
/// <see cref="HeldUntil"/>, so no outbox node picks it up. When it is due this job releases it by a compare-and-set on the
/// invitation row — <c>reminder_sent_at</c> set only <c>WHERE response_id IS NULL</c> — and, in the same transaction, hands the
/// message to the outbox. A submission's compare-and-set writes the same row (<c>response_id</c> only where it is null), so the
/// two are serialised by the database: a submission committed first leaves the release nothing to change; a release committed
/// first is a reminder sent before the answer, and the submission then still withdraws it if no outbox node has claimed it yet.
/// </summary>
public sealed class SurveyReminders(StewardDbContext db, TimeProvider time, ILogger<SurveyReminders> logger)
{
    public const string JobName = "survey-reminders";

    /// <summary>The outbox's <c>locked_by</c> of a reminder held for this job.</summary>
    public const string HeldBy = "survey-reminder";

    /// <summary>The hold's <c>locked_until</c>: never reached, so the outbox never takes the claim for an expired one.</summary>
    public static readonly DateTimeOffset HeldUntil = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Holds a reminder just written to the outbox for this job.</summary>
    public static void Hold(OutboxMessage reminder) => (reminder.LockedBy, reminder.LockedUntil) = (HeldBy, HeldUntil);

    /// <summary>Releases the reminders due now of invitations still unanswered and open; returns how many went to the outbox.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var due = await db.Set<SurveyInvitation>().AsNoTracking()
            .Where(i => i.ReminderMessageId != null && i.ReminderSentAt == null && i.ResponseId == null && i.Status == SurveyInvitationStatus.Sent && i.ReminderAt <= now)
            .OrderBy(i => i.Id).Select(i => new { i.Id, MessageId = i.ReminderMessageId!.Value }).Take(200).ToListAsync(ct);
        var released = 0;
        foreach (var invitation in due)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // The compare-and-set on the invitation row: a submission that committed first made response_id non-null.
            var won = await db.Set<SurveyInvitation>()
                .Where(i => i.Id == invitation.Id && i.ResponseId == null && i.ReminderSentAt == null && i.Status == SurveyInvitationStatus.Sent && i.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.ReminderSentAt, now), ct);
            var handed = won == 1 && await db.Set<OutboxMessage>()
                .Where(m => m.Id == invitation.MessageId && m.DeliveredAt == null && m.LockedBy == HeldBy)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, (string?)null).SetProperty(m => m.LockedUntil, (DateTimeOffset?)null).SetProperty(m => m.NextAttemptAt, now), ct) == 1;
            if (handed)
            {
                await transaction.CommitAsync(ct);
                released++;
            }
            else
            {
                await transaction.RollbackAsync(ct);
            }
        }

        if (released > 0)
        {
            logger.LogInformation("Survey reminders: {Count} released to the outbox", released);
        }

        return released;
    }

    /// <summary>
    /// Withdraws reminders still waiting: held for this job, or released but not yet claimed by an outbox node (a node's claim is the
    /// point of no return: it is being sent).
    /// </summary>
    internal static Task<int> WithdrawAsync(StewardDbContext db, IReadOnlyCollection<long> messageIds, DateTimeOffset now, CancellationToken ct) =>
        db.Set<OutboxMessage>()
            .Where(m => messageIds.Contains(m.Id) && m.DeliveredAt == null && (m.LockedBy == HeldBy || m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteDeleteAsync(ct);
}
