using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;
using Steward.Platform.Localization;

namespace Steward.Features.Notifications;

public sealed class NotificationsModel(NotificationService notifications, CurrentUser user) : PageModel
{
    public NotificationPage Listing { get; private set; } = new([], 0, null);

    public async Task OnGetAsync(CancellationToken ct) =>
        Listing = await notifications.ListAsync(user.StaffId!.Value, false, null, 100, Cultures.IsChinese(CultureInfo.CurrentUICulture), ct);

    public async Task<IActionResult> OnPostReadAsync(long id, CancellationToken ct)
    {
        await notifications.MarkReadAsync(user.StaffId!.Value, id, ct);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await notifications.MarkReadAsync(user.StaffId!.Value, null, ct);
        return RedirectToPage();
    }
}
