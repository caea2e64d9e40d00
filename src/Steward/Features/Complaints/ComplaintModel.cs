using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints;

/// <summary>
/// Who brought the complaint. CBIRC 2020 No. 3 accepts a complaint made by an authorised agent (委托代理人) or by an heir
/// (继承人) of the consumer; either needs a proof note (the power of attorney, the certificate of succession seen).
/// </summary>
public enum ComplainantKind
{
    /// <summary>The case's customer (or its contact) in person.</summary>
    Customer,

    /// <summary>An authorised agent acting for the customer.</summary>
    AuthorisedAgent,

    /// <summary>An heir of a deceased customer.</summary>
    Heir,
}

/// <summary>The code sets a complaint is coded in, all from one <see cref="ComplaintTaxonomy"/> version.</summary>
public enum ComplaintCodeSet
{
    /// <summary>Product / service / process / policy (seed 003 §5.2 分类处理).</summary>
    Nature,

    /// <summary>JR/T 0169-2018 A: the channel of the business complained about.</summary>
    JrtChannel,

    /// <summary>JR/T 0169-2018 B: the business type.</summary>
    JrtBusiness,

    /// <summary>JR/T 0169-2018 C: the cause.</summary>
    JrtCause,

    /// <summary>FCA DISP 1 Annex 1: the product group of the complaints return.</summary>
    FcaProductGroup,
}

/// <summary>
/// A version of the complaint classification: the codes of every <see cref="ComplaintCodeSet"/> as published together.
/// Versions are never edited; a complaint records the version it was coded in, so a return can name the codes it counted.
/// </summary>
public sealed class ComplaintTaxonomy : IAuditable
{
    public long Id { get; set; }

    public int Number { get; set; }

    public DateOnly PublishedOn { get; set; }

    public string Citation { get; set; } = "";

    public List<ComplaintCode> Codes { get; set; } = [];
}

/// <summary>One code of one set in one taxonomy version, named in both languages.</summary>
public sealed class ComplaintCode : IAuditable
{
    public long Id { get; set; }

    public long TaxonomyId { get; set; }

    public ComplaintCodeSet CodeSet { get; set; }

    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public string NameEn { get; set; } = "";

    /// <summary>Kept in the version so complaints coded with it still show its name; refused for new coding and recoding.</summary>
    public bool Retired { get; set; }
}

/// <summary>
/// The complaint record of a case: one per case, linked by <see cref="CaseId"/>. The case keeps its lifecycle, its
/// assignee and its SLA clocks; this row holds what a complaint needs besides: the complainant, what happened and what
/// they want, the amount in dispute, the product, the classification and the people the handler must not be.
/// </summary>
public sealed class Complaint : IVersioned, ITimestamped, IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    /// <summary>The case's branch, copied at intake (a case never changes branch), so counts need not join the cases.</summary>
    public long BranchId { get; set; }

    /// <summary>The case's customer, copied at intake (null: none on the case).</summary>
    public long? CustomerId { get; set; }

    public ComplainantKind ComplainantKind { get; set; }

    /// <summary>The agent's or heir's name (null when the customer complains in person).</summary>
    public string? RepresentativeName { get; set; }

    /// <summary>What proves the agent's authority or the heir's standing (required for both).</summary>
    public string? ProofNote { get; set; }

    public string WhatHappened { get; set; } = "";

    public string WhatTheyWant { get; set; } = "";

    /// <summary>At least 0, at most 2 decimals; null when no amount is disputed.</summary>
    public decimal? AmountInDispute { get; set; }

    public string Currency { get; set; } = "CNY";

    public long? ProductId { get; set; }

    public CaseChannel Channel { get; set; }

    /// <summary>When the institution received the complaint: the regulatory deadlines count from here.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The code of the regulatory preset of the case's branch at intake (e.g. CN-CBIRC-2020-3); null: none.</summary>
    public string? Regime { get; set; }

    /// <summary>The regime's decision (PRC) or final-response (FCA, CFPB) deadline from <see cref="ReceivedAt"/>; lists sort by it.</summary>
    public DateTimeOffset? RegulatoryDueAt { get; set; }

    public long TaxonomyId { get; set; }

    public string Nature { get; set; } = "";

    public string JrtChannel { get; set; } = "";

    public string JrtBusiness { get; set; } = "";

    public string JrtCause { get; set; } = "";

    public string? FcaProductGroup { get; set; }

    /// <summary>The staff member the complaint is about (recusal: neither they nor their line manager may handle it).</summary>
    public long? SubjectStaffId { get; set; }

    /// <summary>Who sold the product complained about (recusal: they may not handle it).</summary>
    public long? SellerStaffId { get; set; }

    /// <summary>Why it happened (溯源): required before an outcome is recorded.</summary>
    public string? RootCause { get; set; }

    public ComplaintOutcome? Outcome { get; set; }

    public DateTimeOffset? OutcomeAt { get; set; }

    public long? OutcomeById { get; set; }

    /// <summary>Initial assessment (初步评估): within the complaint rules' scope?</summary>
    public bool? InScope { get; set; }

    /// <summary>Initial assessment: does it touch a regulatory duty (to be reported, a breach)?</summary>
    public bool? RegulatoryImpact { get; set; }

    /// <summary>Initial assessment: a legal risk (litigation, liability)? Then a legal task is opened.</summary>
    public bool? LegalImpact { get; set; }

    public string? AssessmentNote { get; set; }

    public DateTimeOffset? AssessedAt { get; set; }

    public long? AssessedById { get; set; }

    /// <summary>What the complainant said to the final decision; cleared when a dispute opens a review.</summary>
    public CustomerResponse? CustomerResponse { get; set; }

    public string? CustomerResponseNote { get; set; }

    public DateTimeOffset? CustomerResponseAt { get; set; }

    /// <summary>When the complaint was archived (归档): nothing more is decided on it, its case is closed.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    public long? ArchivedById { get; set; }

    public long? CreatedById { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The codes as one line, e.g. <c>SERVICE A01 B03 C01 BANKING</c> (recodings record it before and after).</summary>
    public string CodeLine => string.Join(' ', new[] { Nature, JrtChannel, JrtBusiness, JrtCause, FcaProductGroup }.Where(c => !string.IsNullOrEmpty(c)));
}

/// <summary>The decision on a complaint. The FCA return counts partly upheld as upheld (DISP 1.10).</summary>
public enum ComplaintOutcome
{
    Upheld,
    PartlyUpheld,
    NotUpheld,
    Withdrawn,
}

/// <summary>A component of redress or service recovery (服务补救, seed 002 §5).</summary>
public enum RemedyKind
{
    Apology,
    FeeRefund,
    Compensation,
    Goodwill,
    Interest,
    ProcessFix,
}

public enum RemedyStatus
{
    /// <summary>Above the proposer's limit: waits for an approver of <see cref="ComplaintRemedy.ApproverLevel"/>.</summary>
    PendingApproval,

    /// <summary>Within the proposer's limit, or approved.</summary>
    Approved,
}

/// <summary>Who may approve a remedy amount: the limits are <see cref="ComplaintOptions"/>.</summary>
public enum RemedyApproverLevel
{
    Handler,
    BranchManager,
    Compliance,
}

/// <summary>One remedy of a complaint, with its amount (money remedies) and its approval.</summary>
public sealed class ComplaintRemedy : IVersioned, IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public RemedyKind Kind { get; set; }

    /// <summary>Money remedies only: more than 0, at most 2 decimals, in <see cref="Currency"/>.</summary>
    public decimal? Amount { get; set; }

    public string Currency { get; set; } = "CNY";

    public string? Note { get; set; }

    public RemedyStatus Status { get; set; }

    /// <summary>The lowest level whose limit covers the amount.</summary>
    public RemedyApproverLevel ApproverLevel { get; set; }

    public long? ProposedById { get; set; }

    public DateTimeOffset ProposedAt { get; set; }

    public long? ApprovedById { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public int Version { get; set; }

    public static bool IsMoney(RemedyKind kind) => kind is RemedyKind.FeeRefund or RemedyKind.Compensation or RemedyKind.Goodwill or RemedyKind.Interest;
}

public enum ComplaintLetterKind
{
    /// <summary>Tells the complainant the complaint was received and when to expect the decision (DISP 1.6.1R: promptly).</summary>
    Acknowledgment,

    /// <summary>The decision, its reasons, the remedies and the complainant's next steps (review, mediation, ombudsman).</summary>
    FinalResponse,
}

/// <summary>
/// A letter as it was rendered and stored with the case: never changed afterwards. <see cref="Number"/> stamps its version
/// (the n-th letter of its kind and language on the complaint), <see cref="Template"/> the template version it came from.
/// </summary>
public sealed class ComplaintLetter : IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public long CaseId { get; set; }

    public ComplaintLetterKind Kind { get; set; }

    /// <summary><c>zh-CN</c> or <c>en</c>.</summary>
    public string Language { get; set; } = "";

    public string Template { get; set; } = "";

    public int Number { get; set; }

    /// <summary>The rendered HTML fragment (every value HTML-encoded by the renderer).</summary>
    public string Body { get; set; } = "";

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A change of a complaint's codes after intake, with its reason (the complaint's own audit entry holds the columns).</summary>
public sealed class ComplaintRecoding : IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public string FromCodes { get; set; } = "";

    public string ToCodes { get; set; } = "";

    public string Reason { get; set; } = "";

    public long? RecodedById { get; set; }

    public DateTimeOffset RecodedAt { get; set; }
}

/// <summary>
/// The decision that an expression of dissatisfaction on a case is not a complaint, with its reason. Staff must not wait
/// for the word 投诉: every such decision is recorded, so that it can be reviewed. A later decision to record the case as
/// a complaint after all is allowed (the dismissal stays as history).
/// </summary>
public sealed class ComplaintDismissal : IAuditable
{
    public long Id { get; set; }

    public long CaseId { get; set; }

    public string Reason { get; set; } = "";

    public long? DecidedById { get; set; }

    public DateTimeOffset DecidedAt { get; set; }
}

/// <summary>Why a staff member must recuse themselves from a complaint (CBIRC 2020 No. 3: 与投诉事项有直接利害关系的应当回避).</summary>
public enum RecusalGround
{
    /// <summary>The complaint names them.</summary>
    ComplainedAbout,

    /// <summary>They manage the staff member the complaint names.</summary>
    LineManager,

    /// <summary>They sold the product complained about.</summary>
    Seller,
}

/// <summary>A compliance officer's decision that a recused staff member may handle the complaint after all, with the reason.</summary>
public sealed class ComplaintRecusalOverride : IAuditable
{
    public long Id { get; set; }

    public long ComplaintId { get; set; }

    public long StaffId { get; set; }

    public RecusalGround Ground { get; set; }

    public string Reason { get; set; } = "";

    public long? OverriddenById { get; set; }

    public DateTimeOffset OverriddenAt { get; set; }
}

internal sealed class ComplaintTaxonomyConfiguration : IEntityTypeConfiguration<ComplaintTaxonomy>
{
    public void Configure(EntityTypeBuilder<ComplaintTaxonomy> builder)
    {
        builder.ToTable("complaint_taxonomies");
        builder.HasIndex(t => t.Number).IsUnique();
        builder.Property(t => t.Citation).HasMaxLength(1000);
        builder.HasMany(t => t.Codes).WithOne().HasForeignKey(c => c.TaxonomyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ComplaintCodeConfiguration : IEntityTypeConfiguration<ComplaintCode>
{
    public void Configure(EntityTypeBuilder<ComplaintCode> builder)
    {
        builder.ToTable("complaint_codes");
        builder.HasIndex(c => new { c.TaxonomyId, c.CodeSet, c.Code }).IsUnique();
        builder.Property(c => c.Code).HasMaxLength(20);
        builder.Property(c => c.Name).HasMaxLength(200);
        builder.Property(c => c.NameEn).HasMaxLength(200);
    }
}

internal sealed class ComplaintConfiguration : IEntityTypeConfiguration<Complaint>
{
    public void Configure(EntityTypeBuilder<Complaint> builder)
    {
        builder.ToTable("complaints");
        builder.HasIndex(c => c.CaseId).IsUnique();
        builder.HasIndex(c => c.ReceivedAt);
        builder.HasIndex(c => c.RegulatoryDueAt);
        builder.HasIndex(c => c.ProductId);
        builder.HasIndex(c => c.TaxonomyId);
        builder.HasIndex(c => c.SubjectStaffId);
        builder.HasIndex(c => c.SellerStaffId);
        builder.HasIndex(c => new { c.ReceivedAt, c.BranchId, c.CustomerId });
        builder.HasIndex(c => new { c.OutcomeAt, c.BranchId });
        builder.HasIndex(c => c.CustomerId);
        builder.Property(c => c.RepresentativeName).HasMaxLength(100);
        builder.Property(c => c.ProofNote).HasMaxLength(1000);
        builder.Property(c => c.WhatHappened).HasMaxLength(4000);
        builder.Property(c => c.WhatTheyWant).HasMaxLength(2000);
        builder.Property(c => c.AmountInDispute).HasPrecision(18, 2);
        builder.Property(c => c.Currency).HasMaxLength(3);
        builder.Property(c => c.Nature).HasMaxLength(20);
        builder.Property(c => c.JrtChannel).HasMaxLength(20);
        builder.Property(c => c.JrtBusiness).HasMaxLength(20);
        builder.Property(c => c.JrtCause).HasMaxLength(20);
        builder.Property(c => c.FcaProductGroup).HasMaxLength(20);
        builder.Property(c => c.RootCause).HasMaxLength(2000);
        builder.Property(c => c.AssessmentNote).HasMaxLength(2000);
        builder.Property(c => c.CustomerResponseNote).HasMaxLength(2000);
        builder.Ignore(c => c.CodeLine);
        builder.HasOne<Case>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Branch>().WithMany().HasForeignKey(c => c.BranchId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Product>().WithMany().HasForeignKey(c => c.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ComplaintTaxonomy>().WithMany().HasForeignKey(c => c.TaxonomyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.SubjectStaffId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.SellerStaffId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ComplaintRemedyConfiguration : IEntityTypeConfiguration<ComplaintRemedy>
{
    public void Configure(EntityTypeBuilder<ComplaintRemedy> builder)
    {
        builder.ToTable("complaint_remedies");
        builder.HasIndex(r => r.ComplaintId);
        builder.Property(r => r.Amount).HasPrecision(18, 2);
        builder.Property(r => r.Currency).HasMaxLength(3);
        builder.Property(r => r.Note).HasMaxLength(1000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(r => r.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ComplaintLetterConfiguration : IEntityTypeConfiguration<ComplaintLetter>
{
    public void Configure(EntityTypeBuilder<ComplaintLetter> builder)
    {
        builder.ToTable("complaint_letters");
        builder.HasIndex(l => new { l.ComplaintId, l.Kind, l.Language, l.Number }).IsUnique();
        builder.HasIndex(l => l.CaseId);
        builder.Property(l => l.Language).HasMaxLength(10);
        builder.Property(l => l.Template).HasMaxLength(40);
        builder.Property(l => l.Body).HasMaxLength(20000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(l => l.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Case>().WithMany().HasForeignKey(l => l.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ComplaintRecodingConfiguration : IEntityTypeConfiguration<ComplaintRecoding>
{
    public void Configure(EntityTypeBuilder<ComplaintRecoding> builder)
    {
        builder.ToTable("complaint_recodings");
        builder.HasIndex(r => r.ComplaintId);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(r => r.ComplaintId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ComplaintDismissalConfiguration : IEntityTypeConfiguration<ComplaintDismissal>
{
    public void Configure(EntityTypeBuilder<ComplaintDismissal> builder)
    {
        builder.ToTable("complaint_dismissals");
        builder.HasIndex(d => d.CaseId);
        builder.Property(d => d.Reason).HasMaxLength(1000);
        builder.HasOne<Case>().WithMany().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ComplaintRecusalOverrideConfiguration : IEntityTypeConfiguration<ComplaintRecusalOverride>
{
    public void Configure(EntityTypeBuilder<ComplaintRecusalOverride> builder)
    {
        builder.ToTable("complaint_recusal_overrides");
        builder.HasIndex(o => o.ComplaintId);
        builder.HasIndex(o => o.StaffId);
        builder.Property(o => o.Reason).HasMaxLength(1000);
        builder.HasOne<Complaint>().WithMany().HasForeignKey(o => o.ComplaintId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Staff>().WithMany().HasForeignKey(o => o.StaffId).OnDelete(DeleteBehavior.Restrict);
    }
}
