using System.Globalization;
using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Customers;
using Steward.Features.Holdings;
using Steward.Features.Organisation;
using Steward.Features.Products;
using Steward.Features.Qualifications;
using Steward.Features.Suitability;
using Steward.Features.Sla;
using Steward.Features.Tiering;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Demo;

/// <summary>Bound from <c>Demo</c>. Demo data is on by default in Development and refused in Production.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the demo institution into an empty database. Null means "on in Development".</summary>
    public bool? Enabled { get; set; }

    public int Customers { get; set; } = 1000;

    /// <summary>Also play <see cref="DemoHistory.Days"/> days of case work ending now (on by default; tests that need an empty institution turn it off).</summary>
    public bool History { get; set; } = true;

    /// <summary>About how many cases the history creates (a few more: duplicates, and one feedback case per branch that is at risk now).</summary>
    public int HistoryCases { get; set; } = 400;
}

/// <summary>One demo login, as the README lists them.</summary>
public sealed record DemoLogin(string Username, string DisplayName, StaffRole Role, string BranchCode);

/// <summary>
/// Seeds a realistic institution into an empty database: 5 branches in 2 time zones, their teams,
/// 30 staff across every role (all with the password <see cref="Password"/>), customers with
/// Chinese names and valid-looking identity numbers, and a product catalogue. Deterministic: the
/// same seed gives the same data.
/// </summary>
public sealed class DemoSeeder(
    StewardDbContext db, IPasswordHasher<Staff> hasher, PersonalDataProtector protector, IServiceProvider services, IOptions<DemoOptions> options, ILogger<DemoSeeder> logger)
{
    public const string Password = "Steward!2026";

    public static readonly (string Code, string Name, string NameEn, string Zone, string Address)[] Branches =
    [
        ("SH01", "上海陆家嘴支行", "Shanghai Lujiazui Branch", "Asia/Shanghai", "上海市浦东新区陆家嘴环路 1000 号"),
        ("BJ01", "北京金融街支行", "Beijing Financial Street Branch", "Asia/Shanghai", "北京市西城区金融大街 25 号"),
        ("SZ01", "深圳福田支行", "Shenzhen Futian Branch", "Asia/Shanghai", "深圳市福田区深南大道 7088 号"),
        ("HZ01", "杭州西湖支行", "Hangzhou West Lake Branch", "Asia/Shanghai", "杭州市西湖区延安路 398 号"),
        ("LN01", "伦敦分行", "London Branch", "Europe/London", "1 Lothbury, London EC2R 7DB"),
    ];

    public static IReadOnlyList<DemoLogin> Logins { get; } = BuildLogins();

    public async Task<bool> SeedIfEmptyAsync(int customerCount, CancellationToken ct = default)
    {
        if (await db.Set<Institution>().AnyAsync(ct))
        {
            return false;
        }

        using var actor = HttpAuditActorAccessor.Use(new AuditActor(null, "system:demo"));
        // Real seconds the seeding takes, for the start-up log (the story itself runs on the demo clock).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Randomizer.Seed = new Random(2026);
        db.Add(new Institution { Name = "斯图尔德银行", NameEn = "Steward Bank", Code = "SV" });

        var branches = Branches.Select(b => new Branch { Code = b.Code, Name = b.Name, NameEn = b.NameEn, TimeZone = b.Zone, Address = b.Address }).ToList();
        db.AddRange(branches);
        await db.SaveChangesAsync(ct);
        await SlaDemoData.SeedAsync(db, branches.Single(b => b.Code == "LN01").Id, ct);

        var teams = new Dictionary<string, Team>();
        foreach (var branch in branches)
        {
            foreach (var (key, name, nameEn) in TeamNames)
            {
                var team = new Team { BranchId = branch.Id, Name = name, NameEn = nameEn };
                teams[$"{branch.Code}:{key}"] = team;
                db.Add(team);
            }
        }

        await db.SaveChangesAsync(ct);

        var hash = hasher.HashPassword(new Staff(), Password);
        foreach (var login in Logins)
        {
            var branch = branches.Single(b => b.Code == login.BranchCode);
            var teamKey = login.Role switch
            {
                StaffRole.BackOffice => "backoffice",
                StaffRole.Agent or StaffRole.TeamLead => "counter",
                StaffRole.BranchManager or StaffRole.Compliance or StaffRole.QaInspector or StaffRole.Administrator => null,
            };
            db.Add(new Staff
            {
                Username = login.Username,
                DisplayName = login.DisplayName,
                Email = $"{login.Username}@steward-bank.example",
                PasswordHash = hash,
                HomeBranchId = branch.Id,
                TeamId = teamKey is null ? null : teams[$"{branch.Code}:{teamKey}"].Id,
                Roles = [new StaffRoleAssignment { Role = login.Role }],
            });
        }

        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        await ProductDemoData.SeedAsync(db, now, ct);
        await db.SaveChangesAsync(ct);
        await QualificationDemoData.SeedAsync(db, QualificationRegistry.LocalDate(now, "Asia/Shanghai"), ct);
        await db.SaveChangesAsync(ct);

        var files = await CustomerDemoData.ForAsync(db, protector, now, QualificationRegistry.LocalDate(now, "Asia/Shanghai"), ct);
        var chinese = new Faker("zh_CN");
        var english = new Faker("en_GB");
        var tierWeights = new[] { 0.55f, 0.2f, 0.15f, 0.07f, 0.03f };
        // The last few of the count are corporate customers (CustomerDemoData.Corporates), the others individuals.
        var individuals = customerCount > CustomerDemoData.CorporateCount ? customerCount - CustomerDemoData.CorporateCount : customerCount;
        for (var i = 1; i <= individuals; i++)
        {
            var branch = branches[i % 10 == 0 ? 4 : i % 4];
            var isLondon = branch.Code == "LN01" && i % 20 != 0;
            var faker = isLondon ? english : chinese;
            var name = isLondon ? faker.Name.FullName() : faker.Name.LastName() + faker.Name.FirstName();
            var phone = isLondon ? "+447" + faker.Random.ReplaceNumbers("#########") : "1" + faker.PickRandom("3", "5", "7", "8", "9") + faker.Random.ReplaceNumbers("#########");
            var idNumber = isLondon ? "P" + faker.Random.ReplaceNumbers("########") : ChineseIdNumber(faker);
            var customer = new Customer
            {
                Reference = "C-" + i.ToString("000000", CultureInfo.InvariantCulture),
                Name = name,
                IdNumberCipher = protector.Encrypt(idNumber),
                IdNumberIndex = protector.BlindIndex(idNumber),
                PhoneCipher = protector.Encrypt(phone),
                PhoneIndex = protector.BlindIndex(phone),
                EmailCipher = i % 3 == 0 ? protector.Encrypt($"customer{i}@mail.example") : null,
                EmailIndex = i % 3 == 0 ? protector.BlindIndex($"customer{i}@mail.example") : null,
                Tier = faker.Random.WeightedRandom(Enum.GetValues<CustomerTier>(), tierWeights),
                // Assessed customers have the assessment that gave their level (SuitabilityDemoData); the rest are not assessed yet.
                RiskTolerance = faker.PickRandom(RiskTolerance.C1, RiskTolerance.C2, RiskTolerance.C3, RiskTolerance.C4, RiskTolerance.C5) is var level && i <= SuitabilityDemoData.Assessed ? level : RiskTolerance.Unassessed,
                IsVulnerable = faker.Random.Bool(0.05f),
                HomeBranchId = branch.Id,
            };
            files.Fill(customer, i, idNumber, isLondon);
            db.Add(customer);
            if (i % 500 == 0)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }

        if (individuals < customerCount)
        {
            db.AddRange(files.Corporates([.. branches.Take(3).Select(b => b.Id)], individuals + 1));
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        logger.LogInformation("Seeded the demo institution: {Branches} branches, {Staff} staff, {Customers} customers in {Seconds:0.0} s", branches.Count, Logins.Count, customerCount, watch.Elapsed.TotalSeconds);
        var clock = services.GetRequiredService<TimeProvider>();
        // Each part's real seconds go to the start-up log: the first start is what a new user waits for, and every test that starts the demo waits for it too.
        async Task Part(string name, Func<Task> seed)
        {
            var started = watch.Elapsed;
            await seed();
            logger.LogInformation("Seeded demo {Part} in {Seconds:0.0} s", name, (watch.Elapsed - started).TotalSeconds);
        }

        await Part("holdings", () => HoldingDemoData.SeedAsync(db, now, ct));
        await Part("suitability", () => SuitabilityDemoData.SeedAsync(db, now, ct));
        await Part("households", () => Customers.Household.HouseholdDemoData.SeedAsync(db, now, ct));
        await Part("identity documents", () => Customers.Documents.IdentityDocumentDemoData.SeedAsync(db, protector, now, ct));
        await Part("tiering", () => TieringDemoData.SeedAsync(db, now, ct));
        await Part("queues", () => Queues.QueueDemoData.SeedAsync(db, ct));
        await Part("queue traffic", () => Queues.QueueDemoTraffic.SeedAsync(db, now, ct));
        await Part("queue appointments", () => Queues.AppointmentDemoData.SeedAsync(db, services, clock.GetUtcNow(), ct));
        await Part("two-factor", () => TwoFactorDemoData.SeedAsync(db, protector, now, ct));
        await Part("single sign-on", () => SsoDemoData.SeedAsync(db, now, ct));
        await Part("survey definitions", () => Surveys.SurveyDemoData.SeedDefinitionsAsync(db, now, ct));
        if (options.Value.History)
        {
            // Answered visit surveys open follow-up cases for the poor scores: part of the history, like every other case.
            await Part("survey queue visits", () => Surveys.SurveyDemoData.SeedVisitsAsync(services, ct));
            var cases = 0;
            await Part("history", async () => cases = await ActivatorUtilities.CreateInstance<DemoHistory>(services).SeedAsync(options.Value.HistoryCases, ct));
            logger.LogInformation("Seeded {Days} days of demo history: {Cases} cases", DemoHistory.Days, cases);
        }

        await Part("complaints", () => Complaints.ComplaintDemoData.SeedAsync(db, services, clock.GetUtcNow(), ct));
        await Part("complaint dashboard", () => Complaints.ComplaintDashboardDemoData.SeedAsync(db, services, clock.GetUtcNow(), ct));
        await Part("survey answers", () => Surveys.SurveyDemoData.AnswerAsync(services, clock.GetUtcNow(), ct));
        await Part("survey improvements", () => Surveys.SurveyDemoData.SeedLoopAsync(db, clock.GetUtcNow(), ct));
        await Part("quality reviews", () => Quality.QualityDemoData.SeedAsync(db, clock.GetUtcNow(), ct));
        await Part("webhooks", () => Webhooks.WebhookDemoData.SeedAsync(db, protector, clock.GetUtcNow(), ct));
        await Part("mail", () => Mail.MailDemoData.SeedAsync(db, services, clock.GetUtcNow(), withMail: options.Value.History, ct));
        await Part("personal data showings", () => Audit.RevealDemoData.SeedAsync(db, clock.GetUtcNow(), ct));
        await Part("retention", () => Retention.RetentionDemoData.SeedAsync(db, services, clock.GetUtcNow(), ct));
        logger.LogInformation("Seeded the demo in {Seconds:0.0} s", watch.Elapsed.TotalSeconds);

        return true;
    }

    private static readonly (string Key, string Name, string NameEn)[] TeamNames =
    [
        ("counter", "柜面服务组", "Counter Service"),
        ("backoffice", "后台运营组", "Back Office"),
        ("complaints", "投诉处理组", "Complaints"),
    ];

    private static List<DemoLogin> BuildLogins()
    {
        var logins = new List<DemoLogin>
        {
            new("admin", "系统管理员 王磊", StaffRole.Administrator, "SH01"),
            new("compliance", "合规官 陈静", StaffRole.Compliance, "SH01"),
            new("compliance2", "合规官 赵敏", StaffRole.Compliance, "BJ01"),
            new("qa", "质检员 刘洋", StaffRole.QaInspector, "SH01"),
            new("qa2", "质检员 孙丽", StaffRole.QaInspector, "SZ01"),
            new("qa3", "质检员 钱坤", StaffRole.QaInspector, "HZ01"),
        };
        var people = new Dictionary<string, string[]>
        {
            ["SH01"] = ["周涛", "吴芳", "郑伟", "黄敏", "徐强"],
            ["BJ01"] = ["马超", "胡静", "郭勇", "何丽", "高峰"],
            ["SZ01"] = ["林涛", "罗霞", "梁军", "宋佳", "谢明"],
            ["HZ01"] = ["韩雪", "唐宁", "冯刚", "于婷", "董杰"],
            ["LN01"] = ["Emma Clarke", "James Patel", "Olivia Hughes", "Liam Chen", "Sophie Turner"],
        };
        foreach (var (code, names) in people)
        {
            var prefix = code[..2].ToLowerInvariant();
            logins.Add(new DemoLogin($"{prefix}.manager", names[0], StaffRole.BranchManager, code));
            logins.Add(new DemoLogin($"{prefix}.lead", names[1], StaffRole.TeamLead, code));
            logins.Add(new DemoLogin($"{prefix}.agent1", names[2], StaffRole.Agent, code));
            logins.Add(new DemoLogin($"{prefix}.agent2", names[3], StaffRole.Agent, code));
            logins.Add(new DemoLogin($"{prefix}.backoffice", names[4], StaffRole.BackOffice, code));
        }

        return logins;
    }

    /// <summary>An 18-digit PRC resident identity number with a correct ISO 7064 MOD 11-2 check digit (GB 11643-1999).</summary>
    public static string ChineseIdNumber(Faker faker)
    {
        var area = faker.PickRandom("310115", "110102", "440304", "330106", "320102", "510107");
        var birth = new DateOnly(1950, 1, 1).AddDays(faker.Random.Int(0, 365 * 55));
        var body = area + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + faker.Random.ReplaceNumbers("###");
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
