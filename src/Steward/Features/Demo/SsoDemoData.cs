using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Identity.Sso;

namespace Steward.Features.Demo;

/// <summary>
/// The single sign-on group mapping in the demo (docs/decisions/0045): groups as a bank's directory might name them, so that
/// Admin → Single sign-on groups shows a working mapping on first start. Single sign-on itself stays off until an identity
/// provider is configured (Security:Sso).
/// </summary>
internal static class SsoDemoData
{
    public static async Task SeedAsync(StewardDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var branches = await db.Set<Branch>().Where(b => b.Code == "SH01" || b.Code == "BJ01").ToDictionaryAsync(b => b.Code, b => b.Id, ct);
        db.AddRange(
            new SsoGroupMapping { Group = "steward-agents", Role = StaffRole.Agent, CreatedAt = now },
            new SsoGroupMapping { Group = "steward-team-leads", Role = StaffRole.TeamLead, CreatedAt = now },
            new SsoGroupMapping { Group = "steward-compliance", Role = StaffRole.Compliance, CreatedAt = now },
            new SsoGroupMapping { Group = "branch-sh01", BranchId = branches["SH01"], CreatedAt = now },
            new SsoGroupMapping { Group = "branch-bj01", BranchId = branches["BJ01"], CreatedAt = now });
        await db.SaveChangesAsync(ct);
    }
}
