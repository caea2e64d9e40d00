using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Api;
using Steward.Platform.Background;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Webhooks;

/// <summary>Signed outbound webhooks (issue 17, docs/decisions/0047-webhooks.md).</summary>
public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<WebhookEvents>();
        services.AddScoped<WebhookAdministration>();
        services.AddScoped<Cases.ICaseLifecycleObserver, WebhookCaseObserver>();
        services.AddPersonalDataColumns<WebhookEndpoint>(e => e.SecretCipher);
        // No redirects (a receiver must answer where it was registered) and no client-wide timeout: each attempt has its
        // own, from the injected clock.
        services.AddHttpClient(WebhookDispatcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        services.AddScopedPeriodicJob<WebhookDispatcher, WebhookOptions>(WebhookDispatcher.JobName, o => TimeSpan.FromSeconds(o.IntervalSeconds), (d, ct) => d.RunAsync(ct));
        return services;
    }

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").RequireAuthorization(IdentitySetup.Policy(Permission.WebhooksManage));
        group.MapGet("/event-types", () => TypedResults.Ok(WebhookEventTypes.All))
            .WithSummary("The event types an endpoint can subscribe to.");
        group.MapGet("/endpoints", async (WebhookAdministration webhooks, CancellationToken ct) => TypedResults.Ok(await webhooks.ListAsync(ct)))
            .WithSummary("Registered webhook endpoints (never their secrets).");
        group.MapPost("/endpoints", async Task<Results<Created<WebhookEndpointWithSecret>, ProblemHttpResult>> (WebhookEndpointRequest r, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.CreateAsync(r, ct)).ToCreated(e => $"/api/v1/webhooks/endpoints/{e.Endpoint.Id}"))
            .WithSummary("Register an endpoint (audited). The answer holds its signing secret: the only time it is shown. https only, except to localhost.");
        group.MapGet("/endpoints/{id:long}", async Task<Results<Ok<WebhookEndpointDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.GetAsync(id, ct)).ToOk())
            .WithSummary("One endpoint.");
        group.MapPut("/endpoints/{id:long}", async Task<Results<Ok<WebhookEndpointDto>, ProblemHttpResult>> (long id, WebhookEndpointRequest r, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.UpdateAsync(id, r, ct)).ToOk())
            .WithSummary("Change an endpoint's address, description or events (audited); send the version you read.");
        group.MapDelete("/endpoints/{id:long}", async Task<Results<Ok<WebhookEndpointDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.DeleteAsync(id, ct)).ToOk())
            .WithSummary("Remove an endpoint with its deliveries (audited).");
        group.MapPost("/endpoints/{id:long}/pause", async Task<Results<Ok<WebhookEndpointDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.PauseAsync(id, ct)).ToOk())
            .WithSummary("Pause an endpoint (audited): its deliveries wait until it is resumed.");
        group.MapPost("/endpoints/{id:long}/resume", async Task<Results<Ok<WebhookEndpointDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.ResumeAsync(id, ct)).ToOk())
            .WithSummary("Resume a paused endpoint (audited): its waiting deliveries are due at once.");
        group.MapPost("/endpoints/{id:long}/rotate-secret", async Task<Results<Ok<WebhookEndpointWithSecret>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.RotateSecretAsync(id, ct)).ToOk())
            .WithSummary("Replace the signing secret (audited); the answer holds the new one, the only time it is shown. The old one stops at once.");
        group.MapGet("/endpoints/{id:long}/deliveries", async Task<Results<Ok<WebhookDeliveryPage>, ProblemHttpResult>> (long id, string? cursor, int? limit, WebhookAdministration webhooks, CancellationToken ct) =>
        {
            long? before = null;
            if (!string.IsNullOrEmpty(cursor))
            {
                if (!long.TryParse(cursor, CultureInfo.InvariantCulture, out var parsed))
                {
                    return Problems.From(Problems.Invalid("cursor", "Use the nextCursor of a previous page. 请使用上一页返回的 nextCursor。"));
                }

                before = parsed;
            }

            return (await webhooks.DeliveriesAsync(id, before, Math.Clamp(limit ?? 20, 1, 100), ct)).ToOk();
        }).WithSummary("An endpoint's deliveries, newest first, each with its attempts (time, duration, status code or error).");
        group.MapGet("/deliveries/{id:long}", async Task<Results<Ok<WebhookDeliveryDetailDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.DeliveryAsync(id, ct)).ToOk())
            .WithSummary("One delivery with its attempts and the exact body it sends.");
        group.MapPost("/deliveries/{id:long}/replay", async Task<Results<Ok<WebhookDeliveryDetailDto>, ProblemHttpResult>> (long id, WebhookAdministration webhooks, CancellationToken ct) =>
            (await webhooks.ReplayAsync(id, ct)).ToOk())
            .WithSummary("Send a delivered or given-up delivery again: a new delivery (new id) of the same event and body, due now.");
    }
}
