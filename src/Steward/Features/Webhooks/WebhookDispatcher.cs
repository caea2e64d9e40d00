using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Features.Notifications;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Platform.Security;

namespace Steward.Features.Webhooks;

/// <summary>
/// The signature a receiver checks (decision 0047): <c>Steward-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>, the hex being
/// HMAC-SHA256 keyed with the UTF-8 bytes of the endpoint's secret (the whole <c>whsec_…</c> string) over
/// <c>"&lt;t&gt;.&lt;body&gt;"</c>. The timestamp is signed with the body, so a receiver that refuses old timestamps (five minutes
/// is usual) is safe from a replayed request.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Steward-Signature";
    public const string EventHeader = "Steward-Event";
    public const string DeliveryHeader = "Steward-Delivery";

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Sign(string secret, long unixSeconds, string body)
    {
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return "t=" + t + ",v1=" + Convert.ToHexStringLower(mac);
    }
}

/// <summary>
/// Delivers due webhook deliveries. A pass claims a batch with one conditional UPDATE that stamps the rows with this
/// pass's token and a lease (of two nodes racing for a row, one changes it; a crashed node's lease expires), posts them
/// (<see cref="WebhookOptions.Concurrency"/> at a time, each given <see cref="WebhookOptions.TimeoutSeconds"/> by the
/// injected clock), and records each attempt. A failed delivery is tried again after 60 s, 2 min, 4 min… until
/// <see cref="WebhookOptions.MaxAttempts"/>; an endpoint with <see cref="WebhookOptions.PauseAfterFailures"/> failed attempts in a
/// row is paused (audited, actor: system) and its owner told in the bell. Deliveries of a paused endpoint are not claimed.
/// </summary>
public sealed class WebhookDispatcher(
    StewardDbContext db, IHttpClientFactory http, PersonalDataProtector protector, NotificationService notifications, IOptions<WebhookOptions> options,
    TimeProvider time, ILogger<WebhookDispatcher> logger)
{
    public const string JobName = "webhooks";
    public const string HttpClientName = "webhooks";

    /// <summary>A pass takes batch after batch while they come full, up to this many.</summary>
    private const int MaxBatchesPerPass = 20;

    private static readonly string Node = $"{Environment.MachineName}:{Environment.ProcessId}";

    private sealed record Claimed(long Id, int Attempts, long EndpointId, string Url, string SecretCipher, string Type, string Payload);

    private sealed record Result(Claimed Delivery, DateTimeOffset StartedAt, int DurationMs, WebhookAttemptOutcome Outcome, int? StatusCode, string? Error);

    /// <summary>One pass; returns how many attempts were made.</summary>
    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var attempts = 0;
        for (var batch = 0; batch < MaxBatchesPerPass; batch++)
        {
            var claimed = await ClaimAsync(ct);
            if (claimed.Count == 0)
            {
                break;
            }

            var secrets = claimed.Select(c => c.SecretCipher).Distinct().ToDictionary(c => c, c => protector.Decrypt(c)!);
            using var gate = new SemaphoreSlim(options.Value.Concurrency);
            var results = await Task.WhenAll(claimed.Select(async c =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    return await AttemptAsync(c, secrets[c.SecretCipher], ct);
                }
                finally
                {
                    gate.Release();
                }
            }));
            await RecordAsync(results, ct);
            attempts += results.Length;
            if (claimed.Count < options.Value.BatchSize)
            {
                break;
            }
        }

        return attempts;
    }

    private async Task<List<Claimed>> ClaimAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        // Long enough for the whole batch at the worst (every attempt timing out), and a minute more.
        var lease = now.AddSeconds(o.TimeoutSeconds * Math.Ceiling(o.BatchSize / (double)o.Concurrency) + 60);
        var token = Node + ":" + Guid.NewGuid().ToString("N");
        var due = await db.Set<WebhookDelivery>()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now)
                && db.Set<WebhookEndpoint>().Any(e => e.Id == d.EndpointId && e.PausedAt == null))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
            .Take(o.BatchSize)
            .Select(d => d.Id)
            .ToListAsync(ct);
        if (due.Count == 0)
        {
            return [];
        }

        // The claim is one conditional UPDATE: a row another node claimed meanwhile no longer matches and keeps its token.
        await db.Set<WebhookDelivery>()
            .Where(d => due.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending && (d.LockedUntil == null || d.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LockedUntil, lease).SetProperty(d => d.LockedBy, token), ct);
        return await (
            from d in db.Set<WebhookDelivery>().AsNoTracking()
            where due.Contains(d.Id) && d.LockedBy == token
            join e in db.Set<WebhookEndpoint>() on d.EndpointId equals e.Id
            join ev in db.Set<WebhookEvent>() on d.EventId equals ev.Id
            orderby d.Id
            select new Claimed(d.Id, d.Attempts, e.Id, e.Url, e.SecretCipher, ev.Type, ev.Payload)).ToListAsync(ct);
    }

    private async Task<Result> AttemptAsync(Claimed d, string secret, CancellationToken ct)
    {
        var started = time.GetUtcNow();
        var ticks = time.GetTimestamp();
        int Elapsed() => (int)Math.Min(int.MaxValue, time.GetElapsedTime(ticks).TotalMilliseconds);
        var seconds = options.Value.TimeoutSeconds;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new StringContent(d.Payload, Encoding.UTF8, "application/json") };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, started.ToUnixTimeSeconds(), d.Payload));
            request.Headers.Add(WebhookSignature.EventHeader, d.Type);
            request.Headers.Add(WebhookSignature.DeliveryHeader, d.Id.ToString(CultureInfo.InvariantCulture));
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Steward-Webhooks", "1"));
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var code = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new Result(d, started, Elapsed(), WebhookAttemptOutcome.Succeeded, code, null)
                : new Result(d, started, Elapsed(), WebhookAttemptOutcome.HttpError, code, Truncate($"HTTP {code} {response.ReasonPhrase}".TrimEnd()));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new Result(d, started, Elapsed(), WebhookAttemptOutcome.Timeout, null, FormattableString.Invariant($"No answer within {seconds} s"));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or IOException)
        {
            var message = ex.InnerException is { } inner ? ex.Message + " " + inner.Message : ex.Message;
            return new Result(d, started, Elapsed(), WebhookAttemptOutcome.ConnectionFailed, null, Truncate(message));
        }
    }

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;

    private async Task RecordAsync(IReadOnlyList<Result> results, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var r in results)
            {
                var number = r.Delivery.Attempts + 1;
                db.Add(new WebhookAttempt
                {
                    DeliveryId = r.Delivery.Id, Number = number, StartedAt = r.StartedAt, DurationMs = r.DurationMs, Outcome = r.Outcome, StatusCode = r.StatusCode, Error = r.Error,
                });
                var id = r.Delivery.Id;
                if (r.Outcome == WebhookAttemptOutcome.Succeeded)
                {
                    await db.Set<WebhookDelivery>().Where(x => x.Id == id).ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Status, WebhookDeliveryStatus.Delivered).SetProperty(x => x.Attempts, number).SetProperty(x => x.CompletedAt, now)
                        .SetProperty(x => x.LastStatusCode, r.StatusCode).SetProperty(x => x.LastError, (string?)null)
                        .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null).SetProperty(x => x.LockedBy, (string?)null), ct);
                    await db.Set<WebhookEndpoint>().Where(e => e.Id == r.Delivery.EndpointId && e.ConsecutiveFailures != 0)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, 0), ct);
                }
                else
                {
                    var givenUp = number >= o.MaxAttempts;
                    var next = now + Backoff(number, o);
                    await db.Set<WebhookDelivery>().Where(x => x.Id == id).ExecuteUpdateAsync(s => s
                        .SetProperty(x => x.Status, givenUp ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending).SetProperty(x => x.Attempts, number)
                        .SetProperty(x => x.CompletedAt, givenUp ? now : (DateTimeOffset?)null).SetProperty(x => x.NextAttemptAt, next)
                        .SetProperty(x => x.LastStatusCode, r.StatusCode).SetProperty(x => x.LastError, r.Error)
                        .SetProperty(x => x.LockedUntil, (DateTimeOffset?)null).SetProperty(x => x.LockedBy, (string?)null), ct);
                    await db.Set<WebhookEndpoint>().Where(e => e.Id == r.Delivery.EndpointId)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.ConsecutiveFailures, e => e.ConsecutiveFailures + 1), ct);
                }
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        var failing = results.Where(r => r.Outcome != WebhookAttemptOutcome.Succeeded).Select(r => r.Delivery.EndpointId).Distinct().ToList();
        if (failing.Count > 0)
        {
            await PauseFailingAsync(failing, now, ct);
        }
    }

    /// <summary>The wait after failed attempt <paramref name="number"/>: <see cref="WebhookOptions.BackoffSeconds"/> × 2^(number − 1), at most <see cref="WebhookOptions.MaxBackoffMinutes"/>.</summary>
    public static TimeSpan Backoff(int number, WebhookOptions o)
    {
        var seconds = o.BackoffSeconds * Math.Pow(2, Math.Min(number - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, o.MaxBackoffMinutes * 60.0));
    }

    private async Task PauseFailingAsync(IReadOnlyList<long> endpointIds, DateTimeOffset now, CancellationToken ct)
    {
        var limit = options.Value.PauseAfterFailures;
        var ids = await db.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => endpointIds.Contains(e.Id) && e.PausedAt == null && e.ConsecutiveFailures >= limit).Select(e => e.Id).ToListAsync(ct);
        foreach (var id in ids)
        {
            var endpoint = await db.Set<WebhookEndpoint>().SingleAsync(e => e.Id == id, ct);
            endpoint.PausedAt = now;
            endpoint.PauseReason = WebhookPauseReason.Failures;
            var shown = endpoint.Description.Length > 0 ? endpoint.Description : endpoint.Url;
            notifications.Raise([endpoint.OwnerId], "webhook.paused",
                JsonStringLocalizerFactory.Text(Cultures.Chinese, "notifications.webhookPaused", shown, endpoint.ConsecutiveFailures),
                JsonStringLocalizerFactory.Text(Cultures.English, "notifications.webhookPaused", shown, endpoint.ConsecutiveFailures),
                "/Admin/Webhooks/" + endpoint.Id.ToString(CultureInfo.InvariantCulture));
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogWarning("Webhook endpoint {Endpoint} paused after {Failures} failed attempts in a row", endpoint.Id, endpoint.ConsecutiveFailures);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another node paused it first, or an administrator changed it meanwhile: their change stands.
                db.ChangeTracker.Clear();
            }
        }
    }
}
