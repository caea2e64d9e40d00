using System.Globalization;
using System.Text.Json;
using Bogus;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Customers.Identity;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Customers;

/// <summary>
/// The demo's customer files, relative to the demo's today: identity documents, addresses, profiles, relationship managers
/// (the branch's agents and team lead), vulnerability flags, and KYC in every status — most verified, some pending, some
/// expired or rejected, and some verified with a document that expires within 30 days (the expiry job will turn them on
/// that day). Filled in as the seeder writes each customer, so no extra pass over the table; three corporate customers are added.
/// </summary>
public sealed class CustomerDemoData
{
    private static readonly string[] Streets = ["世纪大道", "南京西路", "长安街", "深南大道", "延安路", "淮海中路", "中山北路", "人民路"];
    private static readonly string[] Occupations = ["教师", "工程师", "医生", "个体经营者", "公务员", "退休", "企业管理人员", "自由职业"];
    private static readonly string[] Funds = ["工资收入", "经营所得", "投资收益", "退休金", "继承"];
    private static readonly JsonSerializerOptions OwnerJson = new(JsonSerializerDefaults.Web);

    // Its own random numbers: the seeder's names and numbers stay what they were before the file had these fields.
    private readonly Faker chinese = new("zh_CN") { Random = new Randomizer(2027) };
    private readonly Faker english = new("en_GB") { Random = new Randomizer(2028) };
    private readonly PersonalDataProtector protector;
    private readonly DateOnly today;
    private readonly DateTimeOffset now;
    private readonly Dictionary<long, long[]> managers;
    private readonly Dictionary<long, long> verifiers;

    private CustomerDemoData(PersonalDataProtector protector, DateTimeOffset now, DateOnly today, Dictionary<long, long[]> managers, Dictionary<long, long> verifiers)
    {
        this.protector = protector;
        this.now = now;
        this.today = today;
        this.managers = managers;
        this.verifiers = verifiers;
    }

    /// <summary>Reads the demo staff: per branch, who manages relationships (agents, team lead) and who verifies (back office).</summary>
    public static async Task<CustomerDemoData> ForAsync(StewardDbContext db, PersonalDataProtector protector, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var staff = await db.Set<Staff>().AsNoTracking().Select(s => new { s.Id, s.HomeBranchId, Roles = s.Roles.Select(r => r.Role).ToList() }).ToListAsync(ct);
        var managers = staff.Where(s => s.Roles.Any(r => r is StaffRole.Agent or StaffRole.TeamLead)).GroupBy(s => s.HomeBranchId)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Id).Select(s => s.Id).ToArray());
        var verifiers = staff.Where(s => s.Roles.Contains(StaffRole.BackOffice)).GroupBy(s => s.HomeBranchId).ToDictionary(g => g.Key, g => g.Min(s => s.Id));
        return new CustomerDemoData(protector, now, today, managers, verifiers);
    }

    /// <summary>
    /// Completes the <paramref name="i"/>th demo customer (its name, phone, identity number and the seeder's vulnerable flag already
    /// set; a customer flagged vulnerable without another reason gets the "other" flag with a note).
    /// </summary>
    public void Fill(Customer c, int i, string idNumber, bool london)
    {
        var faker = london ? english : chinese;
        c.Kind = CustomerKind.Individual;
        c.IdType = london ? IdentityDocumentType.Passport : IdentityDocumentType.PrcResidentId;
        c.IdIssuingCountry = london ? "GB" : "CN";
        c.BirthDate = !london && PrcResidentIdentityNumber.Check(idNumber, out var birth) == PrcIdentityNumberProblem.None
            ? birth
            : new DateOnly(1950, 1, 1).AddDays(faker.Random.Int(0, 365 * 55));
        c.AddressCipher = protector.Encrypt(london
            ? faker.Address.BuildingNumber() + " " + faker.Address.StreetName() + ", London"
            : faker.PickRandom(Streets) + " " + faker.Random.Int(1, 999).ToString(CultureInfo.InvariantCulture) + " 号 " + faker.Random.Int(101, 2999).ToString(CultureInfo.InvariantCulture) + " 室");
        c.Occupation = london ? null : faker.PickRandom(Occupations);
        // London customers read English; in China most have not said (the regime's Chinese applies), some chose Chinese, and
        // one in 23 reads English although served under PRC rules.
        c.PreferredLanguage = london || i % 23 == 0 ? Cultures.English : i % 4 == 0 ? Cultures.Chinese : null;
        c.IncomeBand = faker.PickRandom<IncomeBand>();
        c.DeclaredAssets = Math.Round(faker.Random.Decimal(10_000m, 5_000_000m), 0);
        c.SourceOfFunds = london ? null : faker.PickRandom(Funds);
        c.KycRiskRating = (i % 10) switch { 0 => KycRiskRating.High, 1 or 2 or 3 => KycRiskRating.Low, _ => KycRiskRating.Medium };
        c.RelationshipManagerId = managers.TryGetValue(c.HomeBranchId, out var m) && i % 3 != 0 ? m[i % m.Length] : null;
        c.HasLimitedCapacity = i % 97 == 0;
        c.HasDisability = i % 89 == 0;
        var aged = CustomerFileValidation.Age(c.BirthDate.Value, today) >= 65;
        c.HasOtherVulnerability = i % 151 == 0 || (c.IsVulnerable && !aged && !c.HasLimitedCapacity && !c.HasDisability);
        c.VulnerabilityNote = c.HasOtherVulnerability ? (london ? "Hard of hearing: speak slowly" : "听力较弱，请放慢语速") : null;
        c.IsVulnerable = c.HasLimitedCapacity || c.HasDisability || c.HasOtherVulnerability || aged;
        c.IdExpiresOn = today.AddDays(200 + (i * 37 % 3000));
        Kyc(c, i);
    }

    public const int CorporateCount = 3;

    /// <summary>Three corporate customers of the first branches, with legal representative and beneficial owners.</summary>
    public IEnumerable<Customer> Corporates(IReadOnlyList<long> branchIds, int firstNumber)
    {
        (string Name, string Code, string Rep, string RepId, BeneficialOwner[] Owners)[] rows =
        [
            ("上海浦江精密机械有限公司", "91310115MA1K3B2X1P", "沈国华", "310115197203150039", [new("沈国华", "310115197203150039", 60m), new("陆敏", "310104197811020028", 40m)]),
            ("北京京华文化传媒有限公司", "91110105MA01C4D57Q", "许文博", "110105198001010016", [new("许文博", "110105198001010016", 100m)]),
            ("深圳鹏城贸易有限公司", "91440300MA5F8E9T2K", "蔡志强", "440304197506060015", [new("蔡志强", "440304197506060015", 51m), new("蔡晓燕", "440304198209090028", 25m)]),
        ];
        for (var n = 0; n < rows.Length; n++)
        {
            var r = rows[n];
            var branch = branchIds[n % branchIds.Count];
            var phone = "0" + (21 + n).ToString(CultureInfo.InvariantCulture) + "6888" + (1000 + n).ToString(CultureInfo.InvariantCulture);
            var c = new Customer
            {
                Reference = "C-" + (firstNumber + n).ToString("000000", CultureInfo.InvariantCulture), Name = r.Name, Kind = CustomerKind.Corporate, HomeBranchId = branch,
                IdType = IdentityDocumentType.BusinessLicence, IdIssuingCountry = "CN", IdNumberCipher = protector.Encrypt(r.Code), IdNumberIndex = protector.BlindIndex(r.Code),
                IdExpiresOn = n == 1 ? today.AddDays(12) : null, PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone),
                AddressCipher = protector.Encrypt(Streets[n] + " " + (100 + n).ToString(CultureInfo.InvariantCulture) + " 号"), IncomeBand = IncomeBand.Over5M,
                DeclaredAssets = 20_000_000m * (n + 1), SourceOfFunds = "经营所得", Tier = CustomerTier.Gold, LegalRepresentativeName = r.Rep,
                LegalRepresentativeIdCipher = protector.Encrypt(r.RepId), BeneficialOwnersCipher = protector.Encrypt(JsonSerializer.Serialize(r.Owners, OwnerJson)),
                KycRiskRating = n == 2 ? KycRiskRating.High : KycRiskRating.Medium,
                RelationshipManagerId = managers.TryGetValue(branch, out var m) ? m[0] : null,
            };
            Kyc(c, n == 0 ? 4 : n == 1 ? 8 : 6);
            yield return c;
        }
    }

    // By i % 10: 0–5 and 8 verified (8: its document expires within 30 days), 6 pending, 7 expired, 9 rejected or pending.
    private void Kyc(Customer c, int i)
    {
        var slot = i % 10;
        if (slot is 6 || (slot is 9 && i % 20 != 9))
        {
            c.KycStatus = KycStatus.Pending;
            return;
        }

        var verifiedDaysAgo = 10 + (i * 13 % 300);
        c.KycVerifiedById = verifiers.TryGetValue(c.HomeBranchId, out var v) ? v : null;
        c.KycVerifiedAt = now.AddDays(-verifiedDaysAgo);
        var verifiedOn = today.AddDays(-verifiedDaysAgo);
        var years = c.KycRiskRating switch { KycRiskRating.High => 1, KycRiskRating.Medium => 3, KycRiskRating.Low => 5 };
        switch (slot)
        {
            case 7:
                c.KycStatus = KycStatus.Expired;
                c.KycExpiredOn = today.AddDays(-(1 + i % 20));
                c.KycExpiryReason = i % 2 == 0 ? KycExpiryReason.ReviewDue : KycExpiryReason.DocumentExpired;
                if (c.KycExpiryReason == KycExpiryReason.DocumentExpired)
                {
                    c.IdExpiresOn = c.KycExpiredOn;
                }

                break;
            case 9:
                c.KycStatus = KycStatus.Rejected;
                c.KycRejectionReason = "证件照片与本人不符，请客户携带原件临柜";
                break;
            default:
                c.KycStatus = KycStatus.Verified;
                c.KycReviewDueOn = verifiedOn.AddYears(years);
                if (c.KycReviewDueOn <= today)
                {
                    c.KycReviewDueOn = today.AddDays(30 + i % 60);
                }

                if (slot == 8)
                {
                    c.IdExpiresOn = today.AddDays(1 + i % 30);
                }

                break;
        }
    }
}
