using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace Steward.Bench.Scenarios;

/// <summary>
/// Webhook deliveries per second (issue 17): an endpoint subscribed to <c>case.created</c> pointing at a receiver in the bench
/// process (HttpListener on 127.0.0.1, answering 200 at once), then cases created as sh.agent1; measured from the first delivery
/// received to the last. The endpoint is removed afterwards so that later scenarios do not pay for it.
/// </summary>
public sealed class WebhookScenario : Scenario
{
    public override string Name => "webhooks";

    public override string Description => "Register a webhook endpoint for `case.created` aimed at a receiver in the bench (127.0.0.1, answers 200), pause it, create cases as `sh.agent1` "
        + "(8 at a time), resume it and time the deliveries: signed POSTs sent by Steward's delivery job (claimed in batches of 50, 8 at a time). Quick: 200 cases; full: 2,000.";

    public override IReadOnlyList<string> RequiredOperations => ["POST /api/v1/webhooks/endpoints", "DELETE /api/v1/webhooks/endpoints/{id}", "POST /api/v1/cases"];

    public override async Task RunAsync(BenchContext context, ScenarioResult result, CancellationToken cancellationToken)
    {
        var count = context.Options.Quick ? 200 : 2_000;
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = 0;
        var firstAt = TimeSpan.Zero;
        var lastAt = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext request;
                try
                {
                    request = await listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                request.Response.StatusCode = 200;
                request.Response.Close();
                var n = Interlocked.Increment(ref received);
                if (n == 1)
                {
                    firstAt = clock.Elapsed;
                }

                lastAt = clock.Elapsed;
                if (n >= count)
                {
                    all.TrySetResult();
                }
            }
        }, cancellationToken);

        var admin = await context.TokenAsync("admin", cancellationToken);
        using var register = new HttpRequestMessage(HttpMethod.Post, "api/v1/webhooks/endpoints")
        {
            Content = JsonContent.Create(new { url = $"http://127.0.0.1:{port}/hook", description = "bench", eventTypes = new[] { "case.created" } }),
        };
        register.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
        using var registered = await context.Http.SendAsync(register, cancellationToken);
        if (registered.StatusCode != HttpStatusCode.Created)
        {
            result.Fail($"registering the endpoint answered {(int)registered.StatusCode}");
            return;
        }

        var endpointId = JsonDocument.Parse(await registered.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("endpoint").GetProperty("id").GetInt64();
        async Task PostAsync(string action)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/webhooks/endpoints/{endpointId}/{action}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
            using var response = await context.Http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                result.Fail($"{action} answered {(int)response.StatusCode}");
            }
        }

        try
        {
            // Paused while the cases are created, so that the deliveries wait and the drain after resuming measures delivery alone.
            await PostAsync("pause");
            var agent = await context.TokenAsync("sh.agent1", cancellationToken);
            var run = Guid.NewGuid().ToString("N")[..8];
            var created = 0;
            var failed = 0;
            var firstRefusal = 0;
            var intake = Stopwatch.StartNew();
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/cases")
                {
                    Content = JsonContent.Create(new { kind = "Consultation", channel = "Phone", subject = "Webhook bench " + i.ToString(CultureInfo.InvariantCulture), description = "Bench.",
                        contact = new { name = "Bench", phone = "13800138000" } }),
                };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", agent);
                request.Headers.Add("Idempotency-Key", $"bench-webhooks-{run}-{i}");
                using var response = await context.Http.SendAsync(request, ct);
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref created : ref failed);
                if (!response.IsSuccessStatusCode && Interlocked.Exchange(ref firstRefusal, 1) == 0)
                {
                    result.Notes.Add($"first refusal: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
                }
            });
            intake.Stop();
            if (failed > 0)
            {
                result.Fail($"{failed} of {count} cases were refused");
            }

            await PostAsync("resume");

            var finished = await Task.WhenAny(all.Task, Task.Delay(TimeSpan.FromMinutes(3), cancellationToken)) == all.Task;
            var span = (lastAt - firstAt).TotalSeconds;
            result.Figures.Add(("cases created", $"{created} in {intake.Elapsed.TotalSeconds:0.0} s"));
            result.Figures.Add(("deliveries received", $"{received} of {created}"));
            result.Figures.Add(("first to last delivery", $"{span:0.00} s"));
            result.Figures.Add(("deliveries per second", span > 0 ? (received / span).ToString("0", CultureInfo.InvariantCulture) : "—"));
            if (!finished)
            {
                result.Fail($"only {received} of {created} deliveries arrived within 3 minutes");
            }

            result.Notes.Add("The endpoint is paused while the cases are created and resumed afterwards: the figure is the drain of the waiting deliveries by the "
                + "delivery job (which takes batch after batch while they come full), from the first received to the last, without the intake.");
        }
        finally
        {
            using var remove = new HttpRequestMessage(HttpMethod.Delete, $"api/v1/webhooks/endpoints/{endpointId}");
            remove.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", admin);
            using var _ = await context.Http.SendAsync(remove, cancellationToken);
            listener.Stop();
            await receiving;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
