using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Cases;

/// <summary>The records a case is answered with (detail, list row, attachment), as one viewer sees them: personal data masked unless they may reveal it.</summary>
public sealed class CaseDetails(StewardDbContext db, CurrentUser user, TimeProvider time, PersonalDataProtector protector, CaseAccess access)
{
    /// <summary>The detail record for <paramref name="c"/> as <paramref name="v"/> sees it.</summary>
    public async Task<CaseDetail> DetailAsync(Case c, CaseViewer v, CancellationToken ct)
    {
        var id = c.Id;
        var teamName = c.TeamId is { } teamId ? await db.Set<Team>().Where(t => t.Id == teamId).Select(t => t.Name).SingleOrDefaultAsync(ct) : null;
        var assigneeName = c.AssigneeId is { } assignee ? await access.StaffNameAsync(assignee, ct) : null;
        var customerName = c.CustomerId is { } customerId ? await db.Set<Customer>().Where(x => x.Id == customerId).Select(x => x.Name).SingleOrDefaultAsync(ct) : null;
        var mergedInto = c.MergedIntoId is { } target ? await db.Set<Case>().Where(x => x.Id == target).Select(x => x.Reference).SingleOrDefaultAsync(ct) : null;
        var events = (await db.Set<CaseEvent>().AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync(ct))
            .Select(e => new CaseEventDto(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Type, e.Action, e.FromStatus, e.ToStatus, e.Reason, e.Detail,
                e.DetailCode, e.DetailCode is null ? null : CaseEventText.Deserialize(e.DetailParameters), e.MessageId))
            .ToList();
        var messages = await db.Set<CaseMessage>().AsNoTracking().Where(m => m.CaseId == id).OrderBy(m => m.Id)
            .Select(m => new CaseMessageDto(m.Id, m.Visibility, m.Body, m.AuthorId, m.AuthorName, m.CreatedAt)).ToListAsync(ct);
        var attachments = (await db.Set<CaseAttachment>().AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Id).ToListAsync(ct)).Select(ToDto).ToList();
        var linkedIds = await db.Set<CaseLink>().Where(l => l.CaseId == id).Select(l => l.RelatedCaseId)
            .Concat(db.Set<CaseLink>().Where(l => l.RelatedCaseId == id).Select(l => l.CaseId)).ToListAsync(ct);
        var links = await access.Visible(v).AsNoTracking().Where(x => linkedIds.Contains(x.Id)).OrderBy(x => x.Id)
            .Select(x => new CaseLinkDto(x.Id, x.Reference, x.Subject, x.Status)).ToListAsync(ct);
        return Detail(c, v, teamName, assigneeName, customerName, mergedInto, events, messages, attachments, links);
    }

    /// <summary>
    /// The detail of a case this service has just created, from the objects in memory (no queries): its events
    /// are the tracked ones, it has no messages, attachments or links yet.
    /// </summary>
    public CaseDetail CreatedDetail(Case c, CaseViewer v, (string? Team, string? Assignee, string? Customer) names)
    {
        var events = db.ChangeTracker.Entries<CaseEvent>().Select(e => e.Entity).Where(e => e.CaseId == c.Id).OrderBy(e => e.Id)
            .Select(e => new CaseEventDto(e.Id, e.OccurredAt, e.ActorId, e.ActorName, e.Type, e.Action, e.FromStatus, e.ToStatus, e.Reason, e.Detail,
                e.DetailCode, e.DetailCode is null ? null : CaseEventText.Deserialize(e.DetailParameters), e.MessageId))
            .ToList();
        return Detail(c, v, names.Team, names.Assignee, names.Customer, null, events, [], [], []);
    }

    private CaseDetail Detail(Case c, CaseViewer v, string? teamName, string? assigneeName, string? customerName, string? mergedInto,
        List<CaseEventDto> events, List<CaseMessageDto> messages, List<CaseAttachmentDto> attachments, List<CaseLinkDto> links)
    {
        var reveal = user.Can(Permission.PersonalDataReveal);
        CaseContactView? contact = c.ContactName is null ? null : new CaseContactView(
            CaseDisplay.Name(c.ContactName, reveal),
            c.ContactPhoneCipher is null ? null : Mask.Phone(protector.Decrypt(c.ContactPhoneCipher)),
            c.ContactEmailCipher is null ? null : Mask.Email(protector.Decrypt(c.ContactEmailCipher)));
        return new CaseDetail(
            c.Id, c.Reference, c.Kind, c.Channel, c.Status, c.Waiting, c.Subject, c.Description, c.Priority, c.PriorityOverridden,
            c.BranchId, c.TeamId, teamName, c.AssigneeId, assigneeName, c.CustomerId, customerName is null ? null : CaseDisplay.Name(customerName, reveal), contact, c.ProductId, c.TagList,
            c.DueAt, c.CreatedAt, c.UpdatedAt, c.ResolvedAt, c.ClosedAt, c.CancelReason, c.MergedIntoId, mergedInto, c.Version,
            access.AllowedActions(c, v, time.GetUtcNow()), events, messages, attachments, links);
    }

    public static CaseSummary ToSummary(Case c) => new(
        c.Id, c.Reference, c.Kind, c.Channel, c.Status, c.Waiting, c.Subject, c.Priority, c.BranchId, c.TeamId, c.AssigneeId, c.TagList,
        c.DueAt, c.CreatedAt, c.UpdatedAt, c.Version);

    public static CaseAttachmentDto ToDto(CaseAttachment a)
    {
        var (caseId, id) = (a.CaseId.ToString(CultureInfo.InvariantCulture), a.Id.ToString(CultureInfo.InvariantCulture));
        return new(a.Id, a.FileName, a.ContentType, a.Size, a.Sha256, a.UploadedByName, a.CreatedAt,
            $"/api/v1/cases/{caseId}/attachments/{id}", $"/Cases/{caseId}?handler=File&file={id}");
    }
}
