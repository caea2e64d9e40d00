using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Tests.Features.Public;
using Steward.Tests.Infrastructure;
using static Steward.Tests.Features.Cases.CasePagesTests;

namespace Steward.Tests.Platform.Problems;

/// <summary>
/// While the database is briefly unavailable a create answers 503 with Retry-After (a problem on the API, the 503 page
/// for a form), stores nothing, and the retry with the same idempotency key creates once. The outage is real: PostgreSQL
/// drops the app's connections and refuses new ones (what a crash and recovery look like from the app); on SQLite another
/// connection holds the write lock longer than the node's busy timeout.
/// </summary>
public sealed class TransientDatabaseFailureTests
{
    [Theory, BothDatabases]
    public async Task Create_WhileTheDatabaseIsUnavailable_Is503WithRetryAfter_AndTheRetryCreatesOnce(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        await using var node = app.StartSecondNode(changedSettings: new Dictionary<string, string?>
        {
            // SQLite: a write waits 1 s (not 60) for the writer lock before it gives up.
            ["Database:CommandTimeoutSeconds"] = provider == DatabaseProvider.Sqlite ? "1" : "60",
        });
        var branch = await node.CreateBranchAsync();
        var client = node.AnonymousClient();
        var customer = AnonymousPage(node);
        customer.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var token = await customer.TokenAsync("/Public/Request");

        HttpResponseMessage api, form;
        await using (await Outage.BeginAsync(app))
        {
            api = await client.SendAsync(Create(branch.Id, "retry-1"));
            form = await customer.PostFormWithTokenAsync("/Public/Request", PublicPagesTests.Form(branch.Id, "form-retry-1"), token);
        }

        var problem = await api.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("database-unavailable", problem.GetProperty("code").GetString());
        Assert.Equal("5", Assert.Single(api.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, form.StatusCode);
        Assert.Equal("5", Assert.Single(form.Headers.GetValues("Retry-After")));
        Assert.Contains("data-testid=\"error-title\">服务暂时不可用<", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));

        // A client retries after a 503 until it gets an answer; pooled connections the outage broke may cost a retry or two.
        var retry = await client.SendAsync(Create(branch.Id, "retry-1"));
        for (var attempt = 0; attempt < 5 && retry.StatusCode == HttpStatusCode.ServiceUnavailable; attempt++)
        {
            retry = await client.SendAsync(Create(branch.Id, "retry-1"));
        }

        var created = await retry.ShouldBeJsonAsync(HttpStatusCode.Created);
        var again = await (await client.SendAsync(Create(branch.Id, "retry-1"))).ShouldBeJsonAsync(HttpStatusCode.Created);
        Assert.Equal(created.GetProperty("reference").GetString(), again.GetProperty("reference").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    private static HttpRequestMessage Create(long branchId, string key) => new(HttpMethod.Post, "/api/v1/public/cases")
    {
        Content = new StringContent($$"""{"kind":"Complaint","branchId":{{branchId}},"subject":"转账失败","description":"转账未到账。","name":"李雷","phone":"13800138000"}""",
            Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", key } },
    };


    /// <summary>Makes the app's database unavailable until disposed.</summary>
    private sealed class Outage : IAsyncDisposable
    {
        private readonly Func<Task> end;

        private Outage(Func<Task> end) => this.end = end;

        public static async Task<Outage> BeginAsync(StewardApp app)
        {
            if (app.Provider == DatabaseProvider.Sqlite)
            {
                var holder = new SqliteConnection(app.ConnectionString);
                await holder.OpenAsync();
                await using (var begin = new SqliteCommand("BEGIN IMMEDIATE;", holder))
                {
                    await begin.ExecuteNonQueryAsync();
                }

                return new Outage(async () =>
                {
                    await using (var rollback = new SqliteCommand("ROLLBACK;", holder))
                    {
                        await rollback.ExecuteNonQueryAsync();
                    }

                    await holder.DisposeAsync();
                });
            }

            var name = new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;
            await ServerAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';");
            return new Outage(() => ServerAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS true;"));
        }

        public async ValueTask DisposeAsync() => await end();

        private static async Task ServerAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(TestDatabases.ServerConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
