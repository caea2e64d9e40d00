using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Surveys;

/// <summary>
/// Sends a survey when a case is resolved or closed: the first survey in force (by code) whose trigger, kinds and channels
/// match, under the contact policy across all surveys — none to a customer who opted out, none while another case of theirs
/// is an open complaint, at most one per <see cref="SurveyOptions.ContactWindowDays"/> counted between sending instants. A
/// suppressed invitation is recorded with its reason and no token. A sent one is a message in the outbox (e-mail, else SMS;
/// this deployment has no mail or SMS gateway, <see cref="LoggingOutboxSender"/> logs them) carrying a link whose random token
/// only the customer gets: its SHA-256 is stored. Runs inside the case change's unit of work (an observer).
/// </summary>
public sealed class SurveyInvitations(
    StewardDbContext db, SurveyDefinitions definitions, NotificationService notifications, PersonalDataProtector protector, CurrentUser user,
    IOptions<SurveyOptions> options, TimeProvider time) : ICaseLifecycleObserver
{
    public Task OnCreatedAsync(Case @case, CancellationToken ct) => Task.CompletedTask;

    public Task OnRetargetedAsync(Case @case, CaseKind oldKind, CasePriority oldPriority, CancellationToken ct) => Task.CompletedTask;

    public Task OnTransitionedAsync(Case @case, CaseTransition change, CancellationToken ct) => change.To switch
    {
        CaseStatus.Resolved when change.From != CaseStatus.Resolved => InviteAsync(@case, SurveyTrigger.CaseResolved, change.At, ct),
        CaseStatus.Closed when change.From != CaseStatus.Closed => InviteAsync(@case, SurveyTrigger.CaseClosed, change.At, ct),
        _ => Task.CompletedTask,
    };

    /// <summary>The path of the public page; the link is <see cref="SurveyOptions.PublicBaseUrl"/> + this + the token.</summary>
    public const string PublicPath = "/Public/Survey?t=";

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task InviteAsync(Case c, SurveyTrigger trigger, DateTimeOffset at, CancellationToken ct)
    {
        if (c.TagList.Contains(SurveyResponses.FollowUpTag))
        {
            return; // the follow-up of a survey is not itself surveyed
        }

        var matching = await definitions.MatchingAsync(trigger, c.Kind, c.Channel, ct);
        if (matching.Count == 0)
        {
            return;
        }

        var definition = matching[0];
        var (key, channel, recipient) = await RecipientAsync(c, ct);
        var sendAt = at.AddMinutes(definition.DelayMinutes);
        // Who served: the person resolving (or closing) it now, not whoever owns it; the owner when the system moves it.
        var staffId = user.StaffId ?? c.AssigneeId;
        var teamId = staffId is { } s ? await db.Set<Staff>().AsNoTracking().Where(x => x.Id == s).Select(x => x.TeamId).SingleOrDefaultAsync(ct) : null;
        var invitation = new SurveyInvitation
        {
            DefinitionId = definition.Id, EventKind = SurveyEventKind.Case, EventId = c.Id, CustomerId = c.CustomerId, RecipientKey = key ?? NoRecipient(c),
            CreatedAt = time.GetUtcNow(), SendAt = sendAt, StaffId = staffId, BranchId = c.BranchId, TeamId = teamId ?? c.TeamId, Channel = c.Channel, Kind = c.Kind,
            ProductId = c.ProductId,
        };
        invitation.Suppression = key is null || recipient is null ? SurveySuppression.NoContact : await SuppressionAsync(c, key, sendAt, ct);
        if (invitation.Suppression is not null)
        {
            invitation.Status = SurveyInvitationStatus.Suppressed;
            db.Add(invitation);
            return;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        invitation.Status = SurveyInvitationStatus.Sent;
        invitation.DeliveryChannel = channel;
        invitation.TokenHash = Hash(token);
        invitation.ExpiresAt = sendAt.AddDays(definition.ExpiryDays);
        db.Add(invitation);

        var content = SurveyContent.Parse(definition.ContentJson);
        var until = invitation.ExpiresAt.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // One language, the customer's (stated on their file, else the branch regime's): CustomerLanguages. The link opens the
        // survey in it too (the culture query parameter).
        var language = await CustomerLanguages.ForAsync(db, c.CustomerId, c.BranchId, ct);
        var english = language == Cultures.English;
        var link = options.Value.PublicBaseUrl.TrimEnd('/') + PublicPath + token + "&culture=" + language;
        var subject = english ? content.TitleEn : content.Title;
        var body = (channel == OutboxChannel.Sms, english) switch
        {
            (true, false) => $"【斯图尔德银行】请评价您刚刚获得的服务（{c.Reference}）：{link} 截止 {until}。",
            (true, true) => $"Steward Bank: how did we do ({c.Reference})? {link} Open until {until}.",
            (false, false) => $"您好！感谢您联系我们（{c.Reference}）。请花一分钟评价此次服务：\n{link}\n链接 {until} 前有效，只能提交一次。",
            (false, true) => $"Hello, thank you for contacting us ({c.Reference}). Please tell us how we did — it takes a minute:\n{link}\nThe link works until {until} and takes one response.",
        };
        notifications.Send(channel, recipient!, subject, body, sendAt);
    }

    /// <summary>Whom to count and where to send: the customer file's e-mail, else its phone; a contact's the same way.</summary>
    private async Task<(string? Key, OutboxChannel Channel, string? Recipient)> RecipientAsync(Case c, CancellationToken ct)
    {
        string? emailCipher = c.ContactEmailCipher, phoneCipher = c.ContactPhoneCipher, key = null;
        if (c.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customer>().AsNoTracking().Where(x => x.Id == customerId).Select(x => new { x.EmailCipher, x.PhoneCipher }).SingleAsync(ct);
            (emailCipher, phoneCipher, key) = (customer.EmailCipher, customer.PhoneCipher, CustomerKey(customerId));
        }

        var email = protector.Decrypt(emailCipher);
        if (!string.IsNullOrWhiteSpace(email))
        {
            return (key ?? "email:" + protector.BlindIndex(email), OutboxChannel.Email, email);
        }

        var phone = protector.Decrypt(phoneCipher);
        return string.IsNullOrWhiteSpace(phone) ? (key, OutboxChannel.Sms, null) : (key ?? "phone:" + protector.BlindIndex(phone), OutboxChannel.Sms, phone);
    }

    internal static string CustomerKey(long customerId) => "customer:" + customerId.ToString(CultureInfo.InvariantCulture);

    private static string NoRecipient(Case c) => "case:" + c.Id.ToString(CultureInfo.InvariantCulture);

    private async Task<SurveySuppression?> SuppressionAsync(Case c, string key, DateTimeOffset sendAt, CancellationToken ct)
    {
        if (await db.Set<SurveyOptOut>().AnyAsync(o => o.RecipientKey == key, ct))
        {
            return SurveySuppression.OptedOut;
        }

        if (await HasOpenComplaintAsync(c, ct))
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
    private Task<bool> HasOpenComplaintAsync(Case c, CancellationToken ct)
    {
        var cases = db.Set<Case>().AsNoTracking().Where(x => x.Id != c.Id && x.Status != CaseStatus.Closed && x.Status != CaseStatus.Cancelled);
        cases = c.CustomerId is { } customerId ? cases.Where(x => x.CustomerId == customerId)
            : c.ContactEmailIndex is { } email ? cases.Where(x => x.ContactEmailIndex == email)
            : c.ContactPhoneIndex is { } phone ? cases.Where(x => x.ContactPhoneIndex == phone)
            : cases.Where(x => false);
        return cases.AnyAsync(x => x.Kind == CaseKind.Complaint || db.Set<Complaint>().Any(k => k.CaseId == x.Id), ct);
    }
}
