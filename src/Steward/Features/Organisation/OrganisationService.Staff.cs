using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation;

/// <summary>The staff half of <see cref="OrganisationService"/>: listing, creating and changing staff, passwords and lock-outs.</summary>
public sealed partial class OrganisationService
{
    public async Task<IReadOnlyList<StaffDto>> StaffAsync(long? branchId, CancellationToken ct = default)
    {
        var list = await StaffQuery(branchId, null).ToListAsync(ct);
        return list.Select(ToDto).ToList();
    }

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of the staff, by username, of one home branch or all, whose username or
    /// name contains <paramref name="search"/> (ignoring case); and how many there are in all.
    /// </summary>
    public async Task<(IReadOnlyList<StaffDto> Items, int Total)> StaffPageAsync(long? branchId, string? search, int page, int pageSize, CancellationToken ct = default)
    {
        var query = StaffQuery(branchId, search);
        var total = await query.CountAsync(ct);
        var list = await query.Skip((Math.Max(page, 1) - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return (list.Select(ToDto).ToList(), total);
    }

    private IQueryable<Staff> StaffQuery(long? branchId, string? search)
    {
        var query = db.Set<Staff>().AsNoTracking().Include(s => s.Roles).Include(s => s.ExtraBranches).AsSplitQuery();
        if (branchId is { } b)
        {
            query = query.Where(s => s.HomeBranchId == b);
        }

        if (search?.Trim().ToLowerInvariant() is { Length: > 0 } q)
        {
            // Usernames are stored lower-case; display names are compared in SQL lower() (no culture involved, which CA1304 guards against).
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(s => s.Username.Contains(q) || s.DisplayName.ToLower().Contains(q));
#pragma warning restore CA1304, CA1311, CA1862
        }

        return query.OrderBy(s => s.Username).ThenBy(s => s.Id);
    }

    public async Task<StaffDto?> StaffMemberAsync(long id, CancellationToken ct = default)
    {
        var staff = await db.Set<Staff>().AsNoTracking().Include(s => s.Roles).Include(s => s.ExtraBranches).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        return staff is null ? null : ToDto(staff);
    }

    /// <summary>Creates a staff account with an initial password (which must meet the policy).</summary>
    public async Task<Outcome<StaffDto>> CreateStaffAsync(StaffInput input, string password, CancellationToken ct = default)
    {
        var errors = await ValidateStaffAsync(null, input, ct);
        var username = SignInService.Normalize(input.Username ?? "");
        var broken = passwordPolicy.Check(password ?? "", username);
        if (broken.Count > 0)
        {
            errors["password"] = broken.Select(PasswordMessage).ToArray();
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var staff = new Staff();
        Apply(staff, input);
        staff.PasswordHash = hasher.HashPassword(staff, password!);
        db.Add(staff);
        await db.SaveChangesAsync(ct);
        return ToDto(staff);
    }

    public async Task<Outcome<StaffDto>> UpdateStaffAsync(long id, StaffInput input, int? expectedVersion, CancellationToken ct = default)
    {
        var staff = await db.Set<Staff>().Include(s => s.Roles).Include(s => s.ExtraBranches).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null)
        {
            return NotFound("staff");
        }

        var errors = await ValidateStaffAsync(id, input with { Username = staff.Username }, ct);
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        if (StaleCheck(staff, expectedVersion) is { } stale)
        {
            return stale;
        }

        var accessChanged = staff.IsActive != input.IsActive || staff.HomeBranchId != input.HomeBranchId
            || !staff.Roles.Select(r => r.Role).Order().SequenceEqual(input.Roles.Distinct().Order())
            || !staff.ExtraBranches.Select(b => b.BranchId).Order().SequenceEqual((input.ExtraBranchIds ?? []).Distinct().Order());
        Apply(staff, input with { Username = staff.Username });
        if (accessChanged)
        {
            staff.SecurityStamp = Guid.NewGuid().ToString("N");
        }

        db.Entry(staff).Property(s => s.Version).IsModified = true;
        await db.SaveChangesAsync(ct);
        return ToDto(staff);
    }

    /// <summary>An administrator sets a new password; other sign-ins of the account end.</summary>
    public async Task<Outcome<StaffDto>> ResetPasswordAsync(long id, string password, CancellationToken ct = default)
    {
        var staff = await db.Set<Staff>().Include(s => s.Roles).Include(s => s.ExtraBranches).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null)
        {
            return NotFound("staff");
        }

        var broken = passwordPolicy.Check(password ?? "", staff.Username);
        if (broken.Count > 0)
        {
            return Invalid(new Dictionary<string, string[]> { ["password"] = broken.Select(PasswordMessage).ToArray() });
        }

        staff.PasswordHash = hasher.HashPassword(staff, password!);
        staff.SecurityStamp = Guid.NewGuid().ToString("N");
        staff.FailedSignIns = 0;
        staff.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return ToDto(staff);
    }

    public async Task<Outcome<StaffDto>> UnlockAsync(long id, CancellationToken ct = default)
    {
        var staff = await db.Set<Staff>().Include(s => s.Roles).Include(s => s.ExtraBranches).AsSplitQuery().SingleOrDefaultAsync(s => s.Id == id, ct);
        if (staff is null)
        {
            return NotFound("staff");
        }

        staff.FailedSignIns = 0;
        staff.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return ToDto(staff);
    }

    public bool IsLocked(StaffDto staff) => staff.LockedUntil is { } until && until > time.GetUtcNow();

    public static string PasswordMessage(string key) => key switch
    {
        "password.too_short" => "The password is too short. 密码太短。",
        "password.too_simple" => "Use at least three of: lower case, upper case, digits, symbols. 需包含小写、大写、数字、符号中至少三类。",
        "password.contains_username" => "The password must not contain the username. 密码不能包含用户名。",
        _ => key,
    };

    private async Task<Dictionary<string, string[]>> ValidateStaffAsync(long? id, StaffInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var username = SignInService.Normalize(input.Username ?? "");
        if (username.Length is < 3 or > 64 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            errors["username"] = ["3–64 characters: letters, digits, '.', '-', '_'. 用户名为 3–64 位字母、数字或 . - _。"];
        }
        else if (id is null && await db.Set<Staff>().AnyAsync(s => s.Username == username, ct))
        {
            errors["username"] = ["That username is taken. 用户名已被使用。"];
        }

        Require(errors, "displayName", input.DisplayName, 100, "Display name");
        if (input.Email is { Length: > 0 } email && (email.Length > 200 || !email.Contains('@', StringComparison.Ordinal)))
        {
            errors["email"] = ["Not an e-mail address. 电子邮件格式不正确。"];
        }

        if (input.Roles is null || input.Roles.Count == 0)
        {
            errors["roles"] = ["Give at least one role. 至少选择一个角色。"];
        }

        var branchIds = (input.ExtraBranchIds ?? []).Append(input.HomeBranchId).Distinct().ToList();
        var known = await db.Set<Branch>().CountAsync(b => branchIds.Contains(b.Id), ct);
        if (known != branchIds.Count)
        {
            errors["homeBranchId"] = ["No such branch. 分支机构不存在。"];
        }

        if (input.TeamId is { } teamId && !await db.Set<Team>().AnyAsync(t => t.Id == teamId && t.BranchId == input.HomeBranchId, ct))
        {
            errors["teamId"] = ["The team must belong to the home branch. 团队须属于所属机构。"];
        }

        return errors;
    }

    private static void Apply(Staff staff, StaffInput input)
    {
        staff.Username = SignInService.Normalize(input.Username);
        staff.DisplayName = input.DisplayName.Trim();
        staff.Email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
        staff.HomeBranchId = input.HomeBranchId;
        staff.TeamId = input.TeamId;
        staff.IsActive = input.IsActive;
        var roles = input.Roles.Distinct().ToHashSet();
        staff.Roles.RemoveAll(r => !roles.Contains(r.Role));
        foreach (var role in roles.Where(r => staff.Roles.All(x => x.Role != r)))
        {
            staff.Roles.Add(new StaffRoleAssignment { Role = role });
        }

        var extra = (input.ExtraBranchIds ?? []).Where(b => b != input.HomeBranchId).Distinct().ToHashSet();
        staff.ExtraBranches.RemoveAll(b => !extra.Contains(b.BranchId));
        foreach (var branch in extra.Where(b => staff.ExtraBranches.All(x => x.BranchId != b)))
        {
            staff.ExtraBranches.Add(new StaffBranchAccess { BranchId = branch });
        }
    }
}
