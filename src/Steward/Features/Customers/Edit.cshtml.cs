using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Features.Organisation;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Customers;

/// <summary>
/// Open (no id) or change a customer file. Personal data is never sent back to the form: on a change its fields start empty and
/// an empty one keeps what is stored. A refused save keeps what was typed and shows each message at its field; nothing is written.
/// </summary>
[RequirePermission(Permission.CustomersManage)]
public sealed class CustomerEditModel(CustomerFileService customers, FormIdempotency idempotency, CurrentUser user, TimeProvider time) : PageModel
{
    public const int OwnerRows = 3;

    public sealed class OwnerForm
    {
        public string? Name { get; set; }
        public string? IdNumber { get; set; }
        public string? SharePercent { get; set; }
    }

    public sealed class CustomerForm
    {
        public CustomerKind? Kind { get; set; } = CustomerKind.Individual;
        public string? Name { get; set; }
        // Dates and amounts are taken as typed and read here, so that "abc" gets a message at its field (not the error page).
        public string? BirthDate { get; set; }
        public IdentityDocumentType? IdType { get; set; } = IdentityDocumentType.PrcResidentId;
        public string? IdNumber { get; set; }
        public string? IdIssuingCountry { get; set; } = "CN";
        public string? IdExpiresOn { get; set; }
        public string? Phone { get; set; }
        public string? Email { get; set; }
        public string? Address { get; set; }
        public string? PreferredLanguage { get; set; }
        public string? Occupation { get; set; }
        public IncomeBand? IncomeBand { get; set; }
        public string? DeclaredAssets { get; set; }
        public string? SourceOfFunds { get; set; }
        public long? RelationshipManagerId { get; set; }
        public bool Disability { get; set; }
        public bool LimitedCapacity { get; set; }
        public bool OtherVulnerability { get; set; }
        public string? VulnerabilityNote { get; set; }
        public string? LegalRepresentativeName { get; set; }
        public string? LegalRepresentativeIdNumber { get; set; }
        public List<OwnerForm> Owners { get; set; } = [];
        public KycRiskRating? KycRiskRating { get; set; } = Customers.KycRiskRating.Medium;
        public long? HomeBranchId { get; set; }
        public int? Version { get; set; }
        public string? IdempotencyKey { get; set; }

        /// <summary>The request, and the fields whose text is not a date or a number (message at the field).</summary>
        public (CustomerSaveRequest Request, Dictionary<string, string[]> Unreadable) ToRequest(bool creating)
        {
            var unreadable = new Dictionary<string, string[]>();
            DateOnly? Date(string field, string? text)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return d;
                }

                unreadable[field] = ["Write a date as yyyy-mm-dd, e.g. 1985-07-15. 请按 年-月-日 填写日期，例如 1985-07-15。"];
                return null;
            }

            decimal? Number(string field, string? text)
            {
                if (string.IsNullOrWhiteSpace(text))
                {
                    return null;
                }

                if (decimal.TryParse(text.Replace(",", "", StringComparison.Ordinal).Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var v))
                {
                    return v;
                }

                unreadable[field] = ["Write a number, e.g. 250000. 请填写数字，例如 250000。"];
                return null;
            }

            List<BeneficialOwner>? owners = null;
            if (Kind == CustomerKind.Corporate)
            {
                var typed = Owners.Select((o, i) => (o, i)).Where(x => !string.IsNullOrWhiteSpace(x.o.Name) || !string.IsNullOrWhiteSpace(x.o.IdNumber) || !string.IsNullOrWhiteSpace(x.o.SharePercent)).ToList();
                if (typed.Count > 0 || creating)
                {
                    owners = [.. typed.Select(x => new BeneficialOwner(x.o.Name ?? "", x.o.IdNumber ?? "",
                        Number(string.Create(CultureInfo.InvariantCulture, $"beneficialOwners[{x.i}].sharePercent"), x.o.SharePercent) ?? 0m))];
                }
            }

            string? Typed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
            var request = new CustomerSaveRequest(Kind, Typed(Name), Date("birthDate", BirthDate), IdType, Typed(IdNumber), IdIssuingCountry, Date("idExpiresOn", IdExpiresOn),
                Typed(Phone), Typed(Email), Typed(Address), Occupation, IncomeBand, Number("declaredAssets", DeclaredAssets), SourceOfFunds, RelationshipManagerId,
                Disability, LimitedCapacity, OtherVulnerability, VulnerabilityNote, Typed(LegalRepresentativeName), Typed(LegalRepresentativeIdNumber), owners, KycRiskRating,
                HomeBranchId, Version, Typed(PreferredLanguage));
            return (request, unreadable);
        }
    }

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    [BindProperty]
    public CustomerForm Input { get; set; } = new();

    /// <summary>The stored file when changing one (its personal data masked, for the hints beside the empty fields).</summary>
    public CustomerDto? Current { get; private set; }

    public IReadOnlyList<Branch> Branches { get; private set; } = [];

    public IReadOnlyList<(long Id, string Name, long BranchId)> Managers { get; private set; } = [];

    public Error? Error { get; private set; }

    public IReadOnlyList<string> FieldErrors(params string[] keys) => Shared.FieldErrors.For(Error, keys);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (Id is not { } id)
        {
            Input.IdempotencyKey = Guid.NewGuid().ToString("N");
            await LoadChoicesAsync(ct);
            return Page();
        }

        var found = await customers.GetAsync(id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        var c = Current = found.Value;
        Input = new CustomerForm
        {
            Kind = c.Kind, BirthDate = c.BirthDate is { } b ? CustomerDisplay.Date(b) : null, IdType = c.IdType, IdIssuingCountry = c.IdIssuingCountry,
            IdExpiresOn = c.IdExpiresOn is { } e ? CustomerDisplay.Date(e) : null, Occupation = c.Occupation, PreferredLanguage = c.PreferredLanguage, IncomeBand = c.IncomeBand,
            DeclaredAssets = c.DeclaredAssets?.ToString(CultureInfo.InvariantCulture), SourceOfFunds = c.SourceOfFunds, RelationshipManagerId = c.RelationshipManagerId,
            Disability = c.Vulnerability.Disability, LimitedCapacity = c.Vulnerability.LimitedCapacity, OtherVulnerability = c.Vulnerability.Other,
            VulnerabilityNote = c.Vulnerability.Note, LegalRepresentativeName = c.LegalRepresentativeName is null || !user.Can(Permission.PersonalDataReveal) ? null : c.LegalRepresentativeName,
            KycRiskRating = c.Kyc.RiskRating, Version = c.Version,
        };
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (Id is { } existing)
        {
            var found = await customers.GetAsync(existing, ct);
            if (!found.Succeeded)
            {
                return NotFound();
            }

            Current = found.Value;
        }

        var (request, unreadable) = Input.ToRequest(creating: Id is null);

        if (unreadable.Count > 0)
        {
            // Report the unreadable values together with the other fields' messages, and save nothing.
            var errors = CustomerFileValidation.Check(request, creating: Id is null, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            foreach (var (field, messages) in unreadable)
            {
                errors[field] = messages;
            }

            return await RefusedAsync(new CustomerInvalid(errors), ct);
        }

        var saved = Id is { } id
            ? await customers.UpdateAsync(id, request, ct)
            : await idempotency.RunAsync(Idempotency.CallerOf(user), "POST /Customers/Edit", Input.IdempotencyKey, request, c => customers.CreateAsync(request, c), ct);
        if (saved.Succeeded)
        {
            return Redirect("/Customers/Details?id=" + saved.Value.Id.ToString(CultureInfo.InvariantCulture));
        }

        return saved.Error is NotFoundError ? NotFound() : await RefusedAsync(saved.Error, ct);
    }

    private async Task<IActionResult> RefusedAsync(Error error, CancellationToken ct)
    {
        Error = error;
        Response.StatusCode = error.Status;
        await LoadChoicesAsync(ct);
        return Page();
    }

    private async Task LoadChoicesAsync(CancellationToken ct)
    {
        while (Input.Owners.Count < OwnerRows)
        {
            Input.Owners.Add(new OwnerForm());
        }

        Branches = await customers.BranchChoicesAsync(ct);
        Managers = await customers.ManagerChoicesAsync(ct);
    }
}
