using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Customers;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.BrowserTests.Infrastructure;

/// <summary>
/// The real Steward app listening on Kestrel at 127.0.0.1 on a free port, on its own fresh
/// database seeded with the demo institution (30 customers) and a short demo history (about 150 cases). A browser
/// reaches it at <see cref="BaseUrl"/>.
/// </summary>
public sealed class StewardServer : WebApplicationFactory<Program>
{
    private readonly TestDatabase database;
    private int counter;

    private StewardServer(TestDatabase database)
    {
        this.database = database;
        // Port 0 on the loopback address: the operating system picks a free port; nothing outside the machine can connect.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public DatabaseProvider Provider => database.Provider;

    /// <summary>The address the server listens on, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Creates a database, starts the app on it (migrations and demo seeding run now) and waits until it listens.</summary>
    public static async Task<StewardServer> StartAsync(DatabaseProvider provider)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var server = new StewardServer(database);
        try
        {
            server.StartServer();
            var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
            server.BaseUrl = addresses.Single().TrimEnd('/');
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Demo:Enabled"] = "true",
            ["Demo:Customers"] = "30",
            // The demo history on (as on a first start), smaller than the default so that the servers start quickly.
            ["Demo:HistoryCases"] = "150",
            ["Security:SignIn:PasswordHashIterations"] = "1000",
            ["RateLimits:PublicPerMinute"] = "0",
            ["RateLimits:SignInPerMinute"] = "0",
            ["Security:PersonalData:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Security:Audit:Keys:browser"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Audit:CheckpointFile"] = Path.Combine(Path.GetTempPath(), "steward-browser-checkpoints-" + Guid.NewGuid().ToString("N")[..16] + ".log"),
            ["Logging:LogLevel:Default"] = "Warning",
            // Expected here: keys kept unencrypted in the test database, and Kestrel told to listen on the loopback port.
            ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
            ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
        };
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await database.DisposeAsync();
    }

    public string Url(string path) => BaseUrl + path;

    /// <summary>A name not used before on this server (each server has its own fresh database).</summary>
    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref counter)}";

    /// <summary>A demo customer's name and the phone number stored for it (decrypted here, for a test to type).</summary>
    public async Task<(string Name, string Phone)> DemoCustomerAsync(string reference)
    {
        await using var scope = Services.CreateAsyncScope();
        var customer = await scope.ServiceProvider.GetRequiredService<StewardDbContext>().Set<Customer>().AsNoTracking().SingleAsync(c => c.Reference == reference);
        return (customer.Name, scope.ServiceProvider.GetRequiredService<PersonalDataProtector>().Decrypt(customer.PhoneCipher)!);
    }

    /// <summary>
    /// A new individual customer of SH01 whose identity is verified and who has never been assessed (born 1988, declared
    /// assets 500,000 CNY), written through the app's own protector; returns the reference.
    /// </summary>
    public async Task<string> CreateVerifiedCustomerAsync(string name)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<PersonalDataProtector>();
        var branchId = await db.Set<Branch>().Where(b => b.Code == "SH01").Select(b => b.Id).SingleAsync();
        var reference = Unique("C-BT").ToUpperInvariant();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var phone = "1360000" + (1000 + counter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        db.Add(new Customer
        {
            Reference = reference, Name = name, Kind = CustomerKind.Individual, HomeBranchId = branchId, BirthDate = new DateOnly(1988, 5, 20),
            PhoneCipher = protector.Encrypt(phone), PhoneIndex = protector.BlindIndex(phone), DeclaredAssets = 500_000m, KycStatus = KycStatus.Verified,
            KycVerifiedAt = now, KycReviewDueOn = DateOnly.FromDateTime(now.UtcDateTime).AddYears(5),
        });
        await db.SaveChangesAsync();
        return reference;
    }

    /// <summary>
    /// Creates an active staff member in the demo branch SH01 through the app's own service, with
    /// <see cref="Demo.Password"/>, and returns the username. For tests that change an account (lockout).
    /// </summary>
    public async Task<string> CreateStaffAsync(string displayName, params StaffRole[] roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StewardDbContext>();
        var branchId = await db.Set<Branch>().Where(b => b.Code == "SH01").Select(b => b.Id).SingleAsync();
        var username = Unique("test.").ToLowerInvariant();
        var result = await scope.ServiceProvider.GetRequiredService<OrganisationService>()
            .CreateStaffAsync(new StaffInput(username, displayName, null, branchId, null, roles), Demo.Password);
        return result.Succeeded ? username : throw new InvalidOperationException($"Could not create staff: {result.Error}");
    }
}
