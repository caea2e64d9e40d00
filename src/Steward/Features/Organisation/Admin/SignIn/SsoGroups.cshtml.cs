using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Identity.Sso;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation.Admin.SignIn;

/// <summary>The single sign-on group mapping: which of the identity provider's groups give which role and branch (docs/decisions/0045).</summary>
[RequirePermission(Permission.SessionsManage)]
public sealed class SsoGroupsModel(SsoGroupMappings mappings, StewardDbContext db, IOptions<SsoOptions> sso) : PageModel
{
    public sealed record BranchOption(long Id, string Code, string Name, string NameEn);

    public IReadOnlyList<SsoGroupMappingDto> Rows { get; private set; } = [];

    public IReadOnlyList<BranchOption> Branches { get; private set; } = [];

    public SsoOptions Sso => sso.Value;

    [BindProperty]
    public string? Group { get; set; }

    [BindProperty]
    public StaffRole? Role { get; set; }

    [BindProperty]
    public long? BranchId { get; set; }

    public string? Saved { get; private set; }

    public Error? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        // A role that is not one of Steward's (a tampered form) never gets here: the input guard answers 400 naming the field.
        var added = await mappings.AddAsync(new SsoGroupMappingRequest(Group, Role, BranchId), ct);
        if (added.Succeeded)
        {
            Saved = "added";
            Group = null;
            Role = null;
            BranchId = null;
        }
        else
        {
            Error = added.Error;
            Response.StatusCode = added.Error.Status;
        }

        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        var removed = await mappings.RemoveAsync(id, ct);
        if (removed.Succeeded)
        {
            Saved = "removed";
        }
        else
        {
            Error = removed.Error;
            Response.StatusCode = removed.Error.Status;
        }

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rows = await mappings.ListAsync(ct);
        Branches = await db.Set<Branch>().AsNoTracking().OrderBy(b => b.Code).Select(b => new BranchOption(b.Id, b.Code, b.Name, b.NameEn)).ToListAsync(ct);
    }
}
