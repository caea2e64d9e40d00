using static Steward.Features.Retention.DataClass;
using static Steward.Features.Retention.Disposal;

namespace Steward.Features.Retention;

/// <summary>
/// The classes of 《银行保险机构数据安全管理办法》 (NFRA 2024, Art. 13–15: core, important, general, with sensitive data inside
/// general), most protected first.
/// </summary>
public enum DataClass
{
    /// <summary>核心数据: here only the key ring that protects every customer's personal data at once (an internal, conservative reading).</summary>
    Core,

    /// <summary>重要数据: credentials and secrets, the audit chain and the security logs, customers' holdings (AML transaction records).</summary>
    Important,

    /// <summary>一般数据中的敏感数据: personal information of customers (and staff contact data) — identity numbers, contacts, names, free text about them.</summary>
    GeneralSensitive,

    /// <summary>一般数据: everything else (ids, states, times, configuration, staff names on records).</summary>
    General,
}

/// <summary>What disposal of a record does to a column.</summary>
public enum Disposal
{
    /// <summary>Set to null (or empty text when the column cannot be null).</summary>
    Erase,

    /// <summary>Replaced by a value that identifies no one (a name by a placeholder, a birth date by 1 January of its year), so statistics survive.</summary>
    Mask,

    /// <summary>Kept: identifies no one once the erased and masked columns are gone, or is itself a record that must be kept (the audit chain).</summary>
    Retain,
}

/// <summary>
/// Every column of every table of the EF model with its data class and disposal rule, in one place (decision 0052). Grouped by
/// entity type; within a type, one line per (class, disposal) naming the properties. DataClassificationTests reflects over the
/// model and fails when a property has no line here (or a line names a property that no longer exists): a new column is not
/// finished until someone decided how sensitive it is and what disposal does to it. The customer-file anonymiser
/// (<see cref="Disposition"/>) applies these rules, so a column left out cannot be left behind.
/// </summary>
public static class DataClasses
{
    public sealed record Declaration(DataClass Class, Disposal Disposal);

    private static readonly Dictionary<Type, Dictionary<string, Declaration>> Declared = Build([
        Table<Features.Cases.AttachmentBlob>(
            (GeneralSensitive, Erase, ["Data"]),
            (General, Retain, ["Id"])),
        Table<Platform.Audit.AuditChainHead>(
            (Important, Retain, ["Id", "LastHash", "LastSequence"])),
        Table<Platform.Audit.AuditEntry>(
            (Important, Retain, ["Id", "Action", "ActorId", "ActorName", "BranchId", "Changes", "EntityId", "EntityType", "Hash", "KeyId", "OccurredAt", "PreviousHash", "Sequence"])),
        Table<Platform.Audit.AuditExport>(
            (Important, Retain, ["Id", "Entries", "Filter", "Format", "LastSequence", "OccurredAt", "StaffId", "StaffName"])),
        Table<Features.Organisation.Branch>(
            (General, Retain, ["Id", "Address", "Code", "CreatedAt", "IsActive", "Name", "NameEn", "RegulatoryStandardId", "TimeZone", "UpdatedAt", "Version"])),
        Table<Features.Cases.CaseAttachment>(
            (GeneralSensitive, Erase, ["FileName"]),
            (General, Retain, ["Id", "BlobId", "CaseId", "ContentType", "CreatedAt", "Sha256", "Size", "UploadedById", "UploadedByName"])),
        Table<Features.Cases.CaseEvent>(
            (General, Retain, ["Id", "Action", "ActorId", "ActorName", "CaseId", "Detail", "DetailCode", "DetailParameters", "FromStatus", "MessageId", "OccurredAt", "Reason", "ToStatus", "Type"])),
        Table<Features.Cases.CaseLink>(
            (General, Retain, ["Id", "CaseId", "CreatedAt", "CreatedById", "RelatedCaseId"])),
        Table<Features.Cases.CaseMessage>(
            (GeneralSensitive, Erase, ["Body"]),
            (General, Retain, ["Id", "AuthorId", "AuthorName", "CaseId", "CreatedAt", "Visibility"])),
        Table<Features.Cases.PriorityRule>(
            (General, Retain, ["Id", "IsActive", "Keyword", "Kind", "Priority", "Steps", "Tier", "Type", "Version"])),
        Table<Features.Cases.CaseReferenceCounter>(
            (General, Retain, ["Day", "LastValue"])),
        Table<Features.Sla.Clocks.SlaAlert>(
            (General, Retain, ["Id", "CaseId", "ClockId", "Cycle", "DueAt", "Level", "RaisedAt", "Recipients"])),
        Table<Features.Sla.Clocks.SlaClockChange>(
            (General, Retain, ["Id", "Amount", "At", "Cause", "ClockId", "Cycle", "ExtensionId", "RollForward", "RuleId", "Unit"])),
        Table<Features.Sla.Clocks.SlaClock>(
            (General, Retain, ["Id", "Amount", "BreachedAt", "CalendarId", "CancelledAt", "CaseId", "CreatedAt", "Cycle", "DueAt", "ExtensionNeedsApproval", "ExtensionNoticeToCustomer", "InitialAmount", "InitialRollForward", "InitialUnit", "Layer", "MaxExtension", "MetAt", "NextAlertAt", "PauseReasons", "RestartReason", "RestartedAt", "RollForward", "RuleAmount", "RuleId", "RuleMatch", "StandardCode", "StandardId", "StandardVersionId", "StandardVersionNumber", "StartedAt", "Status", "TargetType", "Unit", "UpdatedAt", "Version", "Warning1At", "Warning2At", "WarningPercent1", "WarningPercent2"])),
        Table<Features.Sla.Clocks.SlaExtension>(
            (General, Retain, ["Id", "CaseId", "ClockId", "CreatedAt", "DecidedAt", "DecidedById", "DecidedByName", "DecisionNote", "NewAmount", "OldAmount", "Reason", "RequestedAt", "RequestedById", "RequestedByName", "Status", "UpdatedAt", "Version"])),
        Table<Features.Sla.Clocks.SlaClockPause>(
            (General, Retain, ["Id", "ClockId", "Cycle", "FromAt", "Reason", "ToAt"])),
        Table<Features.Routing.StaffDuty>(
            (General, Retain, ["Id", "ChangedAt", "OnDuty", "StaffId"])),
        Table<Features.Routing.CaseTeamSettings>(
            (General, Retain, ["Id", "Kinds", "LastAssignedStaffId", "Mode", "TeamId", "Version"])),
        Table<Features.Cases.Case>(
            (GeneralSensitive, Erase, ["ContactEmailCipher", "ContactEmailIndex", "ContactPhoneCipher", "ContactPhoneIndex", "Description", "Subject"]),
            (GeneralSensitive, Mask, ["ContactName"]),
            (General, Retain, ["Id", "AssigneeId", "BranchId", "CancelReason", "Channel", "ClosedAt", "CreatedAt", "CreatedById", "CustomerId", "DueAt", "Kind", "MergedIntoId", "Priority", "PriorityOverridden", "ProductId", "Reference", "ResolvedAt", "Status", "Tags", "TeamId", "UpdatedAt", "Version", "Waiting"])),
        Table<Features.Complaints.ComplaintAction>(
            (GeneralSensitive, Erase, ["Description"]),
            (General, Retain, ["Id", "CancelReason", "ClosedAt", "ClosedById", "ComplaintId", "CreatedAt", "CreatedById", "DueOn", "EvidenceAttachmentId", "EvidenceNote", "OwnerId", "Status", "Title", "UpdatedAt", "Version"])),
        Table<Features.Complaints.ComplaintCode>(
            (General, Retain, ["Id", "Code", "CodeSet", "Name", "NameEn", "Retired", "TaxonomyId"])),
        Table<Features.Complaints.ComplaintDismissal>(
            (General, Retain, ["Id", "CaseId", "DecidedAt", "DecidedById", "Reason"])),
        Table<Features.Complaints.ComplaintLetterTemplate>(
            (General, Retain, ["Id", "Body", "Kind", "Language", "Note", "PublishedAt", "PublishedById", "Version"])),
        Table<Features.Complaints.ComplaintLetter>(
            (GeneralSensitive, Erase, ["Body"]),
            (General, Retain, ["Id", "CaseId", "ComplaintId", "CreatedAt", "CreatedById", "Kind", "Language", "Number", "Template"])),
        Table<Features.Complaints.ComplaintRecoding>(
            (General, Retain, ["Id", "ComplaintId", "FromCodes", "Reason", "RecodedAt", "RecodedById", "ToCodes"])),
        Table<Features.Complaints.ComplaintRecurrence>(
            (General, Retain, ["Id", "ComplaintId", "DetectedAt", "EarlierComplaintId", "JrtCause", "SameBranch", "SameProduct"])),
        Table<Features.Complaints.ComplaintRecusalOverride>(
            (General, Retain, ["Id", "ComplaintId", "Ground", "OverriddenAt", "OverriddenById", "Reason", "StaffId"])),
        Table<Features.Complaints.ComplaintRemedy>(
            (General, Retain, ["Id", "Amount", "ApprovedAt", "ApprovedById", "ApproverLevel", "ComplaintId", "Currency", "Kind", "Note", "ProposedAt", "ProposedById", "Status", "Version"])),
        Table<Features.Complaints.ComplaintReview>(
            (General, Retain, ["Id", "ComplaintId", "OpenedAt", "OpenedById", "PreviousOutcome", "PreviousOutcomeAt", "PreviousRootCause", "Reason"])),
        Table<Features.Complaints.ComplaintTask>(
            (General, Retain, ["Id", "ComplaintId", "CreatedAt", "CreatedById", "DoneAt", "DoneById", "DueOn", "Kind", "OwnerId", "Result", "Status", "Title", "Version"])),
        Table<Features.Complaints.ComplaintTaxonomy>(
            (General, Retain, ["Id", "Citation", "Number", "PublishedOn"])),
        Table<Features.Complaints.Complaint>(
            (GeneralSensitive, Erase, ["AssessmentNote", "CustomerResponseNote", "ProofNote", "WhatHappened", "WhatTheyWant"]),
            (GeneralSensitive, Mask, ["RepresentativeName"]),
            (General, Retain, ["Id", "AmountInDispute", "ArchivedAt", "ArchivedById", "AssessedAt", "AssessedById", "BranchId", "CaseId", "Channel", "ComplainantKind", "CreatedAt", "CreatedById", "Currency", "CustomerId", "CustomerResponse", "CustomerResponseAt", "FcaProductGroup", "InScope", "JrtBusiness", "JrtCause", "JrtChannel", "LegalImpact", "Nature", "Outcome", "OutcomeAt", "OutcomeById", "ProductId", "ReceivedAt", "Regime", "RegulatoryDueAt", "RegulatoryImpact", "RootCause", "SellerStaffId", "SubjectStaffId", "TaxonomyId", "UpdatedAt", "Version"])),
        Table<Features.Customers.Documents.CustomerDocumentScan>(
            (Important, Erase, ["KeyCipher"]),
            (GeneralSensitive, Erase, ["FileName"]),
            (General, Retain, ["Id", "BlobId", "ContentType", "CreatedAt", "CustomerId", "DocumentId", "Sha256", "Side", "Size", "UploadedById", "UploadedByName"])),
        Table<Features.Customers.Documents.CustomerIdentityDocument>(
            (GeneralSensitive, Erase, ["Note", "NumberCipher", "NumberIndex"]),
            (General, Retain, ["Id", "CreatedAt", "CreatedById", "CustomerId", "ExpiresOn", "IssuingCountry", "Type"])),
        Table<Features.Tiering.CustomerTierChange>(
            (General, Retain, ["Id", "Aum", "BelowSince", "ChangedAt", "CustomerId", "FromTier", "ProductsHeld", "Reason", "RuleSetVersion", "TenureMonths", "ThresholdAum", "ToTier"])),
        Table<Features.Tiering.CustomerTierRuleSet>(
            (General, Retain, ["Id", "CreatedAt", "GraceDays", "UpdatedAt", "Version"])),
        Table<Features.Tiering.CustomerTierStanding>(
            (General, Retain, ["Id", "BelowSince", "CustomerId", "ReviewedAt", "Version"])),
        Table<Features.Tiering.CustomerTierThreshold>(
            (General, Retain, ["Id", "MinAum", "MinProducts", "MinTenureMonths", "RuleSetId", "Tier"])),
        Table<Features.Customers.Customer>(
            (GeneralSensitive, Erase, ["AddressCipher", "BeneficialOwnersCipher", "EmailCipher", "EmailIndex", "IdNumberCipher", "IdNumberIndex", "KycRejectionReason", "LegalRepresentativeIdCipher", "Occupation", "PhoneCipher", "PhoneIndex", "SourceOfFunds", "VulnerabilityNote"]),
            (GeneralSensitive, Mask, ["BirthDate", "LegalRepresentativeName", "Name"]),
            (GeneralSensitive, Retain, ["DeclaredAssets", "HasDisability", "HasLimitedCapacity", "HasOtherVulnerability", "IncomeBand", "IsVulnerable"]),
            (General, Retain, ["Id", "CreatedAt", "HomeBranchId", "IdExpiresOn", "IdIssuingCountry", "IdType", "Kind", "KycExpiredOn", "KycExpiryReason", "KycReviewCaseId", "KycReviewDueOn", "KycRiskRating", "KycStatus", "KycVerifiedAt", "KycVerifiedById", "PreferredLanguage", "Reference", "RelationshipEndedOn", "RelationshipManagerId", "RiskTolerance", "Tier", "UpdatedAt", "Version"])),
        Table<Platform.Database.DataProtectionKey>(
            (Core, Retain, ["FriendlyName", "Xml"]),
            (General, Retain, ["Id"])),
        Table<Features.Holdings.HoldingImportRejection>(
            (Important, Retain, ["Id", "Field", "ImportId", "Reason", "RowNumber", "Value"])),
        Table<Features.Holdings.HoldingImport>(
            (Important, Retain, ["Id", "FileName", "Format", "ImportedAt", "ImportedById", "RowsAccepted", "RowsRead", "RowsRejected", "Sha256"])),
        Table<Features.Holdings.Holding>(
            (Important, Retain, ["Id", "AsOf", "Balance", "CreatedAt", "Currency", "CustomerId", "ImportId", "ProductId", "UpdatedAt"])),
        Table<Features.Customers.Household.HouseholdLink>(
            (GeneralSensitive, Erase, ["Note"]),
            (General, Retain, ["Id", "CreatedAt", "CreatedById", "CustomerId", "RelatedCustomerId", "Relation"])),
        Table<Platform.Api.IdempotencyRecord>(
            (Important, Erase, ["IdempotencyKey", "RequestHash", "ResponseBody"]),
            (General, Retain, ["Id", "Caller", "CreatedAt", "Location", "Scope", "StatusCode"])),
        Table<Features.Organisation.Institution>(
            (General, Retain, ["Id", "Code", "CreatedAt", "Name", "NameEn", "UpdatedAt", "Version"])),
        Table<Features.Notifications.Notification>(
            (GeneralSensitive, Erase, ["TextEn", "TextZh"]),
            (General, Retain, ["Id", "CreatedAt", "Kind", "Link", "ReadAt", "StaffId"])),
        Table<Features.Notifications.OutboxMessage>(
            (GeneralSensitive, Erase, ["Body", "Recipient", "Subject"]),
            (General, Retain, ["Id", "Attempts", "Channel", "CreatedAt", "DeliveredAt", "FailedAt", "LastError", "LockedBy", "LockedUntil", "NextAttemptAt",
                "CaseId", "MessageId", "InReplyTo", "References", "AutoSubmitted"])),
        Table<Platform.Security.PersonalDataAccess>(
            (Important, Retain, ["Id", "BranchId", "OccurredAt", "Purpose", "StaffId", "StaffName", "SubjectId", "SubjectType"])),
        Table<Features.Products.ProductDocument>(
            (GeneralSensitive, Erase, ["FileName"]),
            (General, Retain, ["Id", "AddedById", "BlobId", "ContentType", "CreatedAt", "Kind", "ProductId", "Sha256", "Size", "Title", "TitleEn", "Url"])),
        Table<Features.Products.ProductRiskChange>(
            (General, Retain, ["Id", "ChangedAt", "ChangedById", "DistributorRiskLevel", "IssuerRiskLevel", "NewLevel", "PreviousLevel", "ProductId"])),
        Table<Features.Products.Product>(
            (General, Retain, ["Id", "Category", "Code", "CreatedAt", "Currency", "DistributorRiskLevel", "ExpectedReturnMaxPercent", "ExpectedReturnMinPercent", "IssuerRiskLevel", "LiquidityDays", "MinimumAmount", "Name", "NameEn", "RecordedSalesRequired", "RequiredQualificationTypeId", "RiskLevel", "Status", "StatusChangedAt", "StatusReason", "TermDays", "UpdatedAt", "Version"])),
        Table<Features.Quality.QualityCalibrationReview>(
            (GeneralSensitive, Erase, ["AnswersJson"]),
            (General, Retain, ["Id", "CalibrationId", "CaseId", "Comment", "CreatedAt", "CriticalFailed", "InspectorId", "Score"])),
        Table<Features.Quality.QualityCalibration>(
            (General, Retain, ["Id", "CaseIds", "ClosedAt", "ClosedById", "CreatedAt", "CreatedById", "Drift", "InspectorIds", "Kappa", "KappaThreshold", "Name", "ScorecardId", "Status"])),
        Table<Features.Quality.QualityRectification>(
            (General, Retain, ["Id", "BranchId", "CaseId", "ClosedAt", "ClosedById", "DueAt", "Evidence", "EvidenceAt", "FailedItems", "FailedRechecks", "OpenedAt", "Reason", "RecheckReviewId", "ReviewId", "Score", "StaffId", "Status", "TeamId", "Threshold", "TrainingNeeded"])),
        Table<Features.Quality.QualityReview>(
            (General, Retain, ["Id", "AnswersJson", "BranchId", "CaseId", "Comment", "CreatedAt", "CriticalFailed", "DisputeComment", "DisputeUntil", "FinalScore", "InspectorId", "ResolutionComment", "ResolvedAt", "ResolvedById", "RespondedAt", "Score", "ScorecardId", "StaffId", "Status", "SubjectKind", "SuggestedScore", "TeamId"])),
        Table<Features.Quality.QualitySampleDraw>(
            (General, Retain, ["Id", "DrawnAt", "DrawnById", "ItemCount", "PeriodEnd", "PeriodStart", "PlanId", "PoolSize", "Seed"])),
        Table<Features.Quality.QualitySampleItem>(
            (General, Retain, ["Id", "CaseId", "CreatedAt", "DrawId", "Reason", "RectificationId", "RemovedAt", "RemovedById", "RemovedReason", "ReviewId", "Rule", "StaffId", "Status"])),
        Table<Features.Quality.QualitySamplingPlan>(
            (General, Retain, ["Id", "BranchIds", "CreatedAt", "CreatedById", "Cycle", "IsActive", "MinimumPerStaff", "Name", "PassThreshold", "RandomPercent", "Rules", "TargetedPerStaff", "TimeZone", "UpdatedAt"])),
        Table<Features.Quality.QualityScorecard>(
            (General, Retain, ["Id", "Code", "ContentJson", "Name", "NameEn", "Number", "PublishedAt", "PublishedById", "SubjectKind"])),
        Table<Features.Qualifications.QualificationReminder>(
            (General, Retain, ["Id", "DaysBefore", "ExpiresOn", "RaisedAt", "StaffQualificationId"])),
        Table<Features.Qualifications.QualificationType>(
            (General, Retain, ["Id", "Code", "CreatedAt", "Family", "IsActive", "Level", "Name", "NameEn", "UpdatedAt", "Version"])),
        Table<Features.Queues.QueueAppointment>(
            (Important, Erase, ["TokenHash"]),
            (GeneralSensitive, Erase, ["PhoneCipher", "PhoneIndex"]),
            (GeneralSensitive, Mask, ["CustomerName", "CancelReason"]),
            (General, Retain, ["Id", "BookedByStaffId", "BranchId", "BusinessDate", "CancelledAt", "CancelledByStaffId", "CheckedInAt", "CreatedAt", "CustomerId", "Language", "NoShowAt", "Reference", "ReminderSentAt", "ServiceTypeId", "SlotEnd", "SlotStart", "Status", "TicketId", "UpdatedAt", "Version"])),
        Table<Features.Queues.QueueAppointmentSlotLock>(
            (General, Retain, ["ServiceTypeId", "SlotUnix", "Bookings"])),
        Table<Features.Queues.QueueBranchState>(
            (General, Retain, ["BranchId", "CallSequence"])),
        Table<Features.Queues.QueueCounter>(
            (General, Retain, ["Id", "BranchId", "CreatedAt", "IsActive", "IsPriorityCounter", "IsWealthZone", "Name", "NameEn", "Number", "ServiceTypeIds", "StaffId", "StaffSince", "UpdatedAt", "Version"])),
        Table<Features.Queues.QueueDaySequence>(
            (General, Retain, ["ServiceTypeId", "BusinessDate", "LastSequence"])),
        Table<Features.Queues.QueueOutOfOrderCall>(
            (General, Retain, ["Id", "At", "BranchId", "CounterId", "NextInOrder", "PassedOver", "Reason", "StaffId", "TicketId"])),
        Table<Features.Queues.QueueServiceType>(
            (General, Retain, ["Id", "AppointmentCapacity", "AppointmentSlotMinutes", "BranchId", "CreatedAt", "IsActive", "Name", "NameEn", "Prefix", "RequiredQualificationTypeId", "SortOrder", "TargetWaitMinutes", "UpdatedAt", "Version"])),
        Table<Features.Queues.QueueTicketEvent>(
            (General, Retain, ["Id", "At", "CounterId", "Kind", "Outcome", "ServiceTypeId", "StaffId", "TicketId"])),
        Table<Features.Queues.QueueTicket>(
            (Important, Erase, ["PublicToken"]),
            (General, Retain, ["Id", "AppointmentId", "BranchId", "BusinessDate", "CallCount", "CalledAt", "CounterId", "CreatedAt", "CustomerId", "EndedAt", "EstimatedWaitMinutes", "IssuedAt", "IssuedServiceTypeId", "Number", "Outcome", "OvertakenCount", "Priority", "Sequence", "ServiceTypeId", "StaffId", "Status", "UpdatedAt", "Version", "WaitingSince"])),
        Table<Features.Suitability.AssessmentLink>(
            (Important, Erase, ["TokenHash"]),
            (General, Retain, ["Id", "AssessmentId", "CreatedAt", "CreatedById", "CustomerId", "ExpiresAt"])),
        Table<Features.Suitability.RiskAssessment>(
            (GeneralSensitive, Erase, ["AnswersJson"]),
            (General, Retain, ["Id", "AssistedById", "BranchId", "Channel", "ConfirmedAt", "CustomerId", "CustomerPresent", "Level", "PreviousLevel", "QuestionnaireNumber", "Score", "ScoreLevel", "Status", "TakenAt", "ValidUntil", "Version"])),
        Table<Features.Suitability.RiskQuestionnaire>(
            (General, Retain, ["Id", "ContentJson", "Number", "PublishedAt", "PublishedById"])),
        Table<Platform.Identity.SignInFailure>(
            (Important, Erase, ["NameKey"]),
            (General, Retain, ["FailedSignIns", "LockedUntil"])),
        Table<Platform.Audit.SignInRecord>(
            (Important, Retain, ["Id", "Channel", "OccurredAt", "Outcome", "RemoteAddress", "StaffId", "Username"])),
        Table<Features.Sla.BranchCalendar>(
            (General, Retain, ["Id", "BranchId", "CalendarId", "CreatedAt", "UpdatedAt", "Version"])),
        Table<Features.Sla.SlaCalendarDay>(
            (General, Retain, ["Id", "CalendarId", "Date", "Kind", "Name", "NameEn", "WorksLike"])),
        Table<Features.Sla.SlaCalendarYear>(
            (General, Retain, ["Id", "CalendarId", "Year"])),
        Table<Features.Sla.SlaCalendar>(
            (General, Retain, ["Id", "CreatedAt", "IsDefault", "Name", "NameEn", "TimeZone", "UpdatedAt", "Version", "WeeklyHours"])),
        Table<Features.Sla.SlaHolidayReminder>(
            (General, Retain, ["Id", "CalendarId", "RaisedAt", "Year"])),
        Table<Features.Sla.SlaRule>(
            (General, Retain, ["Id", "Amount", "CaseKind", "Channel", "CustomerTier", "ExtensionNeedsApproval", "ExtensionNoticeToCustomer", "MaxExtension", "Note", "PauseReasons", "Priority", "RollForward", "StandardVersionId", "TargetType", "Unit", "WarningPercent1", "WarningPercent2"])),
        Table<Features.Sla.SlaSettings>(
            (General, Retain, ["Id", "CreatedAt", "RegulatoryStandardId", "Scope", "UpdatedAt", "Version"])),
        Table<Features.Sla.SlaStandardVersion>(
            (General, Retain, ["Id", "ChangeNote", "Citation", "CreatedAt", "CreatedBy", "EffectiveFrom", "Number", "RulesEn", "RulesZh", "StandardId", "UpdatedAt"])),
        Table<Features.Sla.SlaStandard>(
            (General, Retain, ["Id", "Code", "CreatedAt", "Jurisdiction", "Kind", "Name", "NameEn", "UpdatedAt", "Version"])),
        Table<Platform.Identity.Sso.SsoGroupMapping>(
            (General, Retain, ["Id", "BranchId", "CreatedAt", "CreatedById", "Group", "Role"])),
        Table<Platform.Identity.Staff>(
            (Important, Erase, ["PasswordHash"]),
            (GeneralSensitive, Erase, ["Email"]),
            (General, Retain, ["Id", "CreatedAt", "Culture", "DisplayName", "FailedSignIns", "HomeBranchId", "IsActive", "LastSignInAt", "LockedUntil", "SecurityStamp", "TeamId", "UpdatedAt", "Username", "Version"])),
        Table<Platform.Identity.StaffBranchAccess>(
            (General, Retain, ["Id", "BranchId", "StaffId"])),
        Table<Features.Qualifications.StaffQualification>(
            (GeneralSensitive, Erase, ["EvidenceFileName"]),
            (General, Retain, ["Id", "CertificateNumber", "CreatedAt", "EvidenceBlobId", "EvidenceContentType", "EvidenceReference", "EvidenceSha256", "EvidenceSize", "ExpiresOn", "IssuedOn", "QualificationTypeId", "StaffId", "UpdatedAt", "Version"])),
        Table<Platform.Identity.StaffRecoveryCode>(
            (Important, Erase, ["CodeHash"]),
            (General, Retain, ["Id", "StaffId", "UsedAt"])),
        Table<Platform.Identity.StaffRoleAssignment>(
            (General, Retain, ["Id", "Role", "StaffId"])),
        Table<Platform.Identity.StaffSession>(
            (Important, Erase, ["Key"]),
            (GeneralSensitive, Erase, ["RemoteAddress", "UserAgent"]),
            (General, Retain, ["Id", "LastSeenAt", "Method", "RevokedAt", "RevokedById", "StaffId", "StartedAt"])),
        Table<Platform.Identity.StaffTwoFactor>(
            (Important, Erase, ["SecretCipher"]),
            (General, Retain, ["Id", "CreatedAt", "EnabledAt", "FailedCodes", "LastUsedStep", "LockedUntil", "StaffId", "Version"])),
        Table<Features.Suitability.SuitabilityDecision>(
            (GeneralSensitive, Erase, ["InputsJson"]),
            (GeneralSensitive, Retain, ["FindingsJson", "WarningText"]),
            (General, Retain, ["Id", "AcknowledgedAt", "AcknowledgmentRecordedById", "Action", "Amount", "BranchId", "CoolingOffHours", "CreatedAt", "CustomerId", "DisclosureTitle", "NeedsReview", "Outcome", "ProceedFrom", "ProductId", "RecordingReference", "ReviewNote", "ReviewedAt", "ReviewerId", "RuleSetNumber", "StaffId", "Status", "UpdatedAt", "Version"])),
        Table<Features.Suitability.SuitabilityRuleSet>(
            (General, Retain, ["Id", "ContentJson", "CreatedAt", "CreatedById", "Note", "Number"])),
        Table<Features.Surveys.SurveyDefinition>(
            (General, Retain, ["Id", "Channels", "Code", "ContentJson", "DelayMinutes", "ExpiryDays", "IsActive", "Kinds", "Name", "NameEn", "Number", "PublishedAt", "PublishedById", "TriggerEvent"])),
        Table<Features.Surveys.SurveyInvitation>(
            (Important, Erase, ["TokenHash"]),
            (GeneralSensitive, Erase, ["RecipientKey"]),
            (General, Retain, ["Id", "BranchId", "Channel", "CreatedAt", "CustomerId", "DefinitionId", "DeliveryChannel", "EventId", "EventKind", "ExpiresAt", "Kind", "ProductId", "ReminderAt", "ReminderMessageId", "ReminderSentAt", "ResponseId", "SendAt", "StaffId", "Status", "Suppression", "TeamId"])),
        Table<Features.Surveys.SurveyOptOut>(
            (GeneralSensitive, Erase, ["RecipientKey"]),
            (General, Retain, ["Id", "CustomerId", "InvitationId", "OptedOutAt"])),
        Table<Features.Surveys.SurveyResponse>(
            (GeneralSensitive, Erase, ["AnswersJson", "RootCause"]),
            (General, Retain, ["Id", "BranchId", "Channel", "ComplaintSuspected", "Csat", "CustomerId", "DefinitionId", "Effort", "EventId", "EventKind", "FollowUpCaseId", "FollowUpDueAt", "FollowUpOwnerId",
                "FollowUpRecordedAt", "FollowUpRecordedById", "InvitationId", "IsPoor", "IssueResolved", "Kind", "Language", "Nps", "PlanDueAt", "ProductId", "StaffId", "SubmittedAt", "TeamId", "ThankedAt"])),
        Table<Features.Surveys.SurveyImprovement>(
            (General, Retain, ["Id", "BranchId", "CreatedAt", "CreatedById", "DoneAt", "DoneNote", "DueOn", "OwnerId", "Proposal", "Segment", "StandardKind", "StandardRef", "Status", "Title", "Version"])),
        Table<Features.Organisation.Team>(
            (General, Retain, ["Id", "BranchId", "CreatedAt", "IsActive", "Name", "NameEn", "UpdatedAt", "Version"])),
        Table<Platform.Identity.TwoFactorRequirement>(
            (General, Retain, ["Id", "Role", "SetAt", "SetById"])),
        Table<Features.Mail.Mailbox>(
            (Important, Erase, ["ImapPasswordCipher", "SmtpPasswordCipher"]),
            (General, Retain, ["Id", "Address", "DisplayName", "BranchId", "TeamId", "ImapHost", "ImapPort", "ImapSecurity", "ImapUser", "Folder", "SmtpHost", "SmtpPort",
                "SmtpSecurity", "SmtpUser", "Enabled", "LastPollAt", "LastPollStatus", "LastPollError", "CreatedAt", "Version"])),
        Table<Features.Mail.InboundMail>(
            (GeneralSensitive, Erase, ["SenderCipher", "SenderIndex", "Subject", "HtmlBody"]),
            (General, Retain, ["Id", "MailboxId", "UidValidity", "Uid", "MessageId", "Outcome", "CaseId", "CaseMessageId", "Reason", "Size", "ReceivedAt"])),
        Table<Features.Mail.BouncedAddress>(
            (GeneralSensitive, Erase, ["AddressCipher", "AddressIndex"]),
            (General, Retain, ["Id", "Bounces", "FirstBouncedAt", "LastBouncedAt", "LastReason"])),
        Table<Features.Webhooks.WebhookAttempt>(
            (General, Retain, ["Id", "DeliveryId", "DurationMs", "Error", "Number", "Outcome", "StartedAt", "StatusCode"])),
        Table<Features.Webhooks.WebhookDelivery>(
            (General, Retain, ["Id", "Attempts", "CompletedAt", "CreatedAt", "EndpointId", "EventId", "LastError", "LastStatusCode", "LockedBy", "LockedUntil", "NextAttemptAt", "ReplayOfId", "Status"])),
        Table<Features.Webhooks.WebhookEndpoint>(
            (Important, Erase, ["SecretCipher"]),
            (General, Retain, ["Id", "ConsecutiveFailures", "CreatedAt", "Description", "EventTypes", "OwnerId", "PauseReason", "PausedAt", "Url", "Version"])),
        Table<Features.Webhooks.WebhookEvent>(
            (General, Retain, ["Id", "OccurredAt", "Payload", "PublicId", "Type"])),
        Table<Features.Retention.RetentionRule>(
            (General, Retain, ["Id", "RecordClass", "TriggerEvent", "PeriodMonths", "MinimumMonths", "LegalBasis", "LegalBasisEn", "Disposition", "Version", "CreatedAt", "UpdatedAt"])),
        Table<Features.Retention.RetentionHold>(
            (General, Retain, ["Id", "SubjectType", "SubjectId", "Kind", "Reason", "PlacedById", "PlacedAt", "ReleasedById", "ReleasedAt", "ReleaseReason", "Version"])),
        Table<Features.Retention.DispositionReview>(
            (Important, Retain, ["Salt", "ContentDigest", "Tombstone"]),
            (General, Retain, ["Id", "RecordClass", "RecordId", "RecordReference", "BranchId", "DueOn", "FoundAt", "Status", "DecidedById", "DecidedAt", "Reason", "DeferredUntil", "Version"])),
        Table<Platform.Background.PeriodicJobClaim>(
            (General, Retain, ["Id", "Job", "Day", "Node", "ClaimedAt"])),
    ]);

    /// <summary>The declared entity types and, per property, its class and disposal.</summary>
    public static IReadOnlyDictionary<Type, Dictionary<string, Declaration>> All => Declared;

    public static Declaration? For(Type entity, string property) =>
        Declared.TryGetValue(entity, out var columns) && columns.TryGetValue(property, out var d) ? d : null;

    private static (Type Type, (DataClass Class, Disposal Disposal, string[] Properties)[] Groups) Table<T>(
        params (DataClass Class, Disposal Disposal, string[] Properties)[] groups) => (typeof(T), groups);

    private static Dictionary<Type, Dictionary<string, Declaration>> Build((Type Type, (DataClass Class, Disposal Disposal, string[] Properties)[] Groups)[] tables)
    {
        var result = new Dictionary<Type, Dictionary<string, Declaration>>();
        foreach (var (type, groups) in tables)
        {
            var columns = new Dictionary<string, Declaration>(StringComparer.Ordinal);
            foreach (var (c, d, properties) in groups)
            {
                foreach (var p in properties)
                {
                    // Declared twice is a mistake in this file: fail on first use, naming it.
                    if (!columns.TryAdd(p, new Declaration(c, d)))
                    {
                        throw new InvalidOperationException($"{type.Name}.{p} is declared twice in DataClasses.");
                    }
                }
            }

            result.Add(type, columns);
        }

        return result;
    }
}
