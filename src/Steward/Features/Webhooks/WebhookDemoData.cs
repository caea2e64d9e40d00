using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Security;

namespace Steward.Features.Webhooks;

/// <summary>
/// The demo's one webhook endpoint, registered by admin: an address nothing listens on (port 9, "discard"), paused by
/// Steward after its failures, with two deliveries that show their attempts — so the page has something to show on the
/// first start, and the delivery job, which skips paused endpoints, never tries it. Resuming it shows the retries fail.
/// </summary>
public static class WebhookDemoData
{
    public static async Task SeedAsync(StewardDbContext db, PersonalDataProtector protector, DateTimeOffset now, CancellationToken ct)
    {
        var admin = await db.Set<Staff>().Where(s => s.Username == "admin").Select(s => s.Id).SingleAsync(ct);
        var endpoint = new WebhookEndpoint
        {
            Url = "http://127.0.0.1:9/steward-events", Description = "Core CRM (test)", OwnerId = admin, CreatedAt = now.AddDays(-2),
            EventTypes = string.Join(",", WebhookEventTypes.CaseCreated, WebhookEventTypes.CaseClosed, WebhookEventTypes.SlaBreached),
            SecretCipher = protector.Encrypt(WebhookSignature.NewSecret())!, PausedAt = now.AddHours(-20), PauseReason = WebhookPauseReason.Failures,
            ConsecutiveFailures = 10,
        };
        db.Add(endpoint);
        await db.SaveChangesAsync(ct);
        foreach (var (number, type, occurred) in new[] { (1, WebhookEventTypes.CaseCreated, now.AddDays(-1)), (2, WebhookEventTypes.CaseClosed, now.AddHours(-21)) })
        {
            var publicId = "evt_demo" + number;
            var payload = System.Text.Json.JsonSerializer.Serialize(new
            {
                id = publicId, type, occurredAt = occurred, data = new { @case = new { caseId = 0, reference = "SV-DEMO-" + number } },
            }, WebhookEvents.Json);
            var delivery = new WebhookDelivery
            {
                EndpointId = endpoint.Id, Event = new WebhookEvent { PublicId = publicId, Type = type, OccurredAt = occurred, Payload = payload },
                Status = number == 1 ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending, Attempts = number == 1 ? 8 : 2, CreatedAt = occurred,
                NextAttemptAt = occurred.AddMinutes(3), CompletedAt = number == 1 ? occurred.AddHours(3) : null,
                LastError = "Connection refused (127.0.0.1:9)",
            };
            db.Add(delivery);
            await db.SaveChangesAsync(ct);
            var at = occurred;
            for (var attempt = 1; attempt <= delivery.Attempts; attempt++)
            {
                db.Add(new WebhookAttempt
                {
                    DeliveryId = delivery.Id, Number = attempt, StartedAt = at, DurationMs = 2, Outcome = WebhookAttemptOutcome.ConnectionFailed,
                    Error = "Connection refused (127.0.0.1:9)",
                });
                at += TimeSpan.FromMinutes(Math.Pow(2, attempt - 1));
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
