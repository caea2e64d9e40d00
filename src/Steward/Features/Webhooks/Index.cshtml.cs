using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Webhooks;

/// <summary>The registered webhook endpoints and the form to register one (docs/decisions/0047); the new secret is shown here once.</summary>
[RequirePermission(Permission.WebhooksManage)]
public sealed class WebhooksIndexModel(WebhookAdministration webhooks) : PageModel
{
    public IReadOnlyList<WebhookEndpointDto> Endpoints { get; private set; } = [];

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? Description { get; set; }

    [BindProperty]
    public List<string> EventTypes { get; set; } = [];

    public WebhookEndpointWithSecret? Created { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Endpoints = await webhooks.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var created = await webhooks.CreateAsync(new WebhookEndpointRequest(Address, Description, EventTypes), ct);
        if (created.Succeeded)
        {
            Created = created.Value;
            Address = null;
            Description = null;
            EventTypes = [];
        }
        else
        {
            Error = created.Error;
            Response.StatusCode = created.Error.Status;
        }

        Endpoints = await webhooks.ListAsync(ct);
        return Page();
    }

    /// <summary>An instant as the pages of this feature show it: UTC, to the second (what a receiver's log shows).</summary>
    public static string At(DateTimeOffset? at) => at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";
}
