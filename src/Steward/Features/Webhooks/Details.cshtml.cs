using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Webhooks;

/// <summary>
/// One webhook endpoint: its settings (change, pause, resume, rotate the secret, remove) and its newest deliveries with
/// every attempt, each delivered or given-up one with a Replay button.
/// </summary>
[RequirePermission(Permission.WebhooksManage)]
public sealed class WebhookDetailsModel(WebhookAdministration webhooks) : PageModel
{
    public const int PageSize = 50;

    public WebhookEndpointDto? Endpoint { get; private set; }

    public IReadOnlyList<WebhookDeliveryDto> Deliveries { get; private set; } = [];

    public string? NextCursor { get; private set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<string> EventTypes { get; set; } = [];

    [BindProperty]
    public int? Version { get; set; }

    /// <summary>What was just done, for the status line (<c>webhooks.done.&lt;Done&gt;</c>).</summary>
    public string? Done { get; private set; }

    /// <summary>The new secret after a rotation: shown once.</summary>
    public string? Secret { get; private set; }

    public Error? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, long? before, CancellationToken ct) => await LoadAsync(id, before, fillForm: true, ct);

    public async Task<IActionResult> OnPostSaveAsync(long id, CancellationToken ct)
    {
        var saved = await webhooks.UpdateAsync(id, new WebhookEndpointRequest(Address, Description, EventTypes, Version), ct);
        return await AfterAsync(id, saved.Error, "saved", fillForm: saved.Succeeded, ct);
    }

    public async Task<IActionResult> OnPostPauseAsync(long id, CancellationToken ct) =>
        await AfterAsync(id, (await webhooks.PauseAsync(id, ct)).Error, "paused", fillForm: true, ct);

    public async Task<IActionResult> OnPostResumeAsync(long id, CancellationToken ct) =>
        await AfterAsync(id, (await webhooks.ResumeAsync(id, ct)).Error, "resumed", fillForm: true, ct);

    public async Task<IActionResult> OnPostRotateAsync(long id, CancellationToken ct)
    {
        var rotated = await webhooks.RotateSecretAsync(id, ct);
        Secret = rotated.Value?.Secret;
        return await AfterAsync(id, rotated.Error, "rotated", fillForm: true, ct);
    }

    public async Task<IActionResult> OnPostReplayAsync(long id, long deliveryId, CancellationToken ct)
    {
        var delivery = await webhooks.DeliveryAsync(deliveryId, ct);
        // A delivery of another endpoint is refused as unknown here: the form only offers this endpoint's.
        var replayed = delivery.Succeeded && delivery.Value.Delivery.EndpointId == id ? (await webhooks.ReplayAsync(deliveryId, ct)).Error : delivery.Error ?? new WebhookDeliveryNotFound();
        return await AfterAsync(id, replayed, "replayed", fillForm: true, ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken ct)
    {
        var deleted = await webhooks.DeleteAsync(id, ct);
        return deleted.Succeeded ? RedirectToPage("Index") : await AfterAsync(id, deleted.Error, "", fillForm: true, ct);
    }

    private async Task<IActionResult> AfterAsync(long id, Error? error, string done, bool fillForm, CancellationToken ct)
    {
        if (error is null)
        {
            Done = done;
        }
        else
        {
            Error = error;
            Response.StatusCode = error.Status;
        }

        return await LoadAsync(id, null, fillForm, ct);
    }

    private async Task<IActionResult> LoadAsync(long id, long? before, bool fillForm, CancellationToken ct)
    {
        var found = await webhooks.GetAsync(id, ct);
        if (!found.Succeeded)
        {
            return NotFound();
        }

        Endpoint = found.Value;
        if (fillForm)
        {
            (Address, Description, EventTypes, Version) = (Endpoint.Url, Endpoint.Description, [.. Endpoint.EventTypes], Endpoint.Version);
        }

        var page = (await webhooks.DeliveriesAsync(id, before, PageSize, ct)).Value!;
        Deliveries = page.Items;
        NextCursor = page.NextCursor;
        return Page();
    }
}
