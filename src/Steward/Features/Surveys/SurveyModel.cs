using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Notifications;
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Surveys;

/// <summary>What one question asks: a CSAT score 1–5, an NPS 0–10, customer effort 1–7 (1 very easy … 7 very hard), one or several options, or free text.</summary>
public enum SurveyQuestionType
{
    Csat,
    Nps,
    Effort,
    SingleChoice,
    MultipleChoice,
    FreeText,
}

/// <summary>The service events a survey follows. Cases today; queue visits and complaints attach here when they send surveys.</summary>
public enum SurveyTrigger
{
    CaseResolved,
    CaseClosed,

    /// <summary>A queue visit ended at a counter as served (decision 0054); credited to the counter's staff member.</summary>
    QueueVisitFinished,

    /// <summary>A case with a complaint record (or of kind Complaint) was closed; credited to the complaint's handler (the case's assignee).</summary>
    ComplaintClosed,
}

/// <summary>What a survey is about: the kind of the service event (with <see cref="SurveyInvitation.EventId"/>, its id).</summary>
public enum SurveyEventKind
{
    Case,

    /// <summary>A queue ticket's visit (<see cref="Queues.QueueTicket"/> id).</summary>
    QueueVisit,

    /// <summary>A complaint record (<see cref="Complaints.Complaint"/> id).</summary>
    Complaint,
}

public enum SurveyInvitationStatus
{
    /// <summary>Written to the outbox (sent at <see cref="SurveyInvitation.SendAt"/>); waiting for the customer.</summary>
    Sent,

    /// <summary>The customer submitted their answers (once).</summary>
    Answered,

    /// <summary>Not sent, by the contact policy (<see cref="SurveyInvitation.Suppression"/> says why). Kept so the policy can be checked.</summary>
    Suppressed,
}

/// <summary>Why the contact policy sent nothing.</summary>
public enum SurveySuppression
{
    /// <summary>The customer had an invitation (of any survey) inside the contact window.</summary>
    RecentInvitation,

    /// <summary>The customer has a complaint open (another case of theirs).</summary>
    OpenComplaint,

    /// <summary>The customer asked for no more surveys.</summary>
    OptedOut,

    /// <summary>Neither an e-mail address nor a phone number is known.</summary>
    NoContact,
}

/// <summary>
/// One version of a survey. Versions are never changed: publishing a survey with the same code adds the next number, and the
/// highest number of a code is the one in force (inactive when <see cref="IsActive"/> is false). Invitations and responses
/// name the version they were sent with, so a later change never alters what an earlier customer was asked.
/// </summary>
public sealed class SurveyDefinition : IAuditable
{
    public long Id { get; set; }

    /// <summary>Stable name of the survey across versions, e.g. <c>case-csat</c>.</summary>
    public string Code { get; set; } = "";

    public int Number { get; set; }

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>The questions (<see cref="SurveyContent"/>) as JSON.</summary>
    public string ContentJson { get; set; } = "";

    public SurveyTrigger TriggerEvent { get; set; }

    /// <summary>Comma-separated case kinds the survey follows; empty: every kind.</summary>
    public string Kinds { get; set; } = "";

    /// <summary>Comma-separated case channels the survey follows; empty: every channel.</summary>
    public string Channels { get; set; } = "";

    /// <summary>Minutes between the event and sending the invitation.</summary>
    public int DelayMinutes { get; set; }

    /// <summary>Days the link can be answered, counted from sending.</summary>
    public int ExpiryDays { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTimeOffset PublishedAt { get; set; }

    public long? PublishedById { get; set; }

    public IReadOnlyList<string> KindList => Kinds.Length == 0 ? [] : Kinds.Split(',');

    public IReadOnlyList<string> ChannelList => Channels.Length == 0 ? [] : Channels.Split(',');
}

/// <summary>
/// An invitation to answer one survey about one service event, or the record that the contact policy sent none. Only the
/// SHA-256 of the link's token is stored. Attribution is taken when the event happens: the staff member who served (who
/// resolved the case, not its owner), their team, the branch, channel, kind and product.
/// </summary>
public sealed class SurveyInvitation : IAuditable
{
    public long Id { get; set; }

    public long DefinitionId { get; set; }

    public SurveyEventKind EventKind { get; set; }

    public long EventId { get; set; }

    public long? CustomerId { get; set; }

    /// <summary>Whom the contact policy counts: <c>customer:{id}</c>, or for a contact without a customer file the blind index of their e-mail or phone.</summary>
    public string RecipientKey { get; set; } = "";

    public SurveyInvitationStatus Status { get; set; }

    public SurveySuppression? Suppression { get; set; }

    /// <summary>E-mail or SMS; null when suppressed.</summary>
    public OutboxChannel? DeliveryChannel { get; set; }

    public string? TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset SendAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Set once, by a compare-and-set: of two submissions at once one wins.</summary>
    public long? ResponseId { get; set; }

    public long? StaffId { get; set; }

    public long BranchId { get; set; }

    public long? TeamId { get; set; }

    public CaseChannel? Channel { get; set; }

    public CaseKind? Kind { get; set; }

    public long? ProductId { get; set; }

    /// <summary>When the one reminder goes if the customer has not answered by then (moved out of the quiet hours); null: none.</summary>
    public DateTimeOffset? ReminderAt { get; set; }

    /// <summary>The reminder, written to the outbox with the invitation for <see cref="ReminderAt"/>; withdrawn (deleted while undelivered) once the customer answers or opts out.</summary>
    public long? ReminderMessageId { get; set; }

    public OutboxMessage? ReminderMessage { get; set; }

    /// <summary>When the reminder job released the reminder to the outbox (<see cref="SurveyReminders"/>): set once, only while unanswered.</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }
}

/// <summary>
/// A customer's answers to one invitation, with the scores the analysis reads (the first CSAT, NPS and effort question of the
/// survey) and the attribution copied from the invitation. A poor score opens a follow-up case (<see cref="FollowUpCaseId"/>).
/// </summary>
public sealed class SurveyResponse : IAuditable
{
    public long Id { get; set; }

    public long InvitationId { get; set; }

    public long DefinitionId { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    /// <summary>The language the customer answered in (zh-CN or en).</summary>
    public string Language { get; set; } = "";

    /// <summary>Question id → the answer's values (a score, option ids, or the text).</summary>
    public string AnswersJson { get; set; } = "";

    public int? Csat { get; set; }

    public int? Nps { get; set; }

    public int? Effort { get; set; }

    /// <summary>A score at or past its question's threshold.</summary>
    public bool IsPoor { get; set; }

    public SurveyEventKind EventKind { get; set; }

    public long EventId { get; set; }

    public long? CustomerId { get; set; }

    public long? StaffId { get; set; }

    public long BranchId { get; set; }

    public long? TeamId { get; set; }

    public CaseChannel? Channel { get; set; }

    public CaseKind? Kind { get; set; }

    public long? ProductId { get; set; }

    public long? FollowUpCaseId { get; set; }

    /// <summary>Who the follow-up went to: the team lead of the staff member who served (else the branch manager).</summary>
    public long? FollowUpOwnerId { get; set; }

    /// <summary>Submitted plus <see cref="SurveyOptions.FollowUpHours"/> on the calendar clock (003 §2.2.3: within 24 hours).</summary>
    public DateTimeOffset? FollowUpDueAt { get; set; }

    /// <summary>The improvement plan is due this many hours after the response (003 §2.2.3: 72 hours), calendar clock.</summary>
    public DateTimeOffset? PlanDueAt { get; set; }

    /// <summary>A free-text answer meets the complaint definition (<see cref="SurveyComplaintSignal"/>): the follow-up offers the complaint intake.</summary>
    public bool ComplaintSuspected { get; set; }

    /// <summary>Why the customer was unhappy, as the follow-up found it; required before the follow-up case can be resolved or closed.</summary>
    public string? RootCause { get; set; }

    /// <summary>Whether the customer's issue was resolved by the follow-up; required with <see cref="RootCause"/>.</summary>
    public bool? IssueResolved { get; set; }

    public DateTimeOffset? FollowUpRecordedAt { get; set; }

    public long? FollowUpRecordedById { get; set; }

    /// <summary>A promoter (NPS 9–10) was sent a thank-you through the outbox.</summary>
    public DateTimeOffset? ThankedAt { get; set; }
}

/// <summary>Which kind of service standard an improvement proposal revises.</summary>
public enum SurveyStandardKind
{
    SlaRule,
    BlueprintStep,
    Script,
}

public enum SurveyImprovementStatus
{
    Open,
    Done,
}

/// <summary>
/// The outer loop (持续改进): from an analysis a manager proposes to revise a service standard — an SLA rule, a blueprint step
/// or a script — with an owner and a due date; it is tracked to done, and the analysis then compares before and after its
/// done date.
/// </summary>
public sealed class SurveyImprovement : IAuditable, IVersioned
{
    public long Id { get; set; }

    /// <summary>The branch the finding is about; null: every branch.</summary>
    public long? BranchId { get; set; }

    /// <summary>The segment of the analysis it came from, e.g. <c>Team:12</c> (informational).</summary>
    public string? Segment { get; set; }

    public string Title { get; set; } = "";

    /// <summary>The finding and the change proposed.</summary>
    public string Proposal { get; set; } = "";

    public SurveyStandardKind StandardKind { get; set; }

    /// <summary>Which standard: the SLA rule, the blueprint step or the script, by its name or reference.</summary>
    public string StandardRef { get; set; } = "";

    public long OwnerId { get; set; }

    public DateOnly DueOn { get; set; }

    public SurveyImprovementStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    public string? DoneNote { get; set; }

    public int Version { get; set; }
}

/// <summary>A customer (or contact) who asked for no more surveys.</summary>
public sealed class SurveyOptOut : IAuditable
{
    public long Id { get; set; }

    public string RecipientKey { get; set; } = "";

    public long? CustomerId { get; set; }

    public DateTimeOffset OptedOutAt { get; set; }

    /// <summary>Which invitation's page the customer used, if any.</summary>
    public long? InvitationId { get; set; }
}

internal sealed class SurveyDefinitionConfiguration : IEntityTypeConfiguration<SurveyDefinition>
{
    public void Configure(EntityTypeBuilder<SurveyDefinition> builder)
    {
        builder.ToTable("survey_definitions");
        builder.HasIndex(d => new { d.Code, d.Number }).IsUnique();
        builder.Property(d => d.Code).HasMaxLength(40);
        builder.Property(d => d.Name).HasMaxLength(200);
        builder.Property(d => d.NameEn).HasMaxLength(200);
        builder.Property(d => d.ContentJson).HasMaxLength(100000);
        builder.Property(d => d.Kinds).HasMaxLength(200);
        builder.Property(d => d.Channels).HasMaxLength(200);
        builder.Ignore(d => d.KindList);
        builder.Ignore(d => d.ChannelList);
    }
}

internal sealed class SurveyInvitationConfiguration : IEntityTypeConfiguration<SurveyInvitation>
{
    public void Configure(EntityTypeBuilder<SurveyInvitation> builder)
    {
        builder.ToTable("survey_invitations");
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.RecipientKey, i.SendAt });
        builder.HasIndex(i => new { i.EventKind, i.EventId });
        builder.HasIndex(i => new { i.BranchId, i.SendAt });
        builder.HasOne(i => i.ReminderMessage).WithMany().HasForeignKey(i => i.ReminderMessageId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(i => i.RecipientKey).HasMaxLength(100);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.Property(i => i.ResponseId).IsConcurrencyToken();
        builder.HasOne<SurveyDefinition>().WithMany().HasForeignKey(i => i.DefinitionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(i => i.CustomerId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.ToTable("survey_responses");
        builder.HasIndex(r => r.InvitationId).IsUnique();
        builder.HasIndex(r => new { r.BranchId, r.SubmittedAt });
        builder.HasIndex(r => r.FollowUpCaseId);
        builder.Property(r => r.Language).HasMaxLength(10);
        builder.Property(r => r.AnswersJson).HasMaxLength(20000);
        builder.Property(r => r.RootCause).HasMaxLength(2000);
        builder.HasOne<SurveyInvitation>().WithMany().HasForeignKey(r => r.InvitationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<SurveyDefinition>().WithMany().HasForeignKey(r => r.DefinitionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Branch>().WithMany().HasForeignKey(r => r.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(r => r.StaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Case>().WithMany().HasForeignKey(r => r.FollowUpCaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SurveyImprovementConfiguration : IEntityTypeConfiguration<SurveyImprovement>
{
    public void Configure(EntityTypeBuilder<SurveyImprovement> builder)
    {
        builder.ToTable("survey_improvements");
        builder.HasIndex(i => new { i.Status, i.DueOn });
        builder.Property(i => i.Segment).HasMaxLength(100);
        builder.Property(i => i.Title).HasMaxLength(200);
        builder.Property(i => i.Proposal).HasMaxLength(4000);
        builder.Property(i => i.StandardRef).HasMaxLength(200);
        builder.Property(i => i.DoneNote).HasMaxLength(2000);
        builder.HasOne<Branch>().WithMany().HasForeignKey(i => i.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(i => i.OwnerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class SurveyOptOutConfiguration : IEntityTypeConfiguration<SurveyOptOut>
{
    public void Configure(EntityTypeBuilder<SurveyOptOut> builder)
    {
        builder.ToTable("survey_opt_outs");
        builder.HasIndex(o => o.RecipientKey).IsUnique();
        builder.Property(o => o.RecipientKey).HasMaxLength(100);
    }
}
