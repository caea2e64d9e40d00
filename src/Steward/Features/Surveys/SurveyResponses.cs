using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
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
    StewardDbContext db, CaseService cases, PersonalDataProtector protector, Webhooks.WebhookEvents webhooks, IOptions<SurveyOptions> options, TimeProvider time)
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
        var response = new SurveyResponse
        {
            InvitationId = invitation.Id, DefinitionId = definition.Id, SubmittedAt = now, Language = language == Cultures.English ? Cultures.English : Cultures.Chinese,
            AnswersJson = JsonSerializer.Serialize(answers), Csat = csat, Nps = nps, Effort = effort, IsPoor = poor, EventKind = invitation.EventKind,
            EventId = invitation.EventId, CustomerId = invitation.CustomerId, StaffId = invitation.StaffId, BranchId = invitation.BranchId, TeamId = invitation.TeamId,
            Channel = invitation.Channel, Kind = invitation.Kind, ProductId = invitation.ProductId,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            db.Add(response);
            await db.SaveChangesAsync(ct);
            // The compare-and-set: … WHERE response_id IS NULL. A second submission racing this one changes no row and fails here.
            invitation.ResponseId = response.Id;
            invitation.Status = SurveyInvitationStatus.Answered;
            await webhooks.RaiseAsync(Webhooks.WebhookEventTypes.SurveyResponseReceived, new
            {
                responseId = response.Id, invitationId = invitation.Id, eventKind = response.EventKind, eventId = response.EventId, branchId = response.BranchId,
                csat = response.Csat, nps = response.Nps, effort = response.Effort, isPoor = response.IsPoor,
            }, ct);
            await db.SaveChangesAsync(ct);
            if (poor)
            {
                var followUp = await OpenFollowUpAsync(invitation, definition, content, answers, now, ct);
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
        SurveyInvitation invitation, SurveyDefinition definition, SurveyContent content, IReadOnlyDictionary<string, string[]> answers, DateTimeOffset now, CancellationToken ct)
    {
        var served = await db.Set<Case>().AsNoTracking().SingleAsync(c => c.Id == invitation.EventId, ct);
        var owner = await TeamLeadAsync(invitation, ct);
        var due = now.AddHours(options.Value.FollowUpHours);
        string? Score(SurveyQuestionType type) => answers.FirstOrDefault(a => IsType(content, a.Key, type)).Value?[0];
        string Scores(string effort, string separator) => string.Join(separator, new[] { ("CSAT", Score(SurveyQuestionType.Csat)), ("NPS", Score(SurveyQuestionType.Nps)), (effort, Score(SurveyQuestionType.Effort)) }
            .Where(s => s.Item2 is not null).Select(s => s.Item1 + " " + s.Item2));
        var scores = Scores("费力度", "，");
        var scoresEn = Scores("effort", ", ");
        var comments = string.Join("\n", content.Questions.Where(q => q.Type == SurveyQuestionType.FreeText && answers.ContainsKey(q.Id)).Select(q => "“" + answers[q.Id][0] + "”"));
        var description = $"客户对案件 {served.Reference} 的满意度问卷（{definition.Name} 第 {definition.Number} 版）给出低分：{scores}。请在 {options.Value.FollowUpHours} 小时内联系客户回访，了解原因并补救。"
            + (comments.Length > 0 ? "\n客户留言：\n" + comments : "")
            + $"\nThe customer gave a poor score in the survey about case {served.Reference}: {scoresEn}. Contact them within {options.Value.FollowUpHours} hours.";
        var request = new CaseCreateRequest(
            CaseKind.Suggestion, CaseChannel.WebForm, $"满意度回访：{served.Reference}（{scores}）", description.Length > 20000 ? description[..20000] : description,
            BranchId: invitation.BranchId, CustomerId: served.CustomerId, ProductId: served.ProductId, TeamId: owner.TeamId, AssigneeId: owner.StaffId, Tags: [FollowUpTag],
            Contact: served.CustomerId is null ? new CaseContactInput(served.ContactName ?? "客户 Customer", protector.Decrypt(served.ContactPhoneCipher), protector.Decrypt(served.ContactEmailCipher)) : null);
        var scope = new CaseViewer(null, ActorName, AllBranches: true, [], null, CanWork: true, CanAssign: true);
        var created = await cases.CreateCoreAsync(request, new CaseActor(null, ActorName), scope, ct);
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
