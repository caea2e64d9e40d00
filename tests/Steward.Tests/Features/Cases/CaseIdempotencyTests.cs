using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Cases;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Cases;

public sealed class CaseIdempotencyTests
{
    private static object Body(string subject) => new
    {
        kind = "Consultation",
        channel = "Phone",
        subject,
        description = "客户来电咨询。",
        contact = new { name = "李雷", phone = "13800138000" },
    };

    [Theory, BothDatabases]
    public async Task Create_RetriedWithTheSameKey_MakesOneCaseAndReturnsTheFirstResponse(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var first = await PostAsync(agent, "/api/v1/cases", "key-1", Body("第一次"));
        var retry = await PostAsync(agent, "/api/v1/cases", "key-1", Body("第一次"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.True(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Create_SameKeyWithADifferentBody_Returns422AndMakesNothing(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(agent, "/api/v1/cases", "key-2", Body("原来的"))).StatusCode);

        var problem = await (await PostAsync(agent, "/api/v1/cases", "key-2", Body("改过的"))).ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("idempotency-key-reused", problem.GetProperty("code").GetString());
        Assert.Equal(["原来的"], await app.WithDbAsync(db => db.Set<Case>().Select(c => c.Subject).ToListAsync()));
    }

    [Theory, BothDatabases]
    public async Task Create_ConcurrentDuplicatesWithOneKey_MakeOneCase(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(agent, "/api/v1/cases", "same-key", Body("并发重复"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Create_100ConcurrentWithDistinctKeys_Makes100CasesWith100DistinctReferences(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var responses = await Task.WhenAll(Enumerable.Range(1, 100).Select(i => PostAsync(agent, "/api/v1/cases", $"k-{i}", Body($"并发 {i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var references = await app.WithDbAsync(db => db.Set<Case>().Select(c => c.Reference).ToListAsync());
        Assert.Equal(100, references.Count);
        Assert.Equal(100, references.Distinct().Count());
        // Numbers 1..100 of the day, each once: nothing skipped, nothing doubled.
        Assert.Equal(Enumerable.Range(1, 100).Select(n => $"SV-20261123-{n:D6}"), references.Order(StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task Create_WithAKey_StoresTheResponseAndAuditsTheCaseInOneUnbrokenChain(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var responses = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => PostAsync(agent, "/api/v1/cases", $"audited-{i}", Body($"审计 {i}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await app.WithDbAsync(db => db.Set<Case>().Select(c => c.Id).ToListAsync());
        Assert.Equal(10, ids.Count);
        foreach (var id in ids)
        {
            var entries = await app.AuditEntriesAsync(nameof(Case), id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(entries, e => e.Action == Steward.Platform.Audit.AuditAction.Created);
        }

        // Each key's stored response is the body that was answered (written in the audit batch, before the commit).
        var stored = await app.WithDbAsync(db => db.Set<Steward.Platform.Api.IdempotencyRecord>().Where(r => r.IdempotencyKey.StartsWith("audited-")).ToListAsync());
        Assert.Equal(10, stored.Count);
        Assert.All(stored, r => Assert.Equal(201, r.StatusCode));
        Assert.Equal(
            (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Order(StringComparer.Ordinal),
            stored.Select(r => r.ResponseBody).Order(StringComparer.Ordinal));
        var verification = await app.VerifyAuditAsync();
        Assert.True(verification.Intact, verification.Break?.Detail);
    }

    [Theory, BothDatabases]
    public async Task PublicCreate_RetriedWithTheSameKey_MakesOneCase(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var body = new { branchId = branch.Id, kind = "Suggestion", subject = "建议延长营业时间", description = "希望周末营业到下午六点。", name = "韩梅梅", email = "meimei@example.com" };
        var client = app.AnonymousClient();

        var first = await PostAsync(client, "/api/v1/public/cases", "public-1", body);
        var retry = await PostAsync(client, "/api/v1/public/cases", "public-1", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    [Theory, BothDatabases]
    public async Task Create_InABranchInAnotherZone_UsesThatZonesDateInTheReference(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync("NY01", "America/New_York");
        var (_, agent) = await app.SignInAsync(branch.Id, StaffRole.Agent);

        var created = await StewardApp.CreateCaseAsync(agent);

        // 2026-11-23 01:00 UTC is 2026-11-22 20:00 in New York (EST, UTC−5).
        Assert.Equal("SV-20261122-000001", created.GetProperty("reference").GetString());
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, string key, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: StewardApp.Json) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
