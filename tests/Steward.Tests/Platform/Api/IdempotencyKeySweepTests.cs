using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Cases;
using Steward.Platform.Api;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Api;

public sealed class IdempotencyKeySweepTests
{
    [Theory, BothDatabases]
    public async Task Sweep_DeletesKeysOlderThan24HoursInBatches_KeepsYoungerOnes(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var start = app.Clock.GetUtcNow();
        // 501 keys 25 h old (two batches of 500), one 24 h old to the tick (kept: only older ones go), one 1 h old.
        await app.WithDbAsync(async db =>
        {
            db.AddRange(Enumerable.Range(1, 501).Select(i => Key($"old-{i}", start.AddHours(-25))));
            db.Add(Key("edge", start.AddHours(-24)));
            db.Add(Key("young", start.AddHours(-1)));
            await db.SaveChangesAsync();
        });

        var pass = await app.Services.GetRequiredService<PeriodicWorkHost>().RunOnceAsync(IdempotencyKeySweep.JobName);

        Assert.Null(pass.Error);
        Assert.Equal(["edge", "young"], await app.WithDbAsync(db => db.Set<IdempotencyRecord>().Select(r => r.IdempotencyKey).OrderBy(k => k).ToListAsync()));
    }

    [Theory, BothDatabases]
    public async Task Sweep_AfterADay_ARetryWithTheSameKeyCreatesAgain(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var body = new { branchId = branch.Id, kind = "Suggestion", subject = "建议增加自助机", description = "大堂等候时间长。", name = "韩梅梅", phone = "13900139000" };
        var client = app.AnonymousClient();
        var first = await PostAsync(client, body);
        var sweep = app.Services.GetRequiredService<PeriodicWorkHost>();

        app.Clock.Advance(TimeSpan.FromHours(23));
        await sweep.RunOnceAsync(IdempotencyKeySweep.JobName);
        var replay = await PostAsync(client, body);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await sweep.RunOnceAsync(IdempotencyKeySweep.JobName);
        var late = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.True(replay.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.False(late.Headers.Contains(Idempotency.ReplayedHeader));
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Case>().CountAsync()));
    }

    private static IdempotencyRecord Key(string key, DateTimeOffset at) => new()
    {
        Caller = "public", Scope = "POST /api/v1/public/cases", IdempotencyKey = key, RequestHash = new string('0', 64), StatusCode = 201, ResponseBody = "{}", CreatedAt = at,
    };

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/public/cases") { Content = JsonContent.Create(body, options: StewardApp.Json) };
        request.Headers.Add(Idempotency.Header, "sweep-1");
        return client.SendAsync(request);
    }
}
