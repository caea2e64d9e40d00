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
using Steward.Features.Organisation;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// Steward hosted in memory on its own fresh database, with a <see cref="FakeClock"/>. Intent
/// methods make the data a test needs (<see cref="CreateBranchAsync"/>, <see cref="CreateStaffAsync"/>)
/// and sign people in (<see cref="ApiClientAsync"/>).
/// </summary>
public sealed class StewardApp : WebApplicationFactory<Program>
{
    public const string Password = "Test-Passw0rd!";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly TestDatabase database;
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? configureServices;
    private readonly bool ownsDatabase;
    private int counter;

    private StewardApp(TestDatabase database, Dictionary<string, string?> settings, FakeClock clock, Action<IServiceCollection>? configureServices, bool ownsDatabase = true)
    {
        this.database = database;
        this.settings = settings;
        this.configureServices = configureServices;
        this.ownsDatabase = ownsDatabase;
        Clock = clock;
    }

    public FakeClock Clock { get; }

    public DatabaseProvider Provider => database.Provider;

    public string ConnectionString => database.ConnectionString;

    /// <summary>Starts an app on a new database; the schema is migrated and nothing else exists.</summary>
    public static async Task<StewardApp> StartAsync(
        DatabaseProvider provider,
        IDictionary<string, string?>? extraSettings = null,
        FakeClock? clock = null,
        Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabases.CreateAsync(provider);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Demo:Enabled"] = "false",
            ["Security:PersonalData:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:SignIn:PasswordHashIterations"] = "1000",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = new StewardApp(database, settings, clock ?? new FakeClock(), services);
        _ = app.Services; // start the host: migrations run now
        await Task.CompletedTask;
        return app;
    }

    /// <summary>
    /// A second app node on the same database and the same clock, as a second server behind a load
    /// balancer would be. The first app owns the database; dispose this node first.
    /// </summary>
    public StewardApp StartSecondNode(Action<IServiceCollection>? services = null)
    {
        var node = new StewardApp(database, settings, Clock, services ?? configureServices, ownsDatabase: false);
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

    public Task<List<AuditEntry>> AuditEntriesAsync(string entityType, string entityId) => WithDbAsync(db =>
        db.AuditEntries.AsNoTracking().Where(e => e.EntityType == entityType && e.EntityId == entityId).OrderBy(e => e.Sequence).ToListAsync());
}
