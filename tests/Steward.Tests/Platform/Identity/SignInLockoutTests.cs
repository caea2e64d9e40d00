using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Identity;

/// <summary>
/// Lockout under parallel guessing (issue 9): the failure count is atomic, only the first
/// <c>MaxFailedAttempts</c> (5) guesses have their password checked, and an unknown username
/// answers exactly like a real account before and after the threshold.
/// </summary>
public sealed class SignInLockoutTests
{
    private const string Token = "/api/v1/auth/token";

    [Theory, BothDatabases]
    public async Task Token_TwentySimultaneousWrongPasswords_LockTheAccountAfterFive_AndOnlyFiveAreChecked(DatabaseProvider provider)
    {
        var checks = new PasswordChecks();
        await using var app = await StewardApp.StartAsync(provider, configureServices: checks.Install);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        await using var second = app.StartSecondNode();

        // Ten at once on each of two nodes: within a node guesses at one name take turns, across nodes only the database orders them.
        var codes = (await Task.WhenAll(GuessInParallelAsync(app, staff.Username, 10), GuessInParallelAsync(second, staff.Username, 10))).SelectMany(c => c).ToArray();

        // Guesses 1-4 are wrong passwords; the 5th is checked too and locks; the other 15 are refused unchecked.
        Assert.Equal(4, codes.Count(c => c == "invalid-credentials"));
        Assert.Equal(16, codes.Count(c => c == "account-locked"));
        Assert.Equal(5, checks.Count);
        var row = await app.WithDbAsync(db => db.Set<Staff>().AsNoTracking().SingleAsync(s => s.Id == staff.Id));
        Assert.Equal(5, row.FailedSignIns);
        Assert.Equal(app.Clock.GetUtcNow().AddMinutes(15), row.LockedUntil);

        // Locked: even the right password is refused, and it is not checked either.
        var right = await app.AnonymousClient().PostAsJsonAsync(Token, new { username = staff.Username, password = StewardApp.Password });
        Assert.Equal("account-locked", (await right.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        Assert.Equal(5, checks.Count);
    }

    [Theory, BothDatabases]
    public async Task Token_TwentySimultaneousGuessesAtAnUnknownName_AnswerLikeARealAccount_AndOnlyFiveAreChecked(DatabaseProvider provider)
    {
        var checks = new PasswordChecks();
        await using var app = await StewardApp.StartAsync(provider, configureServices: checks.Install);
        await using var second = app.StartSecondNode();

        var codes = (await Task.WhenAll(GuessInParallelAsync(app, "ghost", 10), GuessInParallelAsync(second, "ghost", 10))).SelectMany(c => c).ToArray();

        Assert.Equal(4, codes.Count(c => c == "invalid-credentials"));
        Assert.Equal(16, codes.Count(c => c == "account-locked"));
        Assert.Equal(5, checks.Count);
    }

    [Theory, BothDatabases]
    public async Task Token_UnknownNameAndRealAccount_GiveIdenticalAnswers_BeforeAndAfterTheThreshold(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var disabled = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == disabled.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.IsActive, false)));
        var client = app.AnonymousClient();

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            var real = await AnswerAsync(client, staff.Username, "wrong-guess");
            Assert.Equal(real, await AnswerAsync(client, "ghost", "wrong-guess"));
            Assert.Equal(real, await AnswerAsync(client, disabled.Username, "wrong-guess"));
            Assert.Contains(attempt < 5 ? "\"invalid-credentials\"" : "\"account-locked\"", real, StringComparison.Ordinal);
        }

        Assert.Equal(await AnswerAsync(client, "ghost", StewardApp.Password), await AnswerAsync(client, staff.Username, StewardApp.Password));

        // The lock ends for both after 15 minutes, and the count starts again at one.
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        var again = await AnswerAsync(client, staff.Username, "wrong-guess");
        Assert.Contains("\"invalid-credentials\"", again, StringComparison.Ordinal);
        Assert.Equal(again, await AnswerAsync(client, "ghost", "wrong-guess"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == staff.Id).Select(s => s.FailedSignIns).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task Token_RightPasswordAsTheFifthAttempt_SignsIn_AndTheCountStartsAgain(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var client = app.AnonymousClient();

        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Contains("\"invalid-credentials\"", await AnswerAsync(client, staff.Username, "wrong-guess"), StringComparison.Ordinal);
            }

            var ok = await client.PostAsJsonAsync(Token, new { username = staff.Username, password = StewardApp.Password });
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var row = await app.WithDbAsync(db => db.Set<Staff>().AsNoTracking().SingleAsync(s => s.Id == staff.Id));
            Assert.Equal(0, row.FailedSignIns);
            Assert.Null(row.LockedUntil);
            Assert.Equal(app.Clock.GetUtcNow(), row.LastSignInAt);
        }
    }

    [Theory, BothDatabases]
    public async Task Token_EightSimultaneousRightPasswords_WhileEachCheckIsSlow_AllSignIn(DatabaseProvider provider)
    {
        // A password hash of 300 000 iterations (production's is 100 000): each check takes long enough that eight
        // sign-ins are in progress at once, more than the five attempts an account has. They take turns at the
        // check, so none is refused as locked.
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var staff = await app.CreateStaffAsync(branch.Id, StaffRole.Agent);
        var slowHash = new PasswordHasher<Staff>(Options.Create(new PasswordHasherOptions { IterationCount = 300_000 })).HashPassword(staff, StewardApp.Password);
        await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == staff.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.PasswordHash, slowHash)));

        var clients = Enumerable.Range(0, 8).Select(_ => app.AnonymousClient()).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync(Token, new { username = staff.Username, password = StewardApp.Password })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Staff>().Where(s => s.Id == staff.Id).Select(s => s.FailedSignIns).SingleAsync()));
    }

    private static async Task<string[]> GuessInParallelAsync(StewardApp app, string username, int count)
    {
        var clients = Enumerable.Range(0, count).Select(_ => app.AnonymousClient()).ToList();
        var responses = await Task.WhenAll(clients.Select(c => c.PostAsJsonAsync(Token, new { username, password = "wrong-guess" })));
        var problems = await Task.WhenAll(responses.Select(r => r.ShouldBeProblemAsync(HttpStatusCode.Unauthorized)));
        return problems.Select(p => p.GetProperty("code").GetString()!).ToArray();
    }

    /// <summary>Status and problem body, without the per-request trace id.</summary>
    private static async Task<string> AnswerAsync(HttpClient client, string username, string password)
    {
        var response = await client.PostAsJsonAsync(Token, new { username, password });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId");
        return $"{(int)response.StatusCode} {response.Content.Headers.ContentType} {body.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}";
    }

    /// <summary>
    /// Counts password-hash verifications: the app's <see cref="IPasswordHasher{Staff}"/> (a DI service, used for
    /// real accounts and the dummy hash of unknown names alike) is wrapped for the test. Production code is unchanged.
    /// </summary>
    private sealed class PasswordChecks
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        public void Install(IServiceCollection services)
        {
            services.RemoveAll<IPasswordHasher<Staff>>();
            services.AddScoped<IPasswordHasher<Staff>>(sp => new Counting(new PasswordHasher<Staff>(sp.GetRequiredService<IOptions<PasswordHasherOptions>>()), this));
        }

        private sealed class Counting(PasswordHasher<Staff> inner, PasswordChecks checks) : IPasswordHasher<Staff>
        {
            public string HashPassword(Staff user, string password) => inner.HashPassword(user, password);

            public PasswordVerificationResult VerifyHashedPassword(Staff user, string hashedPassword, string providedPassword)
            {
                Interlocked.Increment(ref checks.count);
                return inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
            }
        }
    }
}
