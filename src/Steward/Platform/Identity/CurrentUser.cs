using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;

namespace Steward.Platform.Identity;

/// <summary>
/// The signed-in person as this request sees them: roles and branch scope are read from the
/// database on every request, so a role removed or an account disabled takes effect at once.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor http)
{
    public const string BranchClaim = "steward:branch";
    public const string ScopeClaim = "steward:scope";
    public const string DisplayNameClaim = "steward:display";
    public const string InstitutionScope = "institution";
    public const string TeamClaim = "steward:team";

    private ClaimsPrincipal User => http.HttpContext?.User ?? new ClaimsPrincipal();

    public bool IsAuthenticated => User.Identity?.IsAuthenticated == true;

    public long? StaffId => long.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id) ? id : null;

    public string Username => User.Identity?.Name ?? "";

    public string DisplayName => User.FindFirstValue(DisplayNameClaim) ?? Username;

    public IReadOnlyList<StaffRole> Roles => RolesOf(User);

    /// <summary>True when the person's roles reach every branch.</summary>
    public bool HasInstitutionScope => User.HasClaim(ScopeClaim, InstitutionScope);

    /// <summary>Branches this person may see; meaningless when <see cref="HasInstitutionScope"/>.</summary>
    public IReadOnlyList<long> BranchIds =>
        User.FindAll(BranchClaim).Select(c => long.Parse(c.Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>
    /// The person's team as read from the database for this request (null: no team), or unknown (<c>Known</c> false)
    /// when the principal was not loaded by <see cref="StaffClaimsTransformation"/>.
    /// </summary>
    public (bool Known, long? TeamId) Team => !User.HasClaim(c => c.Type == StaffClaimsTransformation.LoadedClaim)
        ? (false, null)
        : (true, long.TryParse(User.FindFirstValue(TeamClaim), CultureInfo.InvariantCulture, out var team) ? team : null);

    public bool Can(Permission permission) => RolePermissions.Grants(Roles, permission);

    public bool CanSeeBranch(long branchId) => HasInstitutionScope || BranchIds.Contains(branchId);

    public static IReadOnlyList<StaffRole> RolesOf(ClaimsPrincipal user) =>
        user.FindAll(ClaimTypes.Role).Select(c => Enum.TryParse<StaffRole>(c.Value, out var r) ? (StaffRole?)r : null)
            .OfType<StaffRole>().ToList();
}

/// <summary>
/// Adds roles, branch scope, team and display name to a signed-in principal from the database, and
/// empties the principal when the account was disabled, its security stamp changed or its session was revoked
/// (<see cref="StaffSessions"/>; a principal without a session key is one issued before sessions were kept).
/// </summary>
public sealed class StaffClaimsTransformation(StewardDbContext db, TimeProvider time) : IClaimsTransformation
{
    public const string LoadedClaim = "steward:loaded";

    public async Task<ClaimsPrincipal> TransformAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.HasClaim(c => c.Type == LoadedClaim))
        {
            return principal;
        }

        if (!long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var staffId))
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        var sessionKey = StaffSessions.CurrentKey(principal);
        var staff = await db.Set<Staff>().AsNoTracking()
            .Where(s => s.Id == staffId)
            .Select(s => new
            {
                s.IsActive,
                s.SecurityStamp,
                s.DisplayName,
                s.HomeBranchId,
                s.TeamId,
                Roles = s.Roles.Select(r => r.Role).ToList(),
                Extra = s.ExtraBranches.Select(b => b.BranchId).ToList(),
            })
            .SingleOrDefaultAsync();
        if (staff is null || !staff.IsActive || staff.SecurityStamp != principal.FindFirstValue(SignInService.StampClaim))
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }

        if (sessionKey is not null)
        {
            // A query of its own (by the unique key): as a subquery of the one above it needs APPLY, which SQLite lacks.
            var session = await db.Set<StaffSession>().AsNoTracking().Where(x => x.Key == sessionKey && x.StaffId == staffId)
                .Select(x => new { x.Id, x.LastSeenAt, x.RevokedAt }).SingleOrDefaultAsync();
            if (session is not { RevokedAt: null })
            {
                return new ClaimsPrincipal(new ClaimsIdentity());
            }

            await SessionCheck.TouchAsync(db, session.Id, session.LastSeenAt, time.GetUtcNow());
        }

        var identity = new ClaimsIdentity(principal.Identity.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaims(principal.Claims.Where(c => c.Type != CurrentUser.TeamClaim));
        identity.AddClaim(new Claim(LoadedClaim, "1"));
        identity.AddClaim(new Claim(CurrentUser.DisplayNameClaim, staff.DisplayName));
        if (staff.TeamId is { } team)
        {
            identity.AddClaim(new Claim(CurrentUser.TeamClaim, team.ToString(CultureInfo.InvariantCulture)));
        }
        foreach (var role in staff.Roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role.ToString()));
        }

        if (staff.Roles.Any(RolePermissions.HasInstitutionScope))
        {
            identity.AddClaim(new Claim(CurrentUser.ScopeClaim, CurrentUser.InstitutionScope));
        }

        foreach (var branch in staff.Extra.Prepend(staff.HomeBranchId).Distinct())
        {
            identity.AddClaim(new Claim(CurrentUser.BranchClaim, branch.ToString(CultureInfo.InvariantCulture)));
        }

        return new ClaimsPrincipal(identity);
    }
}
