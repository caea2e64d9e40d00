using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Steward.Features.Cases;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Features.Routing;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// Steward hosted in memory on its own fresh database, with a <see cref="FakeTimeProvider"/>. Intent
/// methods make the data a test needs (<see cref="CreateBranchAsync"/>, <see cref="CreateStaffAsync"/>)
/// and sign people in (<see cref="ApiClientAsync"/>).
/// </summary>
public sealed class StewardApp : WebApplicationFactory<Program>
{
    public const string Password = "Test-Passw0rd!";

    /// <summary>The id of the audit key each test app is given (a fresh random key per app).</summary>
    public const string AuditKeyId = "test-1";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly TestDatabase database;
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;
    private readonly bool ownsDatabase;
    private int counter;

    private StewardApp(TestDatabase database, Dictionary<string, string?> settings, FakeTimeProvider clock, Action<IServiceCollection>? configureServices, bool ownsDatabase = true)
    {
        this.database = database;
        this.settings = settings;
        this.configureServices = configureServices;
        this.ownsDatabase = ownsDatabase;
        Clock = clock;
    }

    public FakeTimeProvider Clock { get; }

    public DatabaseProvider Provider => database.Provider;

    /// <summary>This app's own audit checkpoint file (a second node shares it).</summary>
    public string CheckpointFile => settings["Audit:CheckpointFile"]!;

    /// <summary>The settings this app was started with.</summary>
    public IReadOnlyDictionary<string, string?> Settings => settings;

    public string ConnectionString => database.ConnectionString;

    /// <summary>Starts an app on a new database; the schema is migrated and nothing else exists.</summary>
    public static async Task<StewardApp> StartAsync(
        DatabaseProvider provider,
        IDictionary<string, string?>? extraSettings = null,
        FakeTimeProvider? clock = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Demo:Enabled"] = "false",
            ["Security:PersonalData:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:Audit:Keys:" + AuditKeyId] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Audit:CheckpointFile"] = TestDatabases.CheckpointFile(),
            ["Security:SignIn:PasswordHashIterations"] = "1000",
            ["RateLimits:PublicPerMinute"] = "0",
            ["RateLimits:SignInPerMinute"] = "0",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = new StewardApp(database, settings, clock ?? TestClock.Create(), configureServices);
        _ = app.Services; // start the host: migrations run now
        await Task.CompletedTask;
        return app;
    }

    /// <summary>
    /// A second app node on the same database and the same clock, as a second server behind a load
    /// balancer would be, with <paramref name="changedSettings"/> of its own if given. The first app owns the database;
    /// dispose this node first.
    /// </summary>
    public StewardApp StartSecondNode(Action<IServiceCollection>? services = null, IDictionary<string, string?>? changedSettings = null)
    {
        var nodeSettings = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in changedSettings ?? new Dictionary<string, string?>())
        {
            nodeSettings[key] = value;
        }

        var node = new StewardApp(database, nodeSettings, Clock, services ?? configureServices, ownsDatabase: false);
        _ = node.Services;
        return node;
    }

    /// <summary>
    /// Another node on the same database and clock whose settings differ by <paramref name="changes"/> (a null value
    /// removes a setting), as after an operator changed the configuration and restarted. Dispose it before this app.
    /// </summary>
    public StewardApp StartNodeWith(IDictionary<string, string?> changes)
    {
        var changed = new Dictionary<string, string?>(settings);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                changed.Remove(key);
            }
            else
            {
                changed[key] = value;
            }
        }

        var node = new StewardApp(database, changed, Clock, configureServices, ownsDatabase: false);
        _ = node.Services;
        return node;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            configureServices?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase)
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Runs <paramref name="work"/> with a database context in its own scope, as the system actor.</summary>
    public async Task<T> WithDbAsync<T>(Func<StewardDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<StewardDbContext>());
    }

    public Task WithDbAsync(Func<StewardDbContext, Task> work) => WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref counter)}";

    public Task<Branch> CreateBranchAsync(string? code = null, string zone = "Asia/Shanghai") => WithDbAsync(async db =>
    {
        var c = code ?? Unique("B");
        var branch = new Branch { Code = c, Name = $"{c} 支行", NameEn = $"{c} Branch", TimeZone = zone };
        db.Add(branch);
        await db.SaveChangesAsync();
        return branch;
    });

    public Task<Team> CreateTeamAsync(long branchId, string? name = null) => WithDbAsync(async db =>
    {
        var n = name ?? Unique("Team");
        var team = new Team { BranchId = branchId, Name = n, NameEn = n };
        db.Add(team);
        await db.SaveChangesAsync();
        return team;
    });

    /// <summary>Creates an active staff member with the given roles and the password <see cref="Password"/>.</summary>
    public Task<Staff> CreateStaffAsync(long branchId, params StaffRole[] roles) => CreateStaffAsync(branchId, null, roles);

    public Task<Staff> CreateStaffAsync(long branchId, long? teamId, params StaffRole[] roles) => WithDbAsync(async db =>
    {
        var staff = new Staff
        {
            Username = Unique("user").ToLowerInvariant(),
            DisplayName = "测试员工",
            HomeBranchId = branchId,
            TeamId = teamId,
            Roles = roles.Select(r => new StaffRoleAssignment { Role = r }).ToList(),
        };
        staff.PasswordHash = new PasswordHasher<Staff>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { IterationCount = 1000 }))
            .HashPassword(staff, Password);
        db.Add(staff);
        await db.SaveChangesAsync();
        return staff;
    });

    /// <summary>Creates a customer file in <paramref name="branchId"/> with the given tier, contact and identity number (name 王小明 unless given).</summary>
    public async Task<Customer> CreateCustomerAsync(
        long branchId, CustomerTier tier = CustomerTier.Standard, string? phone = null, string? email = null, string name = "王小明", string? idNumber = null,
        string? language = null)
    {
        var protector = Services.GetRequiredService<PersonalDataProtector>();
        return await WithDbAsync(async db =>
        {
            var customer = new Customer
            {
                Reference = Unique("C-"),
                Name = name,
                Tier = tier,
                HomeBranchId = branchId,
                IdNumberCipher = protector.Encrypt(idNumber),
                IdNumberIndex = protector.BlindIndex(idNumber),
                PhoneCipher = protector.Encrypt(phone),
                PhoneIndex = protector.BlindIndex(phone),
                EmailCipher = protector.Encrypt(email),
                EmailIndex = protector.BlindIndex(email),
                PreferredLanguage = language,
            };
            db.Add(customer);
            await db.SaveChangesAsync();
            return customer;
        });
    }

    /// <summary>Sets which kinds <paramref name="teamId"/> receives and how it assigns cases.</summary>
    public Task SetTeamCaseSettingsAsync(long teamId, AssignmentMode mode, params CaseKind[] kinds) => WithDbAsync(async db =>
    {
        db.Add(new CaseTeamSettings { TeamId = teamId, Mode = mode, Kinds = string.Join(',', kinds) });
        await db.SaveChangesAsync();
    });

    /// <summary>Creates a case through the API as <paramref name="client"/> and returns the created case's JSON.</summary>
    public static async Task<JsonElement> CreateCaseAsync(HttpClient client, string subject = "咨询理财产品", string description = "客户想了解理财产品的赎回规则。",
        string kind = "Consultation", long? branchId = null, long? teamId = null, string channel = "Counter")
    {
        var response = await client.PostAsJsonAsync("/api/v1/cases", new
        {
            kind,
            channel,
            subject,
            description,
            branchId,
            teamId,
            contact = new { name = "李雷", phone = "13800138000" },
        }, Json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a request scope signed in as <paramref name="staff"/>, the way a
    /// page calls services: roles and branches are loaded as for a real sign-in.
    /// </summary>
    public async Task<T> AsStaffAsync<T>(Staff staff, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        var identity = new System.Security.Claims.ClaimsIdentity(
            [
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, staff.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, staff.Username),
                new System.Security.Claims.Claim(SignInService.StampClaim, staff.SecurityStamp),
            ], "Test", System.Security.Claims.ClaimTypes.Name, System.Security.Claims.ClaimTypes.Role);
        var principal = await provider.GetRequiredService<Microsoft.AspNetCore.Authentication.IClaimsTransformation>()
            .TransformAsync(new System.Security.Claims.ClaimsPrincipal(identity));
        var accessor = provider.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>();
        var previous = accessor.HttpContext;
        accessor.HttpContext = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal, RequestServices = provider };
        try
        {
            return await work(provider);
        }
        finally
        {
            accessor.HttpContext = previous;
        }
    }

    /// <summary>An HTTP client that calls the API with a bearer token for <paramref name="username"/>.</summary>
    public async Task<HttpClient> ApiClientAsync(string username, string password = Password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Creates a staff member with <paramref name="roles"/> in <paramref name="branchId"/> and signs them in to the API.</summary>
    public async Task<(Staff Staff, HttpClient Client)> SignInAsync(long branchId, params StaffRole[] roles)
    {
        var staff = await CreateStaffAsync(branchId, roles);
        return (staff, await ApiClientAsync(staff.Username));
    }

    /// <summary>A client without credentials that does not follow redirects.</summary>
    public HttpClient AnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Verifies the whole audit chain against this app's keys and checkpoint file.</summary>
    public async Task<AuditVerification> VerifyAuditAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditVerifier>().VerifyAsync();
    }

    public Task<List<AuditEntry>> AuditEntriesAsync(string entityType, string entityId) => WithDbAsync(db =>
        db.AuditEntries.AsNoTracking().Where(e => e.EntityType == entityType && e.EntityId == entityId).OrderBy(e => e.Sequence).ToListAsync());
}
