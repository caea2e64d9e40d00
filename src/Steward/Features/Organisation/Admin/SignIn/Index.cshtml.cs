using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation.Admin.SignIn;

/// <summary>The sign-in policy: which roles must sign in with a second factor, and how many of their holders have one.</summary>
public sealed class SignInPolicyModel(TwoFactorService twoFactor, StewardDbContext db) : PageModel
{
    public sealed record RoleRow(StaffRole Role, bool Required, int Holders, int Enrolled);

    public IReadOnlyList<RoleRow> Rows { get; private set; } = [];

    public bool Saved { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(List<StaffRole>? required, CancellationToken ct)
    {
        var set = await twoFactor.SetRequiredRolesAsync(required ?? [], ct);
        Saved = set.Succeeded;
        Error = set.Error;
        if (!set.Succeeded)
        {
            Response.StatusCode = set.Error.Status;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var required = await twoFactor.RequiredRolesAsync(ct);
        var active = db.Set<StaffRoleAssignment>().Where(a => db.Set<Steward.Platform.Identity.Staff>().Any(s => s.Id == a.StaffId && s.IsActive));
        var holders = await active.GroupBy(a => a.Role).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var enrolled = await active.Where(a => db.Set<StaffTwoFactor>().Any(t => t.StaffId == a.StaffId && t.EnabledAt != null))
            .GroupBy(a => a.Role).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Rows = Enum.GetValues<StaffRole>().Select(r => new RoleRow(r, required.Contains(r),
            holders.SingleOrDefault(h => h.Key == r)?.Count ?? 0, enrolled.SingleOrDefault(e => e.Key == r)?.Count ?? 0)).ToList();
    }
}
