namespace Steward.Platform.Identity;

/// <summary>The jobs people do in Steward (MISSION.md, "Who uses it").</summary>
public enum StaffRole
{
    Agent,
    BackOffice,
    TeamLead,
    BranchManager,
    Compliance,
    QaInspector,
    Administrator,
}

/// <summary>What a role may do. Pages, menus and endpoints ask for a permission, never a role.</summary>
public enum Permission
{
    /// <summary>Use the workbench: see and work cases within one's scope.</summary>
    CasesWork,

    /// <summary>Assign and reassign cases, handle escalations.</summary>
    CasesAssign,

    /// <summary>Read customer files within one's scope.</summary>
    CustomersRead,

    /// <summary>Open and edit customer files within one's scope (建档).</summary>
    CustomersManage,

    /// <summary>Verify or reject a customer's identity (KYC) within one's scope.</summary>
    KycVerify,

    /// <summary>Change the customer tier rules (thresholds and the grace period before a downgrade).</summary>
    CustomerTiersManage,

    /// <summary>See unmasked personal data (the access is audited).</summary>
    PersonalDataReveal,

    /// <summary>Manage branches, teams and staff.</summary>
    OrganisationManage,

    /// <summary>Manage service standards, calendars and regulatory presets.</summary>
    StandardsManage,

    /// <summary>Browse and verify the audit log.</summary>
    AuditRead,

    /// <summary>Reports and statistics within one's scope.</summary>
    ReportsRead,

    /// <summary>Quality inspection: sample and score interactions.</summary>
    QualityInspect,

    /// <summary>Sign in to a branch counter and call, serve, transfer and finish tickets (branch queue, issue 14).</summary>
    QueueServe,

    /// <summary>Set up a branch's queue: service types and counters.</summary>
    QueueManage,

    /// <summary>Read the product catalogue (everyone who works cases, and those who manage it).</summary>
    ProductsRead,

    /// <summary>Create and edit products, their ratings, documents and status.</summary>
    ProductsManage,

    /// <summary>Import customers' holdings from the core banking system and read the imports' results.</summary>
    HoldingsImport,

    /// <summary>Read staff qualifications within one's scope (one's own are always readable).</summary>
    QualificationsRead,

    /// <summary>Add, change and remove staff certificates within one's scope.</summary>
    QualificationsManage,

    /// <summary>Take a customer's risk assessment at the counter, send them the online one, and run suitability checks (recommend or sell).</summary>
    SuitabilityCheck,

    /// <summary>Second review of high-risk sales to customers aged 65+; replay decisions.</summary>
    SuitabilityReview,

    /// <summary>Publish questionnaire versions and suitability rule sets; replay decisions.</summary>
    SuitabilityRulesManage,

    /// <summary>Record, classify and handle complaints on the cases within one's scope.</summary>
    ComplaintsHandle,

    /// <summary>Complaint oversight: override a recusal (audited).</summary>
    ComplaintsOversee,

    /// <summary>Read the regulatory complaint returns (PRC, FCA, CFPB) of one's branches, or of all with institution scope.</summary>
    ComplaintReturnsRead,

    /// <summary>See and revoke other staff members' sign-in sessions, and map the identity provider's groups to roles (one's own sessions are always one's own).</summary>
    SessionsManage,

    /// <summary>Make, read and close quality calibration batches (docs/decisions/0049); scoring one also needs <see cref="QualityInspect"/>.</summary>
    QualityCalibrate,

    /// <summary>Register and change webhook endpoints, read their deliveries and replay them (docs/decisions/0047).</summary>
    WebhooksManage,

    /// <summary>Add, change and test the mailboxes Steward reads customers' e-mail from and answers through (docs/decisions/0053).</summary>
    MailboxesManage,

    /// <summary>Retention and disposal (docs/decisions/0052): change retention periods, place and release holds, approve or defer disposition.</summary>
    RetentionManage,
}

public static class RolePermissions
{
    private static readonly Dictionary<StaffRole, Permission[]> Map = new()
    {
        [StaffRole.Agent] = [Permission.QueueServe, Permission.CasesWork, Permission.ComplaintsHandle, Permission.CustomersRead, Permission.CustomersManage, Permission.ProductsRead, Permission.SuitabilityCheck],
        [StaffRole.BackOffice] = [Permission.CasesWork, Permission.ComplaintsHandle, Permission.CustomersRead, Permission.CustomersManage, Permission.KycVerify, Permission.ProductsRead, Permission.HoldingsImport],
        [StaffRole.TeamLead] = [Permission.QueueServe, Permission.CasesWork, Permission.ComplaintsHandle, Permission.CasesAssign, Permission.CustomersRead, Permission.CustomersManage, Permission.KycVerify, Permission.ReportsRead,
            Permission.ProductsRead, Permission.QualificationsRead, Permission.SuitabilityCheck, Permission.SuitabilityReview],
        [StaffRole.BranchManager] = [Permission.QueueServe, Permission.QueueManage, Permission.CasesWork, Permission.ComplaintsHandle, Permission.CasesAssign, Permission.CustomersRead, Permission.CustomersManage, Permission.KycVerify, Permission.ReportsRead, Permission.ProductsRead,
            Permission.QualificationsRead, Permission.QualificationsManage, Permission.SuitabilityCheck, Permission.SuitabilityReview, Permission.ComplaintReturnsRead],
        [StaffRole.Compliance] = [Permission.CasesWork, Permission.ComplaintsHandle, Permission.ComplaintsOversee, Permission.ComplaintReturnsRead, Permission.CustomersRead, Permission.PersonalDataReveal, Permission.AuditRead, Permission.ReportsRead,
            Permission.ProductsRead, Permission.ProductsManage, Permission.QualificationsRead, Permission.SuitabilityReview, Permission.SuitabilityRulesManage, Permission.QualityCalibrate, Permission.RetentionManage],
        [StaffRole.QaInspector] = [Permission.CasesWork, Permission.QualityInspect, Permission.QualityCalibrate, Permission.ReportsRead, Permission.ProductsRead, Permission.QualificationsRead],
        [StaffRole.Administrator] = [Permission.QueueManage, Permission.OrganisationManage, Permission.StandardsManage, Permission.CustomerTiersManage, Permission.AuditRead, Permission.ReportsRead,
            Permission.ProductsRead, Permission.ProductsManage, Permission.HoldingsImport, Permission.QualificationsRead, Permission.QualificationsManage,
            Permission.SuitabilityRulesManage, Permission.SessionsManage, Permission.WebhooksManage, Permission.MailboxesManage],
    };

    /// <summary>Roles whose data access spans every branch; all others see their own branches only.</summary>
    public static bool HasInstitutionScope(StaffRole role) =>
        role is StaffRole.Compliance or StaffRole.QaInspector or StaffRole.Administrator;

    public static IReadOnlyList<Permission> For(StaffRole role) => Map[role];

    public static bool Grants(IEnumerable<StaffRole> roles, Permission permission) =>
        roles.Any(r => Map[r].Contains(permission));
}
