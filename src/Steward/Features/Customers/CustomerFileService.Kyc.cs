using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Customers;

/// <summary>The KYC half of <see cref="CustomerFileService"/>: verifying and rejecting, each checked against the file as stored.</summary>
public sealed partial class CustomerFileService
{
    /// <summary>
    /// Records that the staff member checked the customer's identity (KycVerify): verified by them now, the next review due the
    /// verification day plus the cycle of the risk rating (<see cref="KycOptions"/>). Refused while the identity document has expired.
    /// </summary>
    public async Task<Outcome<CustomerDto>> VerifyKycAsync(long id, KycVerifyRequest r, CancellationToken ct = default)
    {
        var found = await ForKycAsync(id, r.Version, ct);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var (customer, today) = found.Value;
        if (customer.IdExpiresOn is { } expires && expires <= today)
        {
            return new CustomerInvalid(new Dictionary<string, string[]>
            {
                ["idExpiresOn"] = ["The identity document has expired: record the new document before verifying. 证件已过期，请先登记新证件再核实。"],
            });
        }

        if (customer.IdNumberCipher is null || customer.IdType is null)
        {
            return new CustomerInvalid(new Dictionary<string, string[]>
            {
                ["idNumber"] = ["Record the identity document before verifying. 请先登记证件再核实。"],
            });
        }

        customer.KycStatus = KycStatus.Verified;
        customer.KycVerifiedById = user.StaffId;
        customer.KycVerifiedAt = time.GetUtcNow();
        customer.KycReviewDueOn = today.AddYears(kyc.Value.ReviewYears(customer.KycRiskRating));
        customer.KycExpiredOn = null;
        customer.KycExpiryReason = null;
        customer.KycRejectionReason = null;
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>Records that the identity could not be verified (a reason is required); a later verification may still succeed.</summary>
    public async Task<Outcome<CustomerDto>> RejectKycAsync(long id, KycRejectRequest r, CancellationToken ct = default)
    {
        var reason = r.Reason?.Trim();
        var found = await ForKycAsync(id, r.Version, ct, () => string.IsNullOrEmpty(reason) || reason.Length > 400
            ? new CustomerInvalid(new Dictionary<string, string[]> { ["reason"] = ["Give the reason (up to 400 characters). 请填写原因（不超过 400 字）。"] })
            : null);
        if (!found.Succeeded)
        {
            return found.Error;
        }

        var (customer, _) = found.Value;
        customer.KycStatus = KycStatus.Rejected;
        customer.KycRejectionReason = reason;
        customer.KycVerifiedById = user.StaffId;
        customer.KycVerifiedAt = time.GetUtcNow();
        customer.KycReviewDueOn = null;
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    private async Task<Outcome<(Customer Customer, DateOnly Today)>> ForKycAsync(long id, int? version, CancellationToken ct, Func<Error?>? validate = null)
    {
        var customer = await Visible(tracked: true).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return new CustomerNotFound(id);
        }

        if (!user.Can(Permission.KycVerify))
        {
            return new CustomerActionForbidden();
        }

        if (validate?.Invoke() is { } invalid)
        {
            return invalid;
        }

        if (version != customer.Version)
        {
            return Problems.StaleVersion();
        }

        var zone = await db.Set<Branch>().Where(b => b.Id == customer.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct);
        return (customer, QualificationRegistry.LocalDate(time.GetUtcNow(), zone));
    }
}
