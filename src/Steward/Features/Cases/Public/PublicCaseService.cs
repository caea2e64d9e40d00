using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases.Public;

/// <summary>
/// What customers do without signing in: submit a case from the public web form and look up its
/// status with the reference and the phone number or e-mail they gave. The look-up answers the
/// same "not found" whether the reference is unknown or the contact does not match, so it tells
/// nothing about cases the caller cannot prove are theirs.
/// </summary>
public sealed class PublicCaseService(StewardDbContext db, CaseCreation cases, PersonalDataProtector protector)
{
    public const string WebFormActor = "Customer (web form) 客户（网页表单）";

    /// <summary>
    /// The kinds a customer may choose, on the public form and the public API alike; business handling needs a branch
    /// visit or a signed-in channel.
    /// </summary>
    public static readonly IReadOnlyList<CaseKind> Kinds = [CaseKind.Consultation, CaseKind.Complaint, CaseKind.Suggestion, CaseKind.Praise];

    /// <summary>The institution's name in the viewer's language, for the header of the customers' pages (null before one is set up).</summary>
    public async Task<string?> InstitutionNameAsync(bool chinese, CancellationToken ct = default)
    {
        var name = await db.Set<Institution>().AsNoTracking().OrderBy(i => i.Id).Select(i => chinese ? i.Name : i.NameEn).FirstOrDefaultAsync(ct);
        return string.IsNullOrWhiteSpace(name) ? null : name;
    }

    /// <summary>Active branches to choose from on the form.</summary>
    public async Task<IReadOnlyList<PublicBranch>> BranchesAsync(CancellationToken ct = default) =>
        await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Code)
            .Select(b => new PublicBranch(b.Id, b.Code, b.Name, b.NameEn)).ToListAsync(ct);

    /// <summary>Creates a case on channel WebForm with an anonymous contact; it goes to the team of the branch that receives its kind.</summary>
    public async Task<Outcome<PublicCaseReceipt>> CreateAsync(PublicCaseRequest r, CancellationToken ct = default)
    {
        if (r.Kind is { } kind && !Kinds.Contains(kind))
        {
            var message = $"Choose one of: {string.Join(", ", Kinds)}. 请选择所列类型之一：咨询、投诉、建议、表扬。";
            return InvalidCase.Field("kind", message);
        }

        var request = new CaseCreateRequest(r.Kind, CaseChannel.WebForm, r.Subject, r.Description, r.BranchId,
            Contact: new CaseContactInput(r.Name, r.Phone, r.Email), ProductId: r.ProductId);
        var created = await cases.CreateCoreAsync(request, new CaseActor(null, WebFormActor), scope: null, ct);
        if (!created.Succeeded)
        {
            return created.Error;
        }

        var c = created.Value;
        return new PublicCaseReceipt(c.Reference, c.Kind, c.Status, c.CreatedAt);
    }

    /// <summary>Status, dates and public replies of the case, when the contact matches the one on the case (or its customer's file).</summary>
    public async Task<Outcome<PublicCaseStatus>> StatusAsync(PublicStatusRequest r, CancellationToken ct = default)
    {
        var c = await FindAsync(r.Reference, r.Contact, tracked: false, ct);
        if (c is null)
        {
            return NotFound();
        }

        var replies = await db.Set<CaseMessage>().AsNoTracking()
            .Where(m => m.CaseId == c.Id && (m.Visibility == MessageVisibility.Public || m.Visibility == MessageVisibility.Customer)).OrderBy(m => m.Id)
            .Select(m => new PublicReply(m.CreatedAt, m.Body, m.Visibility == MessageVisibility.Customer)).ToListAsync(ct);

        // Status changes only: the customer sees when their case moved, not who moved it or why (reasons may be internal).
        var steps = await db.Set<CaseEvent>().AsNoTracking()
            .Where(e => e.CaseId == c.Id && (e.Type == CaseEventType.Created || (e.Type == CaseEventType.Transitioned && e.FromStatus != e.ToStatus))).OrderBy(e => e.Id)
            .Select(e => new PublicStep(e.OccurredAt, e.Type, e.Type == CaseEventType.Created ? CaseStatus.Submitted : e.ToStatus)).ToListAsync(ct);
        var zone = await db.Set<Branch>().Where(b => b.Id == c.BranchId).Select(b => b.TimeZone).SingleAsync(ct);
        // The promise shown is the case's next deadline, only while the next move is the institution's.
        var expectedBy = c.Waiting == CaseWaiting.None && !CaseLifecycle.IsFinal(c.Status) && c.Status != CaseStatus.Resolved ? c.DueAt : null;
        return new PublicCaseStatus(c.Reference, c.Kind, c.Status, c.Waiting == CaseWaiting.WaitingOnCustomer, c.CreatedAt, c.UpdatedAt, c.ResolvedAt, c.ClosedAt,
            replies, zone, steps, expectedBy, CanReply: !CaseLifecycle.IsFinal(c.Status));
    }

    /// <summary>
    /// The case with <paramref name="reference"/>, when <paramref name="contact"/> is the phone number or e-mail on it (or on its
    /// customer's file); else null, the same for an unknown reference as for a wrong contact.
    /// </summary>
    internal async Task<Case?> FindAsync(string? reference, string? contact, bool tracked, CancellationToken ct)
    {
        var normalised = (reference ?? "").Trim().ToUpperInvariant();
        var index = protector.BlindIndex(contact);
        if (normalised.Length == 0 || index is null)
        {
            return null;
        }

        var cases = tracked ? db.Set<Case>() : db.Set<Case>().AsNoTracking();
        var c = await cases.SingleOrDefaultAsync(x => x.Reference == normalised, ct);
        if (c is null)
        {
            return null;
        }

        var matches = c.ContactPhoneIndex == index || c.ContactEmailIndex == index;
        if (!matches && c.CustomerId is { } customerId)
        {
            matches = await db.Set<Customer>().AnyAsync(x => x.Id == customerId && (x.PhoneIndex == index || x.EmailIndex == index), ct);
        }

        return matches ? c : null;
    }

    internal static NotFoundError NotFound() => new("case-not-found", "No case matches 未找到匹配的案件",
        "Check the reference and give the phone number or e-mail address you used. 请核对案件编号，并填写提交时使用的电话或邮箱。");
}
