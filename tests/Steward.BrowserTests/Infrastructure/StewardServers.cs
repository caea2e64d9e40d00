using Steward.Platform.Database;

namespace Steward.BrowserTests.Infrastructure;

/// <summary>
/// The apps the browser tests run against: a <see cref="StewardServer"/> per database provider,
/// started the first time a test asks for it and stopped (its database removed) when the run ends.
/// </summary>
public sealed class StewardServers : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, Task<StewardServer>> servers = [];
    private readonly Lock gate = new();

    public Task<StewardServer> GetAsync(DatabaseProvider provider)
    {
        lock (gate)
        {
            if (!servers.TryGetValue(provider, out var server))
            {
                server = StewardServer.StartAsync(provider);
                servers[provider] = server;
            }

            return server;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        List<Task<StewardServer>> started;
        lock (gate)
        {
            started = [.. servers.Values];
            servers.Clear();
        }

        foreach (var server in started.Where(s => s.IsCompletedSuccessfully))
        {
            await server.Result.DisposeAsync();
        }
    }
}
