using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on a 127.0.0.1 port over real HTTP. It records every request and answers with the next status of
/// <see cref="Answers"/> (200 once they run out), or — while <see cref="Hang"/> is set — not at all, until the caller gives
/// up. <see cref="Verify"/> checks a request's signature the way a receiver's own code would, without Steward's code.
/// </summary>
public sealed class TestWebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Body, string? Signature, string? Event, string? Delivery, int AnsweredWith);

    private readonly WebApplication app;
    private readonly ConcurrentQueue<int> answers = new();
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TestWebhookReceiver(WebApplication app) => this.app = app;

    public string Url { get; private set; } = "";

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Leave requests unanswered (the receiver neither answers nor closes the connection).</summary>
    public bool Hang { get; set; }

    public void Answers(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            answers.Enqueue(status);
        }
    }

    /// <summary>Completes when the next request has arrived (reset by each call).</summary>
    public Task NextRequestAsync()
    {
        arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return arrived.Task;
    }

    public static async Task<TestWebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new TestWebhookReceiver(builder.Build());
        receiver.app.MapPost("/hook", receiver.HandleAsync);
        await receiver.app.StartAsync();
        receiver.Url = receiver.app.Urls.Single().TrimEnd('/') + "/hook";
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var status = Hang ? 0 : answers.TryDequeue(out var next) ? next : 200;
        Requests.Enqueue(new Received(body, context.Request.Headers["Steward-Signature"], context.Request.Headers["Steward-Event"],
            context.Request.Headers["Steward-Delivery"], status));
        arrived.TrySetResult();
        if (status == 0)
        {
            // Never answers: waits until the sender gives up and closes the connection.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = status;
    }

    /// <summary>
    /// True when <paramref name="signature"/> (<c>t=…,v1=…</c>) is HMAC-SHA256, keyed with the UTF-8 bytes of
    /// <paramref name="secret"/>, of <c>t + "." + body</c>, compared in constant time; <paramref name="timestamp"/> is t.
    /// </summary>
    public static bool Verify(string secret, string? signature, string body, out long timestamp)
    {
        timestamp = 0;
        var parts = (signature ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out timestamp))
        {
            return false;
        }

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(t + "." + body));
        byte[] given;
        try
        {
            given = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
