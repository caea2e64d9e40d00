using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Surveys;

/// <summary>
/// The customer's side of an invitation (no sign-in, the link's token) and the closed loop. Opening a link reads and records
/// nothing (a mail scanner that follows the link changes nothing); only a submission is stored, once, by a compare-and-set on
/// the invitation, after every answer was checked. A poor score opens a follow-up case in the same transaction, assigned to
/// the team lead of the staff member who served (else routed to the team's queue), due <see cref="SurveyOptions.FollowUpHours"/>
/// later on the calendar clock.
/// </summary>
public sealed class SurveyResponses(
    StewardDbContext db, CaseService cases, PersonalDataProtector protector, Webhooks.WebhookEvents webhooks, NotificationService notifications,
    IOptions<SurveyOptions> options, TimeProvider time)
{
    public const string ActorName = "System (survey follow-up) 系统（满意度回访）"; // English first: OneLanguage.Pick shows one half

    public const string FollowUpTag = "survey-follow-up";

    /// <summary>The survey behind a link, for the page to show; records nothing.</summary>
    public async Task<Outcome<PublicSurveyDto>> ForLinkAsync(string? token, CancellationToken ct = default)
    {
        var invitation = await InvitationAsync(token, tracked: false, ct);
        if (invitation is null)
        {
            return new SurveyLinkInvalid();
        }

        var content = await ContentAsync(invitation.DefinitionId, ct);
        return new PublicSurveyDto(content.Title, content.TitleEn, content.Intro, content.IntroEn, content.Questions,
            invitation.ResponseId is not null, invitation.ResponseId is null && time.GetUtcNow() >= invitation.ExpiresAt);
    }

    /// <summary>Answers from the API: a JSON number, string or array of strings per question.</summary>
    public Task<Outcome<PublicSurveyReceipt>> SubmitAsync(string? token, PublicSurveySubmitRequest r, CancellationToken ct = default)
    {
        var answers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var shape = new Dictionary<string, string[]>();
        foreach (var (id, value) in r.Answers ?? [])
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    answers[id] = [value.GetRawText()];
                    break;
                case JsonValueKind.String:
                    answers[id] = [value.GetString()!];
                    break;
                case JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String):
                    answers[id] = [.. value.EnumerateArray().Select(v => v.GetString()!)];
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    shape["answers." + id] = ["Give a number, a text or a list of option ids. 请提供数字、文字或选项编号列表。"];
                    break;
            }
        }

        return shape.Count > 0 ? Task.FromResult<Outcome<PublicSurveyReceipt>>(new SurveyAnswersInvalid(shape)) : SubmitAsync(token, answers, r.Language, ct);
    }

    /// <summary>Checks the link and every answer, then stores the response once (and a poor score's follow-up); nothing is stored from a refused submission.</summary>
    public async Task<Outcome<PublicSurveyReceipt>> SubmitAsync(string? token, IReadOnlyDictionary<string, IReadOnlyList<string>> given, string? language, CancellationToken ct = default)
    {
        var invitation = await InvitationAsync(token, tracked: true, ct);
        return invitation is null ? new SurveyLinkInvalid() : await RecordAsync(invitation, given, language, ct);
    }

    /// <summary>The submission of one invitation (tracked), once the token found it; the demo answers through here too.</summary>
    internal async Task<Outcome<PublicSurveyReceipt>> RecordAsync(SurveyInvitation invitation, IReadOnlyDictionary<string, IReadOnlyList<string>> given, string? language, CancellationToken ct)
    {
        if (invitation.ResponseId is not null)
        {
            return new SurveyAlreadyAnswered();
        }

        var now = time.GetUtcNow();
        if (now >= invitation.ExpiresAt)
        {
            return new SurveyLinkExpired();
        }

        var definition = await db.Set<SurveyDefinition>().AsNoTracking().SingleAsync(d => d.Id == invitation.DefinitionId, ct);
        var content = SurveyContent.Parse(definition.ContentJson);
        var (answers, errors) = content.Validate(given);
        if (errors.Count > 0)
        {
            return new SurveyAnswersInvalid(errors);
        }

        var (csat, nps, effort, poor) = content.Scores(answers);
        // A comment that meets the complaint definition opens the follow-up too, whatever the scores (issue 15).
        var suspected = content.Questions.Where(q => q.Type == SurveyQuestionType.FreeText && answers.ContainsKey(q.Id))
            .Any(q => SurveyComplaintSignal.MeetsComplaintDefinition(answers[q.Id][0]));
        var response = new SurveyResponse
        {
            InvitationId = invitation.Id, DefinitionId = definition.Id, SubmittedAt = now, Language = language == Cultures.English ? Cultures.English : Cultures.Chinese,
            AnswersJson = JsonSerializer.Serialize(answers), Csat = csat, Nps = nps, Effort = effort, IsPoor = poor, EventKind = invitation.EventKind,
            EventId = invitation.EventId, CustomerId = invitation.CustomerId, StaffId = invitation.StaffId, BranchId = invitation.BranchId, TeamId = invitation.TeamId,
            Channel = invitation.Channel, Kind = invitation.Kind, ProductId = invitation.ProductId, ComplaintSuspected = suspected,
        };
        var served = await ServedAsync(invitation, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.Add(response);
            await db.SaveChangesAsync(ct);
            // The compare-and-set: … WHERE response_id IS NULL. A second submission racing this one changes no row and fails here.
            invitation.ResponseId = response.Id;
            invitation.Status = SurveyInvitationStatus.Answered;
            await WithdrawReminderAsync(invitation, ct);
            if (nps >= 9 && served.Recipient() is { } thankTo)
            {
                // A promoter is thanked (issue 15), in their language, through the outbox like the invitation.
                var english = await CustomerLanguages.ForAsync(db, invitation.CustomerId, invitation.BranchId, ct) == Cultures.English;
                notifications.Send(thankTo.Channel, thankTo.Address, english ? "Thank you from Steward Bank" : "斯图尔德银行感谢您",
                    english ? $"Thank you for your kind rating of our service ({served.Reference}). We are glad we could help, and we will pass your words to the colleague who served you."
                        : $"感谢您对我们服务（{served.Reference}）的肯定！我们会把您的评价转达给为您服务的同事，期待再次为您服务。");
                response.ThankedAt = now;
            }

            await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.SurveyResponseReceived, new
            {
                responseId = response.Id, invitationId = invitation.Id, eventKind = response.EventKind, eventId = response.EventId, branchId = response.BranchId,
                csat = response.Csat, nps = response.Nps, effort = response.Effort, isPoor = response.IsPoor, complaintSuspected = response.ComplaintSuspected,
            }, ct);
            await db.SaveChangesAsync(ct);
            if (poor || suspected)
            {
                response.PlanDueAt = now.AddHours(options.Value.PlanHours);
                var followUp = await OpenFollowUpAsync(invitation, served, definition, content, answers, suspected, now, ct);
                if (!followUp.Succeeded)
                {
                    await transaction.RollbackAsync(ct);
                    return followUp.Error;
                }

                (response.FollowUpCaseId, response.FollowUpOwnerId, response.FollowUpDueAt) = followUp.Value;
                await db.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique response per invitation, or the compare-and-set: another submission won.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return new SurveyAlreadyAnswered();
        }

        return new PublicSurveyReceipt(true, now);
    }

    /// <summary>The customer asks for no more surveys (from any invitation's page, answered or not); asking twice is the same as once.</summary>
    public async Task<Outcome<bool>> OptOutAsync(string? token, CancellationToken ct = default)
    {
        var invitation = await InvitationAsync(token, tracked: false, ct);
        if (invitation is null)
        {
            return new SurveyLinkInvalid();
        }

        // Every reminder still waiting for this customer is withdrawn with the opt-out.
        var pending = await db.Set<SurveyInvitation>().AsNoTracking().Where(i => i.RecipientKey == invitation.RecipientKey && i.ReminderMessageId != null)
            .Select(i => i.ReminderMessageId!.Value).ToListAsync(ct);
        await SurveyReminders.WithdrawAsync(db, pending, time.GetUtcNow(), ct);
        if (!await db.Set<SurveyOptOut>().AnyAsync(o => o.RecipientKey == invitation.RecipientKey, ct))
        {
            db.Add(new SurveyOptOut { RecipientKey = invitation.RecipientKey, CustomerId = invitation.CustomerId, OptedOutAt = time.GetUtcNow(), InvitationId = invitation.Id });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // opted out at the same moment from another invitation: the same outcome
            }
        }

        return true;
    }

    /// <summary>
    /// The follow-up: a case about the same customer in the served branch, assigned to the team lead of whoever served (else the
    /// branch manager; else, or when they cannot be handed cases, to the team's queue), due <see cref="SurveyOptions.FollowUpHours"/>
    /// after the response on the calendar clock (the case's own deadline is the earlier of that and its standard's).
    /// </summary>
    private async Task<Outcome<(long? CaseId, long? OwnerId, DateTimeOffset? DueAt)>> OpenFollowUpAsync(
        SurveyInvitation invitation, Served served, SurveyDefinition definition, SurveyContent content, IReadOnlyDictionary<string, string[]> answers, bool suspected,
        DateTimeOffset now, CancellationToken ct)
    {
        var owner = await TeamLeadAsync(invitation, ct);
        var due = now.AddHours(options.Value.FollowUpHours);
        var plan = now.AddHours(options.Value.PlanHours);
        string? Score(SurveyQuestionType type) => answers.FirstOrDefault(a => IsType(content, a.Key, type)).Value?[0];
        string Scores(string effort, string separator) => string.Join(separator, new[] { ("CSAT", Score(SurveyQuestionType.Csat)), ("NPS", Score(SurveyQuestionType.Nps)), (effort, Score(SurveyQuestionType.Effort)) }
            .Where(s => s.Item2 is not null).Select(s => s.Item1 + " " + s.Item2));
        var scores = Scores("费力度", "，");
        var scoresEn = Scores("effort", ", ");
        var comments = string.Join("\n", content.Questions.Where(q => q.Type == SurveyQuestionType.FreeText && answers.ContainsKey(q.Id)).Select(q => "“" + answers[q.Id][0] + "”"));
        var about = served.Kind switch { SurveyEventKind.QueueVisit => "排队取号", SurveyEventKind.Complaint => "投诉", _ => "案件" };
        var aboutEn = served.Kind switch { SurveyEventKind.QueueVisit => "queue visit", SurveyEventKind.Complaint => "complaint", _ => "case" };
        var description = $"客户对{about} {served.Reference} 的满意度问卷（{definition.Name} 第 {definition.Number} 版）给出低分：{scores}。请在 {options.Value.FollowUpHours} 小时内联系客户回访，了解原因并补救；{options.Value.PlanHours} 小时内提出改进计划。结案前须记录根本原因及客户问题是否解决。"
            + (suspected ? "\n客户留言符合投诉定义（表达不满并主张权益）：请判断是否登记为投诉。" : "")
            + (comments.Length > 0 ? "\n客户留言：\n" + comments : "")
            + $"\nThe customer gave a poor score in the survey about {aboutEn} {served.Reference}: {scoresEn}. Contact them within {options.Value.FollowUpHours} hours; an improvement plan within {options.Value.PlanHours} hours. Record the root cause and whether the issue was resolved before closing."
            + (suspected ? " The comment meets the complaint definition: decide whether to record a complaint." : "");
        if (served.CustomerId is null && served.EmailCipher is null && served.PhoneCipher is null)
        {
            // Answered on the counter tablet or from the ticket by a customer nobody knows: no one to call back. The lead is told.
            if (owner.StaffId is { } lead)
            {
                notifications.Raise([lead], "survey.poor", $"{about} {served.Reference} 匿名低分：{scores}", $"Anonymous poor score for {aboutEn} {served.Reference}: {scoresEn}", "/Surveys");
            }

            return ((long?)null, owner.StaffId, (DateTimeOffset?)null);
        }

        var title = (suspected && scores.Length == 0 ? "满意度回访（疑似投诉）：" : "满意度回访：") + served.Reference + (scores.Length > 0 ? $"（{scores}）" : "");
        var request = new CaseCreateRequest(
            CaseKind.Suggestion, CaseChannel.WebForm, title, description.Length > 20000 ? description[..20000] : description,
            BranchId: invitation.BranchId, CustomerId: served.CustomerId, ProductId: served.ProductId, TeamId: owner.TeamId, AssigneeId: owner.StaffId, Tags: [FollowUpTag],
            Contact: served.CustomerId is null ? new CaseContactInput(served.ContactName ?? "客户 Customer", protector.TryDecrypt(served.PhoneCipher), protector.TryDecrypt(served.EmailCipher)) : null);
        var scope = new CaseViewer(null, ActorName, AllBranches: true, [], null, CanWork: true, CanAssign: true);
        var created = await cases.CreateCoreAsync(request, new CaseActor(null, ActorName), scope, ct);
        if (!created.Succeeded && created.Error is InvalidError { Fields: { } withdrawn } && withdrawn.ContainsKey("productId"))
        {
            // The product was withdrawn since the service event: the follow-up is about the customer, and goes without it
            // (the customer's answer must never be refused for it).
            request = request with { ProductId = null };
            created = await cases.CreateCoreAsync(request, new CaseActor(null, ActorName), scope, ct);
        }

        if (!created.Succeeded && created.Error is InvalidError { Fields: { } fields } && (fields.ContainsKey("assigneeId") || fields.ContainsKey("teamId")))
        {
            // The lead cannot be handed cases here (a manager, or a team of another branch): route it like any new case.
            created = await cases.CreateCoreAsync(request with { AssigneeId = null, TeamId = null }, new CaseActor(null, ActorName), scope, ct);
            owner = (null, null);
        }

        if (!created.Succeeded)
        {
            return created.Error;
        }

        var c = created.Value;
        if (c.DueAt is null || c.DueAt > due)
        {
            c.DueAt = due;
            await db.SaveChangesAsync(ct);
        }

        return ((long?)c.Id, owner.StaffId, (DateTimeOffset?)due);
    }

    /// <summary>What the event was and whom to reach: the case's (or the complaint's case's) customer or contact, a queue visit's customer.</summary>
    internal sealed record Served(
        SurveyEventKind Kind, string Reference, long? CustomerId, long? ProductId, string? ContactName, string? EmailCipher, string? PhoneCipher, PersonalDataProtector Protector)
    {
        /// <summary>
        /// Whom a thank-you goes to; none when the stored contact cannot be read (a key that is not this node's, a damaged
        /// value): the customer's answer is kept all the same, and the response shows it was not thanked.
        /// </summary>
        public (OutboxChannel Channel, string Address)? Recipient() =>
            Protector.TryDecrypt(EmailCipher) is { Length: > 0 } email ? (OutboxChannel.Email, email)
            : Protector.TryDecrypt(PhoneCipher) is { Length: > 0 } phone ? (OutboxChannel.Sms, phone) : null;
    }

    private async Task<Served> ServedAsync(SurveyInvitation invitation, CancellationToken ct)
    {
        var caseId = invitation.EventKind switch
        {
            SurveyEventKind.Case => invitation.EventId,
            SurveyEventKind.Complaint => await db.Set<Complaints.Complaint>().AsNoTracking().Where(k => k.Id == invitation.EventId).Select(k => (long?)k.CaseId).SingleOrDefaultAsync(ct),
            _ => null,
        };
        string? email = null, phone = null;
        if (invitation.CustomerId is { } customerId)
        {
            var customer = await db.Set<Customers.Customer>().AsNoTracking().Where(x => x.Id == customerId).Select(x => new { x.EmailCipher, x.PhoneCipher }).SingleOrDefaultAsync(ct);
            (email, phone) = (customer?.EmailCipher, customer?.PhoneCipher);
        }

        if (caseId is { } id && await db.Set<Case>().AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct) is { } c)
        {
            return c.CustomerId is null
                ? new Served(invitation.EventKind, c.Reference, null, c.ProductId, c.ContactName, c.ContactEmailCipher, c.ContactPhoneCipher, protector)
                : new Served(invitation.EventKind, c.Reference, c.CustomerId, c.ProductId, null, email, phone, protector);
        }

        var number = invitation.EventKind == SurveyEventKind.QueueVisit
            ? await db.Set<Queues.QueueTicket>().AsNoTracking().Where(t => t.Id == invitation.EventId).Select(t => t.Number).SingleOrDefaultAsync(ct)
            : null;
        return new Served(invitation.EventKind, number ?? Format(invitation.EventId), invitation.CustomerId, invitation.ProductId, null, email, phone, protector);
    }

    /// <summary>The invitation's reminder, if still waiting in the outbox, is withdrawn: the customer answered.</summary>
    private async Task WithdrawReminderAsync(SurveyInvitation invitation, CancellationToken ct)
    {
        if (invitation.ReminderMessageId is { } id && await SurveyReminders.WithdrawAsync(db, [id], time.GetUtcNow(), ct) > 0)
        {
            invitation.ReminderMessageId = null;
        }
    }

    private static bool IsType(SurveyContent content, string id, SurveyQuestionType type) => content.Questions.Any(q => q.Id == id && q.Type == type);

    /// <summary>An active team lead of the served staff member's team other than themselves, else an active manager of the branch.</summary>
    private async Task<(long? StaffId, long? TeamId)> TeamLeadAsync(SurveyInvitation invitation, CancellationToken ct)
    {
        if (invitation.TeamId is { } teamId)
        {
            var lead = await db.Set<Staff>().AsNoTracking()
                .Where(s => s.IsActive && s.TeamId == teamId && s.Id != invitation.StaffId && s.Roles.Any(r => r.Role == StaffRole.TeamLead))
                .OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (lead is not null)
            {
                return (lead, teamId);
            }
        }

        var manager = await db.Set<Staff>().AsNoTracking()
            .Where(s => s.IsActive && s.HomeBranchId == invitation.BranchId && s.Roles.Any(r => r.Role == StaffRole.BranchManager))
            .OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        return (manager, null);
    }

    private async Task<SurveyInvitation?> InvitationAsync(string? token, bool tracked, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = SurveyInvitations.Hash(token.Trim());
        var set = tracked ? db.Set<SurveyInvitation>() : db.Set<SurveyInvitation>().AsNoTracking();
        return await set.SingleOrDefaultAsync(i => i.TokenHash == hash && i.Status != SurveyInvitationStatus.Suppressed, ct);
    }

    private async Task<SurveyContent> ContentAsync(long definitionId, CancellationToken ct) =>
        SurveyContent.Parse(await db.Set<SurveyDefinition>().AsNoTracking().Where(d => d.Id == definitionId).Select(d => d.ContentJson).SingleAsync(ct));

    internal static string Format(long id) => id.ToString(CultureInfo.InvariantCulture);
}
