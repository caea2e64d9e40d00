using System.Collections.Concurrent;
using Steward.Platform.Database;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// The tests that only read what the demo's first start seeded (its history, complaints, dashboard) share one first
/// start per database instead of seeding 300 customers and 90 days of cases each: seeding is the slowest thing a test
/// can ask for (tens of seconds, minutes when the machine is busy). They belong to <see cref="DemoCollection"/>, so
/// they run one after another, never beside a test that changes the data; signing in (a session row) is all they
/// write.
/// </summary>
public sealed class DemoApps : IAsyncLifetime
{
    /// <summary>What the shared first start is given: the demo on, 300 customers and 300 history cases.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Demo:Enabled"] = "true",
        ["Demo:Customers"] = "300",
        ["Demo:HistoryCases"] = "300",
    };

    private readonly ConcurrentDictionary<DatabaseProvider, Lazy<Task<StewardApp>>> apps = new();

    /// <summary>The demo first start on <paramref name="provider"/>, started by whichever test asks first.</summary>
    public Task<StewardApp> ForAsync(DatabaseProvider provider) =>
        apps.GetOrAdd(provider, p => new Lazy<Task<StewardApp>>(() => StewardApp.StartAsync(p, new Dictionary<string, string?>(Settings)))).Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in apps.Values.Where(a => a.IsValueCreated))
        {
            await (await app.Value).DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoApps>
{
    public const string Name = "demo first start";
}
