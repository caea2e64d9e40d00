using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>
/// What customers do without signing in: submit a case from the public web form and look up its
/// status with the reference and the phone number or e-mail they gave. The look-up answers the
/// same "not found" whether the reference is unknown or the contact does not match, so it tells
/// nothing about cases the caller cannot prove are theirs.
/// </summary>
public sealed class PublicCaseService(StewardDbContext db, CaseService cases, PersonalDataProtector protector)
{
    public const string WebFormActor = "客户（网页表单） Customer (web form)";

    /// <summary>Active branches to choose from on the form.</summary>
    public async Task<IReadOnlyList<PublicBranch>> BranchesAsync(CancellationToken ct = default) =>
        await db.Set<Branch>().AsNoTracking().Where(b => b.IsActive).OrderBy(b => b.Code)
            .Select(b => new PublicBranch(b.Id, b.Code, b.Name, b.NameEn)).ToListAsync(ct);

    /// <summary>Creates a case on channel WebForm with an anonymous contact; it goes to the team of the branch that receives its kind.</summary>
    public async Task<Outcome<PublicCaseReceipt>> CreateAsync(PublicCaseRequest r, CancellationToken ct = default)
    {
        var request = new CaseCreateRequest(r.Kind, CaseChannel.WebForm, r.Subject, r.Description, r.BranchId,
            Contact: new CaseContactInput(r.Name, r.Phone, r.Email), ProductId: r.ProductId);
        var created = await cases.CreateCoreAsync(request, new CaseActor(null, WebFormActor), scope: null, ct);
        if (!created.Succeeded)
        {
            return created.Error!;
        }

        var c = created.Value!;
        return new PublicCaseReceipt(c.Reference, c.Kind, c.Status, c.CreatedAt);
    }

    /// <summary>Status, dates and public replies of the case, when the contact matches the one on the case (or its customer's file).</summary>
    public async Task<Outcome<PublicCaseStatus>> StatusAsync(PublicStatusRequest r, CancellationToken ct = default)
    {
        var reference = (r.Reference ?? "").Trim().ToUpperInvariant();
        var index = protector.BlindIndex(r.Contact);
        if (reference.Length == 0 || index is null)
        {
            return NotFound();
        }

        var c = await db.Set<Case>().AsNoTracking().SingleOrDefaultAsync(x => x.Reference == reference, ct);
        if (c is null)
        {
            return NotFound();
        }

        var matches = c.ContactPhoneIndex == index || c.ContactEmailIndex == index;
        if (!matches && c.CustomerId is { } customerId)
        {
            matches = await db.Set<Customer>().AnyAsync(x => x.Id == customerId && (x.PhoneIndex == index || x.EmailIndex == index), ct);
        }

        if (!matches)
        {
            return NotFound();
        }

        var replies = await db.Set<CaseMessage>().AsNoTracking()
            .Where(m => m.CaseId == c.Id && m.Visibility == MessageVisibility.Public).OrderBy(m => m.Id)
            .Select(m => new PublicReply(m.CreatedAt, m.Body)).ToListAsync(ct);

        // Status changes only: the customer sees when their case moved, not who moved it or why (reasons may be internal).
        var steps = await db.Set<CaseEvent>().AsNoTracking()
            .Where(e => e.CaseId == c.Id && (e.Type == CaseEventType.Created || (e.Type == CaseEventType.Transitioned && e.FromStatus != e.ToStatus))).OrderBy(e => e.Id)
            .Select(e => new PublicStep(e.OccurredAt, e.Type, e.Type == CaseEventType.Created ? CaseStatus.Submitted : e.ToStatus)).ToListAsync(ct);
        var zone = await db.Set<Branch>().Where(b => b.Id == c.BranchId).Select(b => b.TimeZone).SingleAsync(ct);
        return new PublicCaseStatus(c.Reference, c.Kind, c.Status, c.Waiting == CaseWaiting.WaitingOnCustomer, c.CreatedAt, c.UpdatedAt, c.ResolvedAt, c.ClosedAt,
            replies, zone, steps);
    }

    private static NotFoundError NotFound() => new("case-not-found", "No case matches 未找到匹配的案件",
        "Check the reference and give the phone number or e-mail address you used. 请核对案件编号，并填写提交时使用的电话或邮箱。");
}
