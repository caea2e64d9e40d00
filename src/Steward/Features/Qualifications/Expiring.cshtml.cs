using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Steward.Platform.Identity;

namespace Steward.Features.Qualifications;

/// <summary>Certificates of the staff in one's branches expiring within 90 days (or expired in the last 30), soonest first.</summary>
[RequirePermission(Permission.QualificationsRead)]
public sealed class QualificationsExpiringModel(QualificationService qualifications) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Days { get; set; } = 90;

    public IReadOnlyList<ExpiringCertificateDto> Items { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Items = await qualifications.ExpiringAsync(Math.Clamp(Days, 1, 366), ct);
}
