using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Surveys;

/// <summary>
/// What a survey is about, whatever the service event: a case resolved or closed, a queue visit finished at a counter, a
/// complaint closed. <see cref="StaffId"/> is who served (the resolver, the counter's staff member, the complaint's handler).
/// <see cref="FixedToken"/>, when given, is the link's token (a queue visit's, derived from its ticket's QR token, so the printed
/// ticket and the counter tablet reach the same invitation).
/// </summary>
public sealed record SurveyServiceEvent(
    SurveyEventKind Kind, long Id, string Reference, DateTimeOffset At, long? CustomerId, string? EmailCipher, string? PhoneCipher, string? EmailIndex,
    string? PhoneIndex, long? StaffId, long BranchId, long? TeamId, CaseChannel? Channel, CaseKind? CaseKind, long? ProductId, string? FixedToken = null);

/// <summary>
/// Sends a survey when a service event happens — a case resolved or closed, a complaint closed (observing cases), a queue visit
/// finished (<see cref="Queues.IQueueVisitObserver"/>): the first survey in force (by code) whose trigger, kinds and channels
/// match, under the contact policy across all surveys — none to a customer who opted out, none while another case of theirs
/// is an open complaint, at most one per <see cref="SurveyOptions.ContactWindowDays"/> counted between sending instants. A
/// suppressed invitation is recorded with its reason and no token. A sent one is a message in the outbox (e-mail, else SMS;
/// this deployment has no mail or SMS gateway, <see cref="LoggingOutboxSender"/> logs them) carrying a link whose random token
/// only the customer gets: its SHA-256 is stored. Delivery and the one reminder are moved out of the quiet hours of the
/// branch's zone. Runs inside the event's unit of work.
/// </summary>
public sealed class SurveyInvitations(
    StewardDbContext db, SurveyDefinitions definitions, NotificationService notifications, PersonalDataProtector protector, CurrentUser user,
    IOptions<SurveyOptions> options, TimeProvider time) : ICaseLifecycleObserver, Queues.IQueueVisitObserver
{
    public Task OnCreatedAsync(Case @case, CancellationToken ct) => Task.CompletedTask;

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) => Task.CompletedTask;

    public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => change.To switch
    {
        CaseStatus.Resolved when change.From != CaseStatus.Resolved => CaseEventAsync(@case, SurveyTrigger.CaseResolved, change.At, ct),
        CaseStatus.Closed when change.From != CaseStatus.Closed => ClosedAsync(@case, change.At, ct),
        _ => Task.CompletedTask,
    };

    /// <summary>The path of the public page; the link is <see cref="SurveyOptions.PublicBaseUrl"/> + this + the token.</summary>
    public const string PublicPath = "/Public/Survey?t=";

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>The survey token of a queue visit, derived from its ticket's QR token: whoever holds the ticket can answer, nobody else can compute it.</summary>
    public static string VisitToken(string ticketToken) => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes("steward-survey:" + ticketToken)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A queue visit ended as served at a counter: credited to the staff member signed in at that counter.</summary>
    public async Task OnVisitFinishedAsync(Queues.QueueTicket ticket, long counterId, long? staffId, CancellationToken ct)
    {
        if (ticket.PublicToken is null)
        {
            return; // a ticket from before QR tokens: nothing the customer could open
        }

        string? email = null, phone = null;
        if (ticket.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().Where(x => x.Id == customerId).Select(x => new { x.EmailCipher, x.PhoneCipher }).SingleOrDefaultAsync(ct);
            (email, phone) = (customer?.EmailCipher, customer?.PhoneCipher);
        }

        var teamId = staffId is { } s ? await db.Set<Staff>().AsNoTracking().Where(x => x.Id == s).Select(x => x.TeamId).SingleOrDefaultAsync(ct) : null;
        await InviteAsync(SurveyTrigger.QueueVisitFinished, new SurveyServiceEvent(
            SurveyEventKind.QueueVisit, ticket.Id, ticket.Number, time.GetUtcNow(), ticket.CustomerId, email, phone, null, null, staffId, ticket.BranchId, teamId,
            CaseChannel.Counter, null, null, VisitToken(ticket.PublicToken)), ct);
    }

    /// <summary>A closed case with a complaint record (or of kind Complaint) is a closed complaint, credited to its handler; otherwise a closed case.</summary>
    private async Task ClosedAsync(Case c, DateTimeOffset at, CancellationToken ct)
    {
        var complaintId = await db.Set<Complaint>().AsNoTracking().Where(k => k.CaseId == c.Id).Select(k => (long?)k.Id).SingleOrDefaultAsync(ct);
        if ((complaintId is not null || c.Kind == CaseKind.Complaint) && !c.TagList.Contains(SurveyResponses.FollowUpTag))
        {
            // The handler is whoever holds the case (not whoever approves the closure); the closer when nobody does.
            var handler = c.AssigneeId ?? user.StaffId;
            var e = await EventOfAsync(c, at, handler, ct);
            if (await InviteAsync(SurveyTrigger.ComplaintClosed, complaintId is { } id ? e with { Kind = SurveyEventKind.Complaint, Id = id } : e, ct))
            {
                return;
            }
        }

        await CaseEventAsync(c, SurveyTrigger.CaseClosed, at, ct);
    }

    private async Task CaseEventAsync(Case c, SurveyTrigger trigger, DateTimeOffset at, CancellationToken ct)
    {
        if (c.TagList.Contains(SurveyResponses.FollowUpTag))
        {
            return; // the follow-up of a survey is not itself surveyed
        }

        // Who served: the person resolving (or closing) it now, not whoever owns it; the owner when the system moves it.
        await InviteAsync(trigger, await EventOfAsync(c, at, user.StaffId ?? c.AssigneeId, ct), ct);
    }

    private async Task<SurveyServiceEvent> EventOfAsync(Case c, DateTimeOffset at, long? staffId, CancellationToken ct)
    {
        string? emailCipher = c.ContactEmailCipher, phoneCipher = c.ContactPhoneCipher;
        if (c.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().Where(x => x.Id == customerId).Select(x => new { x.EmailCipher, x.PhoneCipher }).SingleAsync(ct);
            (emailCipher, phoneCipher) = (customer.EmailCipher, customer.PhoneCipher);
        }

        var teamId = staffId is { } s ? await db.Set<Staff>().AsNoTracking().Where(x => x.Id == s).Select(x => x.TeamId).SingleOrDefaultAsync(ct) : null;
        return new SurveyServiceEvent(SurveyEventKind.Case, c.Id, c.Reference, at, c.CustomerId, emailCipher, phoneCipher, c.ContactEmailIndex, c.ContactPhoneIndex,
            staffId, c.BranchId, teamId ?? c.TeamId, c.Channel, c.Kind, c.ProductId);
    }

    /// <summary>Makes the invitation (or records why the policy sent none); false when no survey in force follows this event.</summary>
    private async Task<bool> InviteAsync(SurveyTrigger trigger, SurveyServiceEvent e, CancellationToken ct)
    {
        var matching = await definitions.MatchingAsync(trigger, e.CaseKind, e.Channel, ct);
        if (matching.Count == 0)
        {
            return false;
        }

        var definition = matching[0];
        var (key, channel, recipient) = Recipient(e);
        var zone = await db.Set<Branch>().AsNoTracking().Where(b => b.Id == e.BranchId).Select(b => b.TimeZone).SingleOrDefaultAsync(ct);
        var sendAt = OutOfQuietHours(e.At.AddMinutes(definition.DelayMinutes), zone, options.Value);
        var invitation = new SurveyInvitation
        {
            DefinitionId = definition.Id, EventKind = e.Kind, EventId = e.Id, CustomerId = e.CustomerId,
            RecipientKey = key ?? e.Kind.ToString().ToLowerInvariant() + ":" + e.Id.ToString(CultureInfo.InvariantCulture),
            CreatedAt = time.GetUtcNow(), SendAt = sendAt, StaffId = e.StaffId, BranchId = e.BranchId, TeamId = e.TeamId, Channel = e.Channel, Kind = e.CaseKind,
            ProductId = e.ProductId,
        };
        // A queue visit can be answered without any address: on the tablet at the counter or from the QR code on the ticket.
        var answerableInBranch = e.FixedToken is not null;
        invitation.Suppression = key is null ? (answerableInBranch ? null : SurveySuppression.NoContact) : await SuppressionAsync(e, key, sendAt, ct);
        if (invitation.Suppression is not null)
        {
            invitation.Status = SurveyInvitationStatus.Suppressed;
            db.Add(invitation);
            return true;
        }

        var token = e.FixedToken ?? Base64Url(RandomNumberGenerator.GetBytes(32));
        invitation.Status = SurveyInvitationStatus.Sent;
        invitation.DeliveryChannel = recipient is null ? null : channel;
        invitation.TokenHash = Hash(token);
        invitation.ExpiresAt = sendAt.AddDays(definition.ExpiryDays);
        db.Add(invitation);
        if (recipient is null)
        {
            return true;
        }

        var content = SurveyContent.Parse(definition.ContentJson);
        var until = invitation.ExpiresAt.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // One language, the customer's (stated on their file, else the branch regime's): CustomerLanguages. The link opens the
        // survey in it too (the culture query parameter).
        var language = await CustomerLanguages.ForAsync(db, e.CustomerId, e.BranchId, ct);
        var english = language == Cultures.English;
        var link = options.Value.PublicBaseUrl.TrimEnd('/') + PublicPath + token + "&culture=" + language;
        var subject = english ? content.TitleEn : content.Title;
        var body = (channel == OutboxChannel.Sms, english) switch
        {
            (true, false) => $"【斯图尔德银行】请评价您刚刚获得的服务（{e.Reference}）：{link} 截止 {until}。",
            (true, true) => $"Steward Bank: how did we do ({e.Reference})? {link} Open until {until}.",
            (false, false) => $"您好！感谢您选择我们（{e.Reference}）。请花一分钟评价此次服务：\n{link}\n链接 {until} 前有效，只能提交一次。",
            (false, true) => $"Hello, thank you for choosing us ({e.Reference}). Please tell us how we did — it takes a minute:\n{link}\nThe link works until {until} and takes one response.",
        };
        notifications.Send(channel, recipient, subject, body, sendAt);

        // The one reminder: still unanswered after ReminderAfterDays, out of the quiet hours, before the link closes. Withdrawn
        // from the outbox when the customer answers or opts out first (SurveyResponses).
        if (options.Value.ReminderAfterDays > 0 && OutOfQuietHours(sendAt.AddDays(options.Value.ReminderAfterDays), zone, options.Value) is var remindAt && remindAt < invitation.ExpiresAt)
        {
            var reminder = (channel == OutboxChannel.Sms, english) switch
            {
                (true, false) => $"【斯图尔德银行】提醒：您对服务（{e.Reference}）的评价还未提交：{link} 截止 {until}。仅此一次提醒。",
                (true, true) => $"Steward Bank reminder: tell us how we did ({e.Reference}): {link} Open until {until}. We will not remind you again.",
                (false, false) => $"您好！提醒您：我们还没有收到您对此次服务（{e.Reference}）的评价。\n{link}\n链接 {until} 前有效。这是唯一一次提醒。",
                (false, true) => $"Hello, a reminder: we have not yet heard how we did ({e.Reference}).\n{link}\nThe link works until {until}. This is the only reminder.",
            };
            invitation.ReminderAt = remindAt;
            invitation.ReminderMessage = notifications.Send(channel, recipient, (english ? "Reminder: " : "提醒：") + subject, reminder, remindAt);
            // Held for the reminder job, which releases it only while the invitation is unanswered (SurveyReminders).
            SurveyReminders.Hold(invitation.ReminderMessage);
        }

        return true;
    }

    /// <summary>
    /// The instant moved out of the quiet hours (<see cref="SurveyOptions.QuietFrom"/>–<see cref="SurveyOptions.QuietUntil"/>,
    /// local time of the branch's zone): inside them it becomes the next end of the quiet hours, e.g. 22:30 in Shanghai → 08:00
    /// the next day, 06:00 → 08:00 the same day.
    /// </summary>
    public static DateTimeOffset OutOfQuietHours(DateTimeOffset at, string? zoneId, SurveyOptions o)
    {
        var from = TimeOnly.ParseExact(o.QuietFrom, "HH:mm", CultureInfo.InvariantCulture);
        var until = TimeOnly.ParseExact(o.QuietUntil, "HH:mm", CultureInfo.InvariantCulture);
        if (from == until)
        {
            return at;
        }

        var zone = zoneId is not null && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var found) ? found : TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var overnight = from > until;
        var quiet = overnight ? time >= from || time < until : time >= from && time < until;
        if (!quiet)
        {
            return at;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        var endDay = overnight && time >= from ? day.AddDays(1) : day;
        var endLocal = endDay.ToDateTime(until);
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }

    /// <summary>Whom to count and where to send: the e-mail, else the phone; the customer file's key, else the contact's blind index.</summary>
    private (string? Key, OutboxChannel Channel, string? Recipient) Recipient(SurveyServiceEvent e)
    {
        var key = e.CustomerId is { } customerId ? CustomerKey(customerId) : null;
        var email = protector.Decrypt(e.EmailCipher);
        if (!string.IsNullOrWhiteSpace(email))
        {
            return (key ?? "email:" + protector.BlindIndex(email), OutboxChannel.Email, email);
        }

        var phone = protector.Decrypt(e.PhoneCipher);
        return string.IsNullOrWhiteSpace(phone) ? (key, OutboxChannel.Sms, null) : (key ?? "phone:" + protector.BlindIndex(phone), OutboxChannel.Sms, phone);
    }

    internal static string CustomerKey(long customerId) => "customer:" + customerId.ToString(CultureInfo.InvariantCulture);

    private async Task<SurveySuppression?> SuppressionAsync(SurveyServiceEvent e, string key, DateTimeOffset sendAt, CancellationToken ct)
    {
        if (await db.Set<SurveyOptOut>().AnyAsync(o => o.RecipientKey == key, ct))
        {
            return SurveySuppression.OptedOut;
        }

        if (await HasOpenComplaintAsync(e, ct))
        {
            return SurveySuppression.OpenComplaint;
        }

        var window = options.Value.ContactWindowDays;
        if (window > 0)
        {
            // Either side of the new sending instant: an invitation scheduled later (a longer delay) counts too.
            var from = sendAt.AddDays(-window);
            var to = sendAt.AddDays(window);
            var sent = await db.Set<SurveyInvitation>().AnyAsync(i => i.RecipientKey == key && i.Status != SurveyInvitationStatus.Suppressed && i.SendAt > from && i.SendAt < to, ct)
                || db.ChangeTracker.Entries<SurveyInvitation>().Any(e => e.State == EntityState.Added && e.Entity.RecipientKey == key && e.Entity.Status != SurveyInvitationStatus.Suppressed);
            if (sent)
            {
                return SurveySuppression.RecentInvitation;
            }
        }

        return null;
    }

    /// <summary>Another case of the same customer (or contact) that is a complaint and is not closed or cancelled.</summary>
    private async Task<bool> HasOpenComplaintAsync(SurveyServiceEvent e, CancellationToken ct)
    {
        var self = e.Kind switch
        {
            SurveyEventKind.Case => e.Id,
            SurveyEventKind.Complaint => await db.Set<Complaint>().AsNoTracking().Where(k => k.Id == e.Id).Select(k => k.CaseId).SingleAsync(ct),
            _ => 0,
        };
        var cases = db.Set<Case>().AsNoTracking().Where(x => x.Id != self && x.Status != CaseStatus.Closed && x.Status != CaseStatus.Cancelled);
        cases = e.CustomerId is { } customerId ? cases.Where(x => x.CustomerId == customerId)
            : e.EmailIndex is { } email ? cases.Where(x => x.ContactEmailIndex == email)
            : e.PhoneIndex is { } phone ? cases.Where(x => x.ContactPhoneIndex == phone)
            : cases.Where(x => false);
        return await cases.AnyAsync(x => x.Kind == CaseKind.Complaint || db.Set<Complaint>().Any(k => k.CaseId == x.Id), ct);
    }
}
