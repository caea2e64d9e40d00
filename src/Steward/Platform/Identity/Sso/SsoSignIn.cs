using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Platform.Identity.Sso;

/// <summary>
/// A single sign-on's answer: the staff member, signed in (<see cref="Need"/> says whether a second factor still comes),
/// or the refusal recorded in the sign-in history.
/// </summary>
public sealed record SsoSignInResult(SignInOutcome Outcome, Staff? Staff = null, SecondFactorNeed Need = SecondFactorNeed.None);

/// <summary>
/// Turns the identity provider's validated id token into a Steward sign-in (docs/decisions/0045): the account is the active
/// staff member whose username equals the configured claim; their roles become exactly the roles their groups map to, and
/// their branches those their groups map to (home branch kept when it is among them, else the lowest mapped one; no branch
/// mapped leaves branches as they are). A change is saved as a change of the account (audited, new security stamp). An
/// unknown account, or groups that map to no role, is refused; every attempt is in the sign-in history (channel <c>sso</c>).
/// Two-factor: when the token's <c>amr</c> says the provider did multi-factor authentication (<c>mfa</c>), Steward asks no
/// code; otherwise the account's own rule applies (its authenticator if it has one, enrolment if a role requires it).
/// </summary>
public sealed class SsoSignIn(StewardDbContext db, IOptions<SsoOptions> options, SignInHistory history, TwoFactorService twoFactor, TimeProvider time, ILogger<SsoSignIn> logger)
{
    public const string Channel = "sso";

    public async Task<SsoSignInResult> SignInAsync(ClaimsPrincipal token, CancellationToken ct = default)
    {
        var name = token.FindFirst(options.Value.UsernameClaim)?.Value ?? "";
        var result = await ResolveAsync(name, token, ct);
        await history.RecordAsync(name, new SignInResult(result.Need == SecondFactorNeed.None ? result.Outcome : SignInOutcome.SecondFactorPending, result.Staff), ct, Channel);
        return result;
    }

    /// <summary>Records a single sign-on that failed before Steward saw a token (refused at the provider, a bad state or answer).</summary>
    public Task RecordFailureAsync(CancellationToken ct = default) =>
        history.RecordAsync("", new SignInResult(SignInOutcome.SsoFailed), ct, Channel);

    public static bool ProviderDidMfa(ClaimsPrincipal token) =>
        token.FindAll("amr").Any(c => string.Equals(c.Value, "mfa", StringComparison.OrdinalIgnoreCase));

    private async Task<SsoSignInResult> ResolveAsync(string name, ClaimsPrincipal token, CancellationToken ct)
    {
        var username = SignInService.Normalize(name);
        var staff = username.Length == 0 ? null
            : await db.Set<Staff>().Include(s => s.Roles).Include(s => s.ExtraBranches).SingleOrDefaultAsync(s => s.Username == username, ct);
        if (staff is not { IsActive: true })
        {
            return new SsoSignInResult(SignInOutcome.SsoUnknownAccount);
        }

        var groups = token.FindAll(options.Value.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var mapped = (await db.Set<SsoGroupMapping>().AsNoTracking().ToListAsync(ct)).Where(m => groups.Contains(m.Group)).ToList();
        var roles = mapped.Where(m => m.Role is not null).Select(m => m.Role!.Value).ToHashSet();
        if (roles.Count == 0)
        {
            return new SsoSignInResult(SignInOutcome.SsoNoMappedRole);
        }

        using var actor = HttpAuditActorAccessor.Use(new AuditActor(staff.Id, staff.Username));
        var branches = mapped.Where(m => m.BranchId is not null).Select(m => m.BranchId!.Value).ToHashSet();
        if (Apply(staff, roles, branches))
        {
            staff.SecurityStamp = Guid.NewGuid().ToString("N");
            logger.LogInformation("Single sign-on changed the roles or branches of staff account {StaffId} from its groups", staff.Id);
        }

        staff.LastSignInAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        var need = ProviderDidMfa(token) ? SecondFactorNeed.None : await twoFactor.NeedAsync(staff, ct);
        return new SsoSignInResult(SignInOutcome.Success, staff, need);
    }

    /// <summary>Makes the account's roles and branches those of its groups; true when anything changed.</summary>
    private static bool Apply(Staff staff, IReadOnlySet<StaffRole> roles, IReadOnlySet<long> branches)
    {
        var changed = false;
        foreach (var gone in staff.Roles.Where(r => !roles.Contains(r.Role)).ToList())
        {
            staff.Roles.Remove(gone);
            changed = true;
        }

        foreach (var role in roles.Where(r => staff.Roles.All(a => a.Role != r)).Order())
        {
            staff.Roles.Add(new StaffRoleAssignment { StaffId = staff.Id, Role = role });
            changed = true;
        }

        if (branches.Count == 0)
        {
            return changed;
        }

        if (!branches.Contains(staff.HomeBranchId))
        {
            staff.HomeBranchId = branches.Min();
            staff.TeamId = null; // a team belongs to one branch
            changed = true;
        }

        var extra = branches.Where(b => b != staff.HomeBranchId).ToHashSet();
        foreach (var gone in staff.ExtraBranches.Where(b => !extra.Contains(b.BranchId)).ToList())
        {
            staff.ExtraBranches.Remove(gone);
            changed = true;
        }

        foreach (var branch in extra.Where(b => staff.ExtraBranches.All(a => a.BranchId != b)).Order())
        {
            staff.ExtraBranches.Add(new StaffBranchAccess { StaffId = staff.Id, BranchId = branch });
            changed = true;
        }

        return changed;
    }
}
