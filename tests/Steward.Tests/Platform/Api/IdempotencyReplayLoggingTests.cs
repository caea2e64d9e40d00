using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Steward.Platform.Database;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Api;

/// <summary>A replayed idempotent create is expected, not a failure: it logs nothing at warning level or above.</summary>
public sealed class IdempotencyReplayLoggingTests
{
    [Theory, BothDatabases]
    public async Task Replay_LogsNoWarningOrError(DatabaseProvider provider)
    {
        var logs = new RecordingLoggerProvider();
        await using var app = await StewardApp.StartAsync(provider, configureServices: s => s.AddSingleton<ILoggerProvider>(logs));
        var branch = await app.CreateBranchAsync();
        var client = app.AnonymousClient();

        var first = await client.SendAsync(Create(branch.Id));
        var before = logs.Entries.Count;
        var replay = await client.SendAsync(Create(branch.Id));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", Assert.Single(replay.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        var loud = logs.Entries.Skip(before).Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}").ToList();
        Assert.True(loud.Count == 0, string.Join(Environment.NewLine, loud));
    }

    private static HttpRequestMessage Create(long branchId) => new(HttpMethod.Post, "/api/v1/public/cases")
    {
        Content = new StringContent($$"""{"kind":"Praise","branchId":{{branchId}},"subject":"柜员服务好","description":"耐心细致。","name":"李雷","phone":"13800138000"}""",
            Encoding.UTF8, "application/json"),
        Headers = { { "Idempotency-Key", "replay-log-1" } },
    };

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }
}
