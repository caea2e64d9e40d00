using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Queues;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Surveys;

/// <summary>What the counter tablet shows: the survey of the visit this counter just finished, or why there is none.</summary>
public sealed record SurveyTabletDto(string? TicketNumber, long? InvitationId, PublicSurveyDto? Survey, string? Reason);

/// <summary>
/// Counter tablet mode (decision 0054): the staff member signed in at a counter opens the tablet page; it shows the survey of
/// the last visit finished at that counter within <see cref="SurveyOptions.TabletMinutes"/>, and the customer answers on it.
/// The page shows nothing of the staff member's session and nothing about the customer; the answers go through the same
/// checks as the customer's link (<see cref="SurveyResponses.RecordAsync"/>), credited to the counter's staff member.
/// </summary>
public sealed class SurveyTablet(StewardDbContext db, SurveyResponses responses, CurrentUser user, IOptions<SurveyOptions> options, TimeProvider time)
{
    public async Task<SurveyTabletDto> CurrentAsync(CancellationToken ct = default)
    {
        var (ticket, invitation) = await LatestAsync(ct);
        if (ticket is null)
        {
            return new SurveyTabletDto(null, null, null, "survey.tablet.noVisit");
        }

        if (invitation is null || invitation.Status == SurveyInvitationStatus.Suppressed)
        {
            return new SurveyTabletDto(ticket.Number, null, null, "survey.tablet.noSurvey");
        }

        if (invitation.ResponseId is not null)
        {
            return new SurveyTabletDto(ticket.Number, invitation.Id, null, "survey.tablet.answered");
        }

        var content = SurveyContent.Parse(await db.Set<SurveyDefinition>().AsNoTracking().Where(d => d.Id == invitation.DefinitionId).Select(d => d.ContentJson).SingleAsync(ct));
        var survey = new PublicSurveyDto(content.Title, content.TitleEn, content.Intro, content.IntroEn, content.Questions, false, time.GetUtcNow() >= invitation.ExpiresAt);
        return new SurveyTabletDto(ticket.Number, invitation.Id, survey, null);
    }

    /// <summary>The customer's answers on the tablet, for the invitation it showed; refused when that is no longer this counter's latest visit.</summary>
    public async Task<Outcome<PublicSurveyReceipt>> SubmitAsync(long invitationId, IReadOnlyDictionary<string, IReadOnlyList<string>> answers, string language, CancellationToken ct = default)
    {
        var (_, latest) = await LatestAsync(ct);
        if (latest is null || latest.Id != invitationId || latest.Status == SurveyInvitationStatus.Suppressed)
        {
            return new SurveyLinkInvalid();
        }

        var invitation = await db.Set<SurveyInvitation>().SingleAsync(i => i.Id == invitationId, ct);
        return await responses.RecordAsync(invitation, answers, language, ct);
    }

    private async Task<(QueueTicket? Ticket, SurveyInvitation? Invitation)> LatestAsync(CancellationToken ct)
    {
        var staffId = user.StaffId;
        var counterId = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.StaffId == staffId).Select(c => (long?)c.Id).SingleOrDefaultAsync(ct);
        if (counterId is null)
        {
            return (null, null);
        }

        var since = time.GetUtcNow().AddMinutes(-options.Value.TabletMinutes);
        var ticket = await db.Set<QueueTicket>().AsNoTracking()
            .Where(t => t.CounterId == counterId && t.Status == TicketStatus.Finished && t.EndedAt >= since)
            .OrderByDescending(t => t.EndedAt).ThenByDescending(t => t.Id).FirstOrDefaultAsync(ct);
        if (ticket is null)
        {
            return (null, null);
        }

        var invitation = await db.Set<SurveyInvitation>().AsNoTracking()
            .Where(i => i.EventKind == SurveyEventKind.QueueVisit && i.EventId == ticket.Id).OrderByDescending(i => i.Id).FirstOrDefaultAsync(ct);
        return (ticket, invitation);
    }
}
