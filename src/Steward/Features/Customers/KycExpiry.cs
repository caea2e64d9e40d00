using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

/// <summary>
/// Makes a verified KYC expired on the day its identity document expires (the document's last valid day, <see
/// cref="Customer.IdExpiresOn"/>, is the day KYC stops holding: the customer is asked before the document lapses) or its
/// review falls due (<see cref="Customer.KycReviewDueOn"/>), in the home branch's local dates; the expiry day recorded is that
/// day even when the pass runs later. Each expiry opens one re-verification case (kind business handling) for the customer,
/// assigned to the relationship manager when they may work cases in the branch (else routed like any new case). Once across
/// nodes: the status change and the case are one transaction, and the change is refused as stale on a second node
/// (the customer's version), which then rolls back its case.
/// </summary>
public sealed class KycExpiry(StewardDbContext db, CaseService cases, TimeProvider time, ILogger<KycExpiry> logger)
{
    /// <summary>The periodic job's name (every <see cref="KycOptions.IntervalMinutes"/> on every node).</summary>
    public const string JobName = "kyc-expiry";

    public const string ActorName = "System (KYC review) 系统（KYC 复核）"; // English first: OneLanguage.Pick shows one half

    /// <summary>One pass; returns the number of customers whose KYC this node expired.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:kyc-expiry"));
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var branch in await db.Set<Branch>().AsNoTracking().Select(b => new { b.Id, b.TimeZone }).ToListAsync(ct))
        {
            var today = QualificationRegistry.LocalDate(now, branch.TimeZone);
            var due = await db.Set<Customer>().AsNoTracking()
                .Where(c => c.HomeBranchId == branch.Id && c.KycStatus == KycStatus.Verified
                    && ((c.IdExpiresOn != null && c.IdExpiresOn <= today) || (c.KycReviewDueOn != null && c.KycReviewDueOn <= today)))
                .OrderBy(c => c.Id).Select(c => c.Id).Take(500).ToListAsync(ct);
            foreach (var id in due)
            {
                if (await ExpireAsync(id, today, ct))
                {
                    expired++;
                }
            }
        }

        return expired;
    }

    /// <summary>The day KYC expired: the earlier of the document's expiry day and the review's due day that has come.</summary>
    public static (DateOnly Day, KycExpiryReason Reason) ExpiryOf(DateOnly? documentExpires, DateOnly? reviewDue, DateOnly today)
    {
        var document = documentExpires is { } d && d <= today ? d : (DateOnly?)null;
        var review = reviewDue is { } r && r <= today ? r : (DateOnly?)null;
        return document is { } doc && (review is null || doc <= review) ? (doc, KycExpiryReason.DocumentExpired) : (review!.Value, KycExpiryReason.ReviewDue);
    }

    private async Task<bool> ExpireAsync(long id, DateOnly today, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var customer = await db.Set<Customer>().SingleAsync(c => c.Id == id, ct);
            if (customer.KycStatus != KycStatus.Verified)
            {
                return false;
            }

            var (day, reason) = ExpiryOf(customer.IdExpiresOn, customer.KycReviewDueOn, today);
            customer.KycStatus = KycStatus.Expired;
            customer.KycExpiredOn = day;
            customer.KycExpiryReason = reason;
            await db.SaveChangesAsync(ct);

            var request = new CaseCreateRequest(
                CaseKind.BusinessHandling, CaseChannel.Counter, Subject(customer.Reference, reason), Description(customer.Reference, reason, day),
                BranchId: customer.HomeBranchId, CustomerId: customer.Id, AssigneeId: customer.RelationshipManagerId);
            var scope = new CaseViewer(null, ActorName, AllBranches: true, [], null, CanWork: true, CanAssign: true);
            var created = await cases.CreateCoreAsync(request, new CaseActor(null, ActorName), scope, ct);
            if (!created.Succeeded && created.Error is InvalidError { Fields: { } fields } && fields.ContainsKey("assigneeId"))
            {
                // The relationship manager cannot be handed cases in the branch (another role, or left): route it like any new case.
                created = await cases.CreateCoreAsync(request with { AssigneeId = null }, new CaseActor(null, ActorName), scope, ct);
            }

            if (!created.Succeeded)
            {
                logger.LogWarning("KYC of customer {Customer} expired but no re-verification case could be opened: {Error}", customer.Reference, created.Error.Detail);
                await transaction.RollbackAsync(ct);
                return false;
            }

            customer.KycReviewCaseId = created.Value.Id;
            db.KeepVersion(customer);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another node expired it first; its case stands, ours is rolled back with the transaction.
            await transaction.RollbackAsync(ct);
            return false;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    // The case text is the institution's working language (Chinese); the reference and dates read the same in both.
    private static string Subject(string reference, KycExpiryReason reason) => reason switch
    {
        KycExpiryReason.DocumentExpired => $"客户身份重新核实（证件到期）{reference}",
        KycExpiryReason.ReviewDue => $"客户身份重新核实（定期复核到期）{reference}",
    };

    private static string Description(string reference, KycExpiryReason reason, DateOnly day)
    {
        var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return reason switch
        {
            KycExpiryReason.DocumentExpired => $"客户 {reference} 的身份证件于 {date} 到期，尽职调查（KYC）状态已转为过期。请联系客户提供有效证件并重新核实身份。",
            KycExpiryReason.ReviewDue => $"客户 {reference} 的定期复核于 {date} 到期，尽职调查（KYC）状态已转为过期。请联系客户更新资料并重新核实身份。",
        };
    }
}
