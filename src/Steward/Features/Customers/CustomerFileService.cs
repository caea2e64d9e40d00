using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Cases;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Customers;

/// <summary>
/// The customer file (001 §2.3 建档) for staff: list and search, read (personal data masked), create, update (optimistic
/// concurrency), KYC verification and rejection, and the recorded reveal of personal data. Every read and write is limited
/// to the caller's branches (<see cref="CustomerDirectory.Within"/>): a customer of another branch is not found.
/// </summary>
public sealed partial class CustomerFileService(StewardDbContext db, CurrentUser user, PersonalDataProtector protector, TimeProvider time, IOptions<KycOptions> kyc)
{
    public const int PageSize = 50;

    private static readonly JsonSerializerOptions OwnerJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Customers in scope, newest reference last; <c>q</c> finds by customer number (any case), part of the name, or exactly
    /// the phone or identity number through their blind indexes (the forms <see cref="CustomerDirectory.NumberForms"/> lists).
    /// </summary>
    public async Task<CustomerListPage> ListAsync(CustomerListQuery q, CancellationToken ct = default)
    {
        var query = Visible();
        var text = q.Q?.Trim();
        if (!string.IsNullOrEmpty(text))
        {
            if (text.Length > 100)
            {
                return new CustomerListPage([], 0);
            }

            var reference = text.ToUpperInvariant();
            var indexes = CustomerDirectory.NumberForms(text).Select(protector.BlindIndex).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            query = await CustomerDirectory.MatchingAsync(query, db.Set<Documents.CustomerIdentityDocument>().AsNoTracking(), text, reference, indexes, ct);
        }

        if (q.Kyc is { } status)
        {
            query = query.Where(c => c.KycStatus == status);
        }

        var total = await query.CountAsync(ct);
        var page = Math.Max(1, q.Page ?? 1);
        var reveals = user.Can(Permission.PersonalDataReveal);
        var rows = await query.OrderBy(c => c.Reference).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(c => new CustomerListItem(c.Id, c.Reference, c.Kind, c.Name, c.Tier, c.RiskTolerance, c.KycStatus, c.KycReviewDueOn, c.IsVulnerable, c.HomeBranchId))
            .ToListAsync(ct);
        // A company's name is not personal data: only people's names are masked.
        return new CustomerListPage([.. rows.Select(r => reveals || r.Kind == CustomerKind.Corporate ? r : r with { Name = Mask.Name(r.Name) })], total);
    }

    public async Task<Outcome<CustomerDto>> GetAsync(long id, CancellationToken ct = default)
    {
        var customer = await Visible().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return new CustomerNotFound(id);
        }

        var zone = await db.Set<Branch>().Where(b => b.Id == customer.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var names = await StaffNamesAsync([customer.RelationshipManagerId, customer.KycVerifiedById], ct);
        return ToDto(customer, QualificationRegistry.LocalDate(time.GetUtcNow(), zone), names);
    }

    public async Task<Outcome<CustomerDto>> CreateAsync(CustomerSaveRequest r, CancellationToken ct = default)
    {
        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var branchId = r.HomeBranchId ?? user.BranchIds.FirstOrDefault();
        var branch = await db.Set<Branch>().AsNoTracking().SingleOrDefaultAsync(b => b.Id == branchId && b.IsActive, ct);
        var today = QualificationRegistry.LocalDate(time.GetUtcNow(), branch?.TimeZone);
        var errors = CustomerFileValidation.Check(r, creating: true, today);
        if (branch is null || !user.CanSeeBranch(branch.Id))
        {
            errors.TryAdd("homeBranchId", ["Choose one of your active branches. 请选择您有权限的有效机构。"]);
        }

        await CheckAgainstStoredAsync(errors, r, branch?.Id, exceptId: null, ct);
        if (errors.Count > 0)
        {
            return new CustomerInvalid(errors);
        }

        var customer = new Customer { Reference = await NextReferenceAsync(ct), HomeBranchId = branch!.Id, KycStatus = KycStatus.Pending };
        Apply(customer, r, today);
        db.Add(customer);
        await db.SaveChangesAsync(ct);
        return await GetAsync(customer.Id, ct);
    }

    public async Task<Outcome<CustomerDto>> UpdateAsync(long id, CustomerSaveRequest r, CancellationToken ct = default)
    {
        var customer = await Visible(tracked: true).SingleOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return new CustomerNotFound(id);
        }

        if (!user.Can(Permission.CustomersManage))
        {
            return new CustomerActionForbidden();
        }

        var zone = await db.Set<Branch>().Where(b => b.Id == customer.HomeBranchId).Select(b => b.TimeZone).SingleAsync(ct);
        var today = QualificationRegistry.LocalDate(time.GetUtcNow(), zone);
        // The stored identity number stands in for one left empty, so that a changed birth date is still checked against it.
        var effective = r with { IdNumber = r.IdNumber ?? (r.IdType == customer.IdType ? protector.Decrypt(customer.IdNumberCipher) : null) };
        var errors = CustomerFileValidation.Check(effective, creating: false, today);
        if (r.IdType != customer.IdType && CustomerFileValidation.CompactNumber(r.IdNumber) is null)
        {
            errors.TryAdd("idNumber", ["A new kind of document needs its number. 更换证件类型时请填写证件号码。"]);
        }

        if (r.Kind != customer.Kind)
        {
            errors.TryAdd("kind", ["A customer stays individual or corporate; open a new file instead. 客户类别不可更改，请新建客户档案。"]);
        }

        if (r.HomeBranchId is { } moved && moved != customer.HomeBranchId)
        {
            errors.TryAdd("homeBranchId", ["The home branch is not changed here. 此处不能更改所属机构。"]);
        }

        await CheckAgainstStoredAsync(errors, r, customer.HomeBranchId, customer.Id, ct);
        if (errors.Count > 0)
        {
            return new CustomerInvalid(errors);
        }

        if (r.Version != customer.Version)
        {
            return Problems.StaleVersion();
        }

        Apply(customer, r, today);
        await db.SaveChangesAsync(ct);
        return await GetAsync(id, ct);
    }

    /// <summary>
    /// The customer's personal data in full (PersonalDataReveal; not found outside scope). The showing is recorded first, in
    /// its own audited row (<see cref="PersonalDataAccess"/>) with the purpose the reader stated; no record, no data.
    /// </summary>
    public async Task<Outcome<CustomerRevealed>> RevealAsync(long id, string? purpose, string where, CancellationToken ct = default)
    {
        var c = await Visible().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null)
        {
            return new CustomerNotFound(id);
        }

        if (!user.Can(Permission.PersonalDataReveal))
        {
            return new CustomerRevealForbidden();
        }

        var stated = purpose?.Trim();
        if (string.IsNullOrEmpty(stated) || stated.Length > 80)
        {
            return new CustomerInvalid(new Dictionary<string, string[]> { ["purpose"] = ["State why you need the full data (up to 80 characters). 请说明查看完整信息的用途（不超过 80 字）。"] });
        }

        var recorded = $"{stated} ({where})";
        db.Add(PersonalDataAccess.Of(time.GetUtcNow(), user.StaffId, user.DisplayName, nameof(Customer), c.Id, c.HomeBranchId, recorded));
        await db.SaveChangesAsync(ct);
        return new CustomerRevealed(c.Id, c.Reference, c.Name, protector.Decrypt(c.IdNumberCipher), protector.Decrypt(c.PhoneCipher), protector.Decrypt(c.EmailCipher),
            protector.Decrypt(c.AddressCipher), c.LegalRepresentativeName, protector.Decrypt(c.LegalRepresentativeIdCipher), Owners(c));
    }

    /// <summary>The customer's cases the caller may see (CasesWork, the case's branch in scope), newest first, at most 50.</summary>
    public async Task<IReadOnlyList<CustomerCaseRow>> CasesAsync(long id, CancellationToken ct = default)
    {
        if (!user.Can(Permission.CasesWork) || !await Visible().AnyAsync(c => c.Id == id, ct))
        {
            return [];
        }

        var cases = db.Set<Case>().AsNoTracking().Where(c => c.CustomerId == id);
        if (!user.HasInstitutionScope)
        {
            var branches = user.BranchIds.ToList();
            cases = cases.Where(c => branches.Contains(c.BranchId));
        }

        return await cases.OrderByDescending(c => c.Id).Take(50)
            .Select(c => new CustomerCaseRow(c.Id, c.Reference, c.Subject, c.Kind, c.Status, c.CreatedAt)).ToListAsync(ct);
    }

    /// <summary>Staff who may be a relationship manager in the caller's branches: active, with a branch of theirs in scope.</summary>
    public async Task<IReadOnlyList<(long Id, string Name, long BranchId)>> ManagerChoicesAsync(CancellationToken ct = default)
    {
        var staff = db.Set<Staff>().AsNoTracking().Where(s => s.IsActive && s.Roles.Any(r => r.Role != StaffRole.Administrator));
        if (!user.HasInstitutionScope)
        {
            var branches = user.BranchIds.ToList();
            staff = staff.Where(s => branches.Contains(s.HomeBranchId));
        }

        var rows = await staff.OrderBy(s => s.DisplayName).Select(s => new { s.Id, s.DisplayName, s.HomeBranchId }).Take(500).ToListAsync(ct);
        return [.. rows.Select(s => (s.Id, s.DisplayName, s.HomeBranchId))];
    }

    /// <summary>The caller's active branches, for the new-customer form.</summary>
    public async Task<IReadOnlyList<Branch>> BranchChoicesAsync(CancellationToken ct = default)
    {
        var branches = db.Set<Branch>().AsNoTracking().Where(b => b.IsActive);
        if (!user.HasInstitutionScope)
        {
            var mine = user.BranchIds.ToList();
            branches = branches.Where(b => mine.Contains(b.Id));
        }

        return await branches.OrderBy(b => b.Code).ToListAsync(ct);
    }

    internal CustomerDto ToDto(Customer c, DateOnly today, IReadOnlyDictionary<long, string> staffNames)
    {
        var reveals = user.Can(Permission.PersonalDataReveal);
        string? Named(long? staffId) => staffId is { } s ? staffNames.GetValueOrDefault(s) : null;
        var age = c.BirthDate is { } birth ? CustomerFileValidation.Age(birth, today) : (int?)null;
        return new CustomerDto(
            c.Id, c.Reference, c.Kind, reveals || c.Kind == CustomerKind.Corporate ? c.Name : Mask.Name(c.Name), c.BirthDate, age, c.IdType, Masked(Mask.IdNumber, c.IdNumberCipher), c.IdIssuingCountry, c.IdExpiresOn,
            Masked(Mask.Phone, c.PhoneCipher), Masked(Mask.Email, c.EmailCipher), Masked(MaskAddress, c.AddressCipher), c.PreferredLanguage, c.Occupation, c.IncomeBand, c.DeclaredAssets, c.SourceOfFunds,
            c.RelationshipManagerId, Named(c.RelationshipManagerId),
            new VulnerabilityView(age >= 65, c.HasDisability, c.HasLimitedCapacity, c.HasOtherVulnerability, c.VulnerabilityNote),
            c.LegalRepresentativeName is { } rep ? (reveals ? rep : Mask.Name(rep)) : null, Masked(Mask.IdNumber, c.LegalRepresentativeIdCipher),
            [.. Owners(c).Select(o => new BeneficialOwnerView(Mask.Name(o.Name), Mask.IdNumber(o.IdNumber), o.SharePercent))],
            new KycView(c.KycStatus, c.KycRiskRating, c.KycVerifiedById, Named(c.KycVerifiedById), c.KycVerifiedAt, c.KycReviewDueOn, c.KycExpiredOn, c.KycExpiryReason,
                c.KycRejectionReason, c.KycReviewCaseId),
            c.Tier, c.RiskTolerance, c.HomeBranchId, c.Version, c.UpdatedAt);
    }

    /// <summary>上海市浦东新区陆家嘴环路 1000 号 → 上海市浦东******: the first 6 characters, the rest hidden.</summary>
    public static string MaskAddress(string? address) =>
        string.IsNullOrEmpty(address) ? "" : address.Length <= 6 ? new string('*', address.Length) : address[..6] + new string('*', Math.Min(address.Length - 6, 12));

    private string? Masked(Func<string?, string> mask, string? cipher) => cipher is null ? null : mask(protector.Decrypt(cipher));

    private IReadOnlyList<BeneficialOwner> Owners(Customer c) =>
        protector.Decrypt(c.BeneficialOwnersCipher) is { } json ? JsonSerializer.Deserialize<List<BeneficialOwner>>(json, OwnerJson) ?? [] : [];

    /// <summary>The checks that need the database: the relationship manager, and an identity number another file already has (by its blind index).</summary>
    private async Task CheckAgainstStoredAsync(Dictionary<string, string[]> errors, CustomerSaveRequest r, long? branchId, long? exceptId, CancellationToken ct)
    {
        if (r.RelationshipManagerId is { } managerId && branchId is { } bid
            && !await db.Set<Staff>().AnyAsync(s => s.Id == managerId && s.IsActive && (s.HomeBranchId == bid || s.ExtraBranches.Any(b => b.BranchId == bid)), ct))
        {
            errors.TryAdd("relationshipManagerId", ["The relationship manager must be active staff of the customer's branch. 客户经理须为客户所属机构的在职员工。"]);
        }

        if (!errors.ContainsKey("idNumber") && protector.BlindIndex(CustomerFileValidation.CompactNumber(r.IdNumber)) is { } index
            && await db.Set<Customer>().AnyAsync(c => c.IdNumberIndex == index && c.Id != exceptId, ct))
        {
            // Any branch: one person has one file. Which file is not said (it may be outside the caller's scope).
            errors["idNumber"] = ["Another customer file already has this identity number. 已有其他客户档案使用此证件号码。"];
        }
    }

    private void Apply(Customer c, CustomerSaveRequest r, DateOnly today)
    {
        c.Kind = r.Kind!.Value;
        if (r.Name?.Trim() is { Length: > 0 } name)
        {
            c.Name = name;
        }

        c.BirthDate = r.BirthDate;
        c.IdType = r.IdType;
        c.IdIssuingCountry = r.IdIssuingCountry?.Trim().ToUpperInvariant();
        c.IdExpiresOn = r.IdExpiresOn;
        if (CustomerFileValidation.CompactNumber(r.IdNumber) is { } number)
        {
            c.IdNumberCipher = protector.Encrypt(number);
            c.IdNumberIndex = protector.BlindIndex(number);
        }

        if (CustomerFileValidation.CompactPhone(r.Phone) is { } phone)
        {
            c.PhoneCipher = protector.Encrypt(phone);
            c.PhoneIndex = protector.BlindIndex(phone);
        }

        if (r.Email?.Trim() is { Length: > 0 } email)
        {
            c.EmailCipher = protector.Encrypt(email);
            c.EmailIndex = protector.BlindIndex(email);
        }

        if (r.Address?.Trim() is { Length: > 0 } address)
        {
            c.AddressCipher = protector.Encrypt(address);
        }

        c.Occupation = Trimmed(r.Occupation);
        c.PreferredLanguage = Cultures.Of(r.PreferredLanguage);
        c.IncomeBand = r.IncomeBand;
        c.DeclaredAssets = r.DeclaredAssets;
        c.SourceOfFunds = Trimmed(r.SourceOfFunds);
        c.RelationshipManagerId = r.RelationshipManagerId;
        c.HasDisability = r.Disability;
        c.HasLimitedCapacity = r.LimitedCapacity;
        c.HasOtherVulnerability = r.OtherVulnerability;
        c.VulnerabilityNote = r.OtherVulnerability ? Trimmed(r.VulnerabilityNote) : null;
        c.IsVulnerable = r.Disability || r.LimitedCapacity || r.OtherVulnerability || (r.BirthDate is { } birth && CustomerFileValidation.Age(birth, today) >= 65);
        c.KycRiskRating = r.KycRiskRating!.Value;
        if (c.Kind == CustomerKind.Corporate)
        {
            if (Trimmed(r.LegalRepresentativeName) is { } representative)
            {
                c.LegalRepresentativeName = representative;
            }

            if (CustomerFileValidation.CompactNumber(r.LegalRepresentativeIdNumber) is { } representativeId)
            {
                c.LegalRepresentativeIdCipher = protector.Encrypt(representativeId);
            }

            if (r.BeneficialOwners is { } owners)
            {
                var stored = owners.Select(o => new BeneficialOwner(o.Name.Trim(), CustomerFileValidation.CompactNumber(o.IdNumber)!, o.SharePercent)).ToList();
                c.BeneficialOwnersCipher = protector.Encrypt(JsonSerializer.Serialize(stored, OwnerJson));
            }
        }
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The next <c>C-nnnnnn</c> after the highest id (demo and imported files keep theirs; a taken one is skipped).</summary>
    private async Task<string> NextReferenceAsync(CancellationToken ct)
    {
        var next = (await db.Set<Customer>().MaxAsync(c => (long?)c.Id, ct) ?? 0) + 1;
        while (true)
        {
            var reference = "C-" + next.ToString("000000", CultureInfo.InvariantCulture);
            if (!await db.Set<Customer>().AnyAsync(c => c.Reference == reference, ct))
            {
                return reference;
            }

            next++;
        }
    }

    private async Task<Dictionary<long, string>> StaffNamesAsync(IEnumerable<long?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<long>().Distinct().ToList();
        return wanted.Count == 0 ? [] : await db.Set<Staff>().AsNoTracking().Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
    }

    private IQueryable<Customer> Visible(bool tracked = false) =>
        CustomerDirectory.Within(tracked ? db.Set<Customer>() : db.Set<Customer>().AsNoTracking(), user.HasInstitutionScope, user.BranchIds);
}
