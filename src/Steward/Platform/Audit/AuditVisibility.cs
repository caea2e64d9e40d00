using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Complaints;
using Steward.Features.Customers;
using Steward.Features.Sla.Clocks;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Platform.Audit;

/// <summary>What a reader of the audit log is shown of one field of one entry.</summary>
public enum AuditFieldAccess
{
    /// <summary>The value as recorded (secrets were already recorded as <c>***</c>).</summary>
    Visible,

    /// <summary>Personal data, masked (张*丰); the reader may reveal it if they hold PersonalDataReveal.</summary>
    Masked,

    /// <summary>No value: the reader may not see this content anywhere else in Steward either.</summary>
    Hidden,
}

/// <summary>Whose data an entity type's entries hold, which decides who may read their content.</summary>
public enum AuditSubject
{
    /// <summary>Organisation and configuration (branches, staff, standards): every reader of the log sees it.</summary>
    Organisation,

    /// <summary>A customer file: content for readers with CustomersRead whose branches include the customer's.</summary>
    Customer,

    /// <summary>A case or a row of it: content for readers with CasesWork to whom the case is visible (CaseService.Visible).</summary>
    Case,

    /// <summary>An entity type without a rule (recorded by a version of Steward that had it): nobody sees its content.</summary>
    Unknown,
}

/// <summary>How one field of an entity type is treated; fields an entity rule does not name are <see cref="Content"/>.</summary>
public enum AuditFieldKind
{
    /// <summary>Governed by the entity's <see cref="AuditSubject"/>.</summary>
    Content,

    /// <summary>Names the record (id, reference): shown to every reader, as the entry's entity id is.</summary>
    Identifier,

    /// <summary>A customer's or contact's name: content, and masked unless revealed.</summary>
    PersonalName,

    /// <summary>Blind indexes of personal data: meaningless to people and linkable, so never shown.</summary>
    Internal,
}

/// <summary>
/// The reader as the audit log sees them: which content their permissions let them read elsewhere in Steward, and
/// their branches. <paramref name="Cases"/> is the same viewer the case workbench uses, so "within their case scope"
/// means exactly what it means on the case pages.
/// </summary>
public sealed record AuditReader(bool ReadsCases, bool ReadsCustomers, bool Reveals, bool AllBranches, IReadOnlyList<long> BranchIds, CaseViewer Cases);

/// <summary>
/// The one place that decides who sees what in the audit log (docs/decisions/0015-audit-visibility.md). Every entity type
/// that is audited has a rule here (a test checks it); the API, the page and the export all go through
/// <see cref="Access"/>.
/// </summary>
public static class AuditVisibility
{
    /// <summary>
    /// The rule of one entity type: whose data it is, the fields treated specially, how to find the case of a row of a
    /// case-bound type (null for <c>Case</c> itself, whose entity id is the case id), and the rows that concern one case
    /// (for finding a case's entries by its reference).
    /// </summary>
    internal sealed record Rule(AuditSubject Subject, IReadOnlyDictionary<string, AuditFieldKind> Fields, CaseOf? CaseOf = null, RowsOf? RowsOf = null);

    /// <summary>Ids of rows of one entity type → the id of the case they belong to, in one query.</summary>
    internal delegate IQueryable<IdPair> CaseOf(StewardDbContext db, IReadOnlyCollection<long> ids);

    /// <summary>The ids of the rows of one entity type that concern the case <c>caseId</c>.</summary>
    internal delegate IQueryable<long> RowsOf(StewardDbContext db, long caseId);

    internal sealed record IdPair(long Id, long CaseId);

    private static readonly Rule OrganisationRule = new(AuditSubject.Organisation, new Dictionary<string, AuditFieldKind>());

    private static readonly Rule UnknownRule = new(AuditSubject.Unknown, new Dictionary<string, AuditFieldKind>());

    private static Dictionary<string, AuditFieldKind> Fields(params (string Field, AuditFieldKind Kind)[] fields) =>
        fields.ToDictionary(f => f.Field, f => f.Kind, StringComparer.Ordinal);

    private static Rule CaseRow(CaseOf caseOf, RowsOf rowsOf, params string[] identifiers) =>
        new(AuditSubject.Case, Fields([("id", AuditFieldKind.Identifier), .. identifiers.Select(i => (i, AuditFieldKind.Identifier))]), caseOf, rowsOf);

    internal static readonly IReadOnlyDictionary<string, Rule> Rules = new Dictionary<string, Rule>(StringComparer.Ordinal)
    {
        ["Institution"] = OrganisationRule,
        ["Branch"] = OrganisationRule,
        ["Team"] = OrganisationRule,
        ["Staff"] = OrganisationRule,
        ["StaffTwoFactor"] = OrganisationRule,
        ["StaffRecoveryCode"] = OrganisationRule,
        ["TwoFactorRequirement"] = OrganisationRule,
        // A staff member's signed-in session (device, address, start, revocation) and the single sign-on group mapping:
        // organisation data like the staff account itself; the session key (recorded as ***) is never shown.
        ["StaffSession"] = new(AuditSubject.Organisation, Fields(("id", AuditFieldKind.Identifier), ("staff_id", AuditFieldKind.Identifier), ("key", AuditFieldKind.Internal))),
        ["SsoGroupMapping"] = OrganisationRule,
        // A webhook endpoint is the institution's configuration; its secret (recorded as ***) is never shown.
        ["WebhookEndpoint"] = new(AuditSubject.Organisation, Fields(("id", AuditFieldKind.Identifier), ("owner_id", AuditFieldKind.Identifier), ("secret_cipher", AuditFieldKind.Internal))),
        // A mailbox is the institution's configuration; its passwords (recorded as ***) are never shown.
        ["Mailbox"] = new(AuditSubject.Organisation, Fields(("id", AuditFieldKind.Identifier), ("branch_id", AuditFieldKind.Identifier), ("team_id", AuditFieldKind.Identifier),
            ("imap_password_cipher", AuditFieldKind.Internal), ("smtp_password_cipher", AuditFieldKind.Internal))),
        // Retention rules, holds and disposition reviews (decision 0052): compliance's records; a review names the file by its
        // reference and holds the tombstone, never the disposed content.
        ["RetentionRule"] = OrganisationRule,
        ["RetentionHold"] = OrganisationRule,
        ["DispositionReview"] = OrganisationRule,
        ["StaffRoleAssignment"] = OrganisationRule,
        ["StaffBranchAccess"] = OrganisationRule,
        ["StaffDuty"] = OrganisationRule,
        ["Product"] = OrganisationRule,
        ["ProductDocument"] = OrganisationRule,
        ["ProductRiskChange"] = OrganisationRule,

        // An import's bookkeeping (file name, hash, counts) is the institution's; a holding is a customer's balance of a
        // product: customer data, read by those who read customers (institution-wide readers only, for now: the entry's
        // entity id is the holding's, not its customer's, so a branch-scoped reader is not shown it; AuditBrowser).
        ["Holding"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("product_id", AuditFieldKind.Identifier))),
        ["HoldingImport"] = OrganisationRule,

        // The tier rules are the institution's; a customer's standing in the tiering is customer data, like a holding.
        ["CustomerTierRuleSet"] = OrganisationRule,
        ["CustomerTierThreshold"] = OrganisationRule,
        ["CustomerTierStanding"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier))),

        // Assessments, their links and suitability decisions are the customer's (as holdings, institution-wide readers only in
        // the log: the entity id is the row's, not the customer's); questionnaire and rule versions are the institution's.
        ["RiskAssessment"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier))),
        ["AssessmentLink"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("token_hash", AuditFieldKind.Internal))),
        ["SuitabilityDecision"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("product_id", AuditFieldKind.Identifier))),
        ["HouseholdLink"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("related_customer_id", AuditFieldKind.Identifier))),
        // A customer's further identity documents and the scans of any of them: customer data (the number and the file's key
        // are recorded as ***; the number's blind index is never shown).
        ["CustomerIdentityDocument"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("number_index", AuditFieldKind.Internal))),
        ["CustomerDocumentScan"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("document_id", AuditFieldKind.Identifier), ("blob_id", AuditFieldKind.Identifier))),
        ["RiskQuestionnaire"] = OrganisationRule,
        // Survey versions are the institution's; invitations, responses and opt-outs are the customer's (institution-wide readers
        // only, as holdings: the entity id is the row's). The token's hash and the contact-policy key are never shown.
        ["SurveyDefinition"] = OrganisationRule,
        ["SurveyImprovement"] = OrganisationRule,
        ["SurveyInvitation"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("event_id", AuditFieldKind.Identifier),
            ("token_hash", AuditFieldKind.Internal), ("recipient_key", AuditFieldKind.Internal))),
        ["SurveyResponse"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("invitation_id", AuditFieldKind.Identifier),
            ("follow_up_case_id", AuditFieldKind.Identifier))),
        ["SurveyOptOut"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("recipient_key", AuditFieldKind.Internal))),
        ["SuitabilityRuleSet"] = OrganisationRule,
        ["QualificationType"] = OrganisationRule,
        ["StaffQualification"] = OrganisationRule,
        ["QueueServiceType"] = OrganisationRule,
        ["QueueCounter"] = OrganisationRule,
        // An out-of-order call: the counter, the staff member, the reason and the ticket passed over — no customer data.
        ["QueueOutOfOrderCall"] = OrganisationRule,
        // An appointment is a person's booking: customer data (institution-wide readers only, as survey invitations: the entity
        // id is the row's); the name is a personal name, the phone encrypted (***), its blind index and the link's hash never shown.
        ["QueueAppointment"] = new(AuditSubject.Customer, Fields(("id", AuditFieldKind.Identifier), ("customer_id", AuditFieldKind.Identifier), ("customer_name", AuditFieldKind.PersonalName),
            ("phone_index", AuditFieldKind.Internal), ("token_hash", AuditFieldKind.Internal), ("ticket_id", AuditFieldKind.Identifier))),
        ["PriorityRule"] = OrganisationRule,
        ["CaseTeamSettings"] = OrganisationRule,
        ["SlaCalendar"] = OrganisationRule,
        ["SlaCalendarDay"] = OrganisationRule,
        ["SlaCalendarYear"] = OrganisationRule,
        ["BranchCalendar"] = OrganisationRule,
        ["SlaSettings"] = OrganisationRule,
        ["SlaStandard"] = OrganisationRule,
        ["SlaStandardVersion"] = OrganisationRule,
        ["SlaRule"] = OrganisationRule,

        // Exports of the log and showings of personal data: who took or saw what, holding no personal data themselves.
        ["AuditExport"] = OrganisationRule,
        ["PersonalDataAccess"] = OrganisationRule with
        {
            RowsOf = (db, caseId) => db.Set<PersonalDataAccess>().Where(a => a.SubjectType == nameof(Case) && a.SubjectId == caseId).Select(a => a.Id),
        },
        ["Customer"] = new(AuditSubject.Customer, Fields(
            ("id", AuditFieldKind.Identifier), ("reference", AuditFieldKind.Identifier), ("name", AuditFieldKind.PersonalName),
            ("legal_representative_name", AuditFieldKind.PersonalName), ("id_number_index", AuditFieldKind.Internal), ("phone_index", AuditFieldKind.Internal), ("email_index", AuditFieldKind.Internal))),
        ["Case"] = new(AuditSubject.Case, Fields(
            ("id", AuditFieldKind.Identifier), ("reference", AuditFieldKind.Identifier), ("contact_name", AuditFieldKind.PersonalName),
            ("contact_phone_index", AuditFieldKind.Internal), ("contact_email_index", AuditFieldKind.Internal))),
        ["CaseMessage"] = CaseRow(
            (db, ids) => db.Set<CaseMessage>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<CaseMessage>().Where(r => r.CaseId == caseId).Select(r => r.Id), "case_id"),
        ["CaseAttachment"] = CaseRow(
            (db, ids) => db.Set<CaseAttachment>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<CaseAttachment>().Where(r => r.CaseId == caseId).Select(r => r.Id), "case_id"),
        ["CaseLink"] = CaseRow(
            (db, ids) => db.Set<CaseLink>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<CaseLink>().Where(r => r.CaseId == caseId || r.RelatedCaseId == caseId).Select(r => r.Id), "case_id", "related_case_id"),
        ["SlaClock"] = CaseRow(
            (db, ids) => db.Set<SlaClock>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<SlaClock>().Where(r => r.CaseId == caseId).Select(r => r.Id), "case_id"),
        ["SlaExtension"] = CaseRow(
            (db, ids) => db.Set<SlaExtension>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<SlaExtension>().Where(r => r.CaseId == caseId).Select(r => r.Id), "case_id", "clock_id"),
        ["SlaClockPause"] = CaseRow(
            (db, ids) => db.Set<SlaClockPause>().Where(r => ids.Contains(r.Id)).Join(db.Set<SlaClock>(), p => p.ClockId, c => c.Id, (p, c) => new IdPair(p.Id, c.CaseId)),
            (db, caseId) => db.Set<SlaClockPause>().Where(r => db.Set<SlaClock>().Any(c => c.Id == r.ClockId && c.CaseId == caseId)).Select(r => r.Id), "clock_id"),
        // The complaint classification is configuration, as the SLA standards are.
        ["ComplaintTaxonomy"] = OrganisationRule,
        ["ComplaintCode"] = OrganisationRule,
        ["ComplaintLetterTemplate"] = OrganisationRule,
        // A complaint and its rows are the case's (read by those who may see the case); the agent's or heir's name is personal data.
        ["Complaint"] = new(AuditSubject.Case, Fields(("id", AuditFieldKind.Identifier), ("case_id", AuditFieldKind.Identifier), ("representative_name", AuditFieldKind.PersonalName)),
            (db, ids) => db.Set<Complaint>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<Complaint>().Where(r => r.CaseId == caseId).Select(r => r.Id)),
        ["ComplaintDismissal"] = CaseRow(
            (db, ids) => db.Set<ComplaintDismissal>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<ComplaintDismissal>().Where(r => r.CaseId == caseId).Select(r => r.Id), "case_id"),
        ["ComplaintRecoding"] = CaseRow(
            (db, ids) => db.Set<ComplaintRecoding>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintRecoding>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id), "complaint_id"),
        ["ComplaintRemedy"] = CaseRow(
            (db, ids) => db.Set<ComplaintRemedy>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintRemedy>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id), "complaint_id"),
        // A letter's body is recorded in the chain but not shown in the log (it is markup; its printable page shows it).
        ["ComplaintLetter"] = CaseRow(
            (db, ids) => db.Set<ComplaintLetter>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<ComplaintLetter>().Where(r => r.CaseId == caseId).Select(r => r.Id)) with
        {
            Fields = Fields(("id", AuditFieldKind.Identifier), ("complaint_id", AuditFieldKind.Identifier), ("case_id", AuditFieldKind.Identifier), ("body", AuditFieldKind.Internal)),
        },
        ["ComplaintTask"] = CaseRow(
            (db, ids) => db.Set<ComplaintTask>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintTask>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id), "complaint_id", "owner_id"),
        ["ComplaintReview"] = CaseRow(
            (db, ids) => db.Set<ComplaintReview>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintReview>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id), "complaint_id"),
        ["ComplaintRecusalOverride"] = CaseRow(
            (db, ids) => db.Set<ComplaintRecusalOverride>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintRecusalOverride>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id), "complaint_id", "staff_id"),
        ["ComplaintAction"] = CaseRow(
            (db, ids) => db.Set<ComplaintAction>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintAction>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id),
            "complaint_id", "owner_id", "evidence_attachment_id"),
        // A recurrence belongs to the later complaint's case (the earlier complaint's readers see it on their own complaint's page).
        ["ComplaintRecurrence"] = CaseRow(
            (db, ids) => db.Set<ComplaintRecurrence>().Where(r => ids.Contains(r.Id)).Join(db.Set<Complaint>(), r => r.ComplaintId, c => c.Id, (r, c) => new IdPair(r.Id, c.CaseId)),
            (db, caseId) => db.Set<ComplaintRecurrence>().Where(r => db.Set<Complaint>().Any(c => c.Id == r.ComplaintId && c.CaseId == caseId)).Select(r => r.Id),
            "complaint_id", "earlier_complaint_id"),
        // Scorecard versions are the institution's standards. A review scores a staff member's handling of a case: the case's
        // (read by those who may see the case, as the complaint's rows); the answers, comments and dispute are its content.
        ["QualityScorecard"] = OrganisationRule,
        ["QualityReview"] = CaseRow(
            (db, ids) => db.Set<Features.Quality.QualityReview>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<Features.Quality.QualityReview>().Where(r => r.CaseId == caseId).Select(r => r.Id),
            "case_id", "scorecard_id", "staff_id", "inspector_id", "resolved_by_id"),
        // Plans and draws are the inspectors' standards and their records (no customer data). A sample item and a rectification
        // are about a staff member's handling of one case: the case's, as the review is (decision 0048).
        ["QualitySamplingPlan"] = OrganisationRule,
        ["QualitySampleDraw"] = OrganisationRule,
        ["QualitySampleItem"] = CaseRow(
            (db, ids) => db.Set<Features.Quality.QualitySampleItem>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<Features.Quality.QualitySampleItem>().Where(r => r.CaseId == caseId).Select(r => r.Id),
            "case_id", "draw_id", "rectification_id", "staff_id", "review_id", "removed_by_id"),
        ["QualityRectification"] = CaseRow(
            (db, ids) => db.Set<Features.Quality.QualityRectification>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<Features.Quality.QualityRectification>().Where(r => r.CaseId == caseId).Select(r => r.Id),
            "case_id", "review_id", "staff_id", "recheck_review_id", "closed_by_id"),
        // A calibration batch is the inspectors' own exercise (names, ids, kappa: no customer data); a calibration score is
        // about one case, as a review is (decision 0049).
        ["QualityCalibration"] = OrganisationRule,
        ["QualityCalibrationReview"] = CaseRow(
            (db, ids) => db.Set<Features.Quality.QualityCalibrationReview>().Where(r => ids.Contains(r.Id)).Select(r => new IdPair(r.Id, r.CaseId)),
            (db, caseId) => db.Set<Features.Quality.QualityCalibrationReview>().Where(r => r.CaseId == caseId).Select(r => r.Id),
            "case_id", "calibration_id", "inspector_id"),
        ["SlaClockChange"] = CaseRow(
            (db, ids) => db.Set<SlaClockChange>().Where(r => ids.Contains(r.Id)).Join(db.Set<SlaClock>(), p => p.ClockId, c => c.Id, (p, c) => new IdPair(p.Id, c.CaseId)),
            (db, caseId) => db.Set<SlaClockChange>().Where(r => db.Set<SlaClock>().Any(c => c.Id == r.ClockId && c.CaseId == caseId)).Select(r => r.Id), "clock_id"),
    };

    internal static Rule For(string entityType) => Rules.GetValueOrDefault(entityType) ?? UnknownRule;

    public static AuditSubject SubjectOf(string entityType) => For(entityType).Subject;

    public static AuditFieldKind KindOf(string entityType, string field) =>
        For(entityType).Fields.GetValueOrDefault(field, AuditFieldKind.Content);

    /// <summary>
    /// What <paramref name="reader"/> is shown of <paramref name="field"/> of an entry of <paramref name="entityType"/>.
    /// <paramref name="subjectInScope"/>: the entry's customer or case is one the reader may read (ignored for
    /// organisation data); <paramref name="revealed"/>: the reader asked to see this entry's personal data in full, and
    /// the showing was recorded.
    /// </summary>
    public static AuditFieldAccess Access(AuditReader reader, string entityType, string field, bool subjectInScope, bool revealed)
    {
        var rule = For(entityType);
        var kind = KindOf(entityType, field);
        if (kind == AuditFieldKind.Identifier)
        {
            return AuditFieldAccess.Visible;
        }

        var readable = rule.Subject switch
        {
            AuditSubject.Organisation => true,
            AuditSubject.Customer => reader.ReadsCustomers && subjectInScope,
            AuditSubject.Case => reader.ReadsCases && subjectInScope,
            AuditSubject.Unknown => false,
        };
        if (!readable)
        {
            return AuditFieldAccess.Hidden;
        }

        return kind switch
        {
            AuditFieldKind.Internal => AuditFieldAccess.Hidden,
            AuditFieldKind.PersonalName => revealed && reader.Reveals ? AuditFieldAccess.Visible : AuditFieldAccess.Masked,
            AuditFieldKind.Content or AuditFieldKind.Identifier => AuditFieldAccess.Visible,
        };
    }

    /// <summary>The case ids of entries of a case-bound entity type, looked up in one query.</summary>
    internal static async Task<Dictionary<long, long>> CaseIdsAsync(StewardDbContext db, string entityType, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rule = For(entityType);
        if (rule.Subject != AuditSubject.Case || ids.Count == 0)
        {
            return [];
        }

        return rule.CaseOf is { } caseOf
            ? await caseOf(db, ids).ToDictionaryAsync(p => p.Id, p => p.CaseId, ct)
            : ids.Distinct().ToDictionary(id => id, id => id);
    }

    /// <summary>
    /// Entries that concern the case <paramref name="caseId"/>: its own, its rows' (messages, files, links, SLA clocks)
    /// and the records of who was shown its contact details. One small query per entity type that has such rows.
    /// </summary>
    internal static async Task<Expression<Func<AuditEntry, bool>>> EntriesOfCaseAsync(StewardDbContext db, long caseId, CancellationToken ct)
    {
        var parameter = Expression.Parameter(typeof(AuditEntry), "e");
        var id = caseId.ToString(CultureInfo.InvariantCulture);
        Expression body = Matches(parameter, nameof(Case), [id]);
        foreach (var (type, rule) in Rules.Where(r => r.Value.RowsOf is not null))
        {
            var rows = await rule.RowsOf!(db, caseId).ToListAsync(ct);
            if (rows.Count > 0)
            {
                body = Expression.OrElse(body, Matches(parameter, type, rows.Select(r => r.ToString(CultureInfo.InvariantCulture)).ToList()));
            }
        }

        return Expression.Lambda<Func<AuditEntry, bool>>(body, parameter);
    }

    /// <summary><c>e.EntityType == type &amp;&amp; ids.Contains(e.EntityId)</c> on <paramref name="e"/>.</summary>
    private static Expression Matches(ParameterExpression e, string type, List<string> ids)
    {
        Expression<Func<AuditEntry, bool>> one = x => x.EntityType == type && ids.Contains(x.EntityId);
        return new Rebind(one.Parameters[0], e).Visit(one.Body);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>The customers' current home branches, in one query.</summary>
    internal static Task<Dictionary<long, long>> CustomerBranchesAsync(StewardDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        db.Set<Customer>().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.HomeBranchId, ct);
}
