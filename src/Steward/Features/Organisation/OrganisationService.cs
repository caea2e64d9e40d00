using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation;

/// <summary>A branch as saved. <see cref="RegulatoryStandardId"/>: its own regulatory preset for complaints, null = the institution's.</summary>
public sealed record BranchInput(string Code, string Name, string NameEn, string TimeZone, string? Address, bool IsActive = true, long? RegulatoryStandardId = null);

public sealed record BranchDto(long Id, string Code, string Name, string NameEn, string TimeZone, string? Address, bool IsActive, long? RegulatoryStandardId, int Version);

public sealed record TeamInput(long BranchId, string Name, string NameEn, bool IsActive = true);

public sealed record TeamDto(long Id, long BranchId, string Name, string NameEn, bool IsActive, int Version);

public sealed record StaffInput(
    string Username,
    string DisplayName,
    string? Email,
    long HomeBranchId,
    long? TeamId,
    IReadOnlyList<StaffRole> Roles,
    IReadOnlyList<long>? ExtraBranchIds = null,
    bool IsActive = true);

public sealed record StaffDto(
    long Id,
    string Username,
    string DisplayName,
    string? Email,
    long HomeBranchId,
    long? TeamId,
    IReadOnlyList<StaffRole> Roles,
    IReadOnlyList<long> ExtraBranchIds,
    bool IsActive,
    DateTimeOffset? LockedUntil,
    int Version);

/// <summary>
/// Administration of branches, teams and staff, shared by the admin pages and the API. Every
/// update names the version it was based on and is refused when that version is stale.
/// </summary>
public sealed class OrganisationService(StewardDbContext db, IPasswordHasher<Staff> hasher, PasswordPolicy passwordPolicy, TimeProvider time)
{
    public async Task<IReadOnlyList<BranchDto>> BranchesAsync(CurrentUser user, CancellationToken ct = default)
    {
        var query = db.Set<Branch>().AsNoTracking();
        if (!user.HasInstitutionScope)
        {
            var mine = user.BranchIds;
            query = query.Where(b => mine.Contains(b.Id));
        }

        return await query.OrderBy(b => b.Code).Select(b => ToDto(b)).ToListAsync(ct);
    }

    public async Task<BranchDto?> BranchAsync(long id, CancellationToken ct = default) =>
        await db.Set<Branch>().AsNoTracking().Where(b => b.Id == id).Select(b => ToDto(b)).SingleOrDefaultAsync(ct);

    public async Task<Outcome<BranchDto>> SaveBranchAsync(long? id, BranchInput input, int? expectedVersion, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var code = (input.Code ?? "").Trim().ToUpperInvariant();
        Require(errors, "code", code, 16, "Code");
        Require(errors, "name", input.Name, 200, "Name");
        Require(errors, "nameEn", input.NameEn, 200, "English name");
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(input.TimeZone ?? "") is null)
        {
            errors["timeZone"] = [$"'{input.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai). “{input.TimeZone}”不是有效的 IANA 时区（例如 Asia/Shanghai）。"];
        }

        if (code.Length > 0 && await db.Set<Branch>().AnyAsync(b => b.Code == code && b.Id != (id ?? 0), ct))
        {
            errors["code"] = [$"Another branch already has code {code}. 分支机构代码已存在。"];
        }

        if (input.RegulatoryStandardId is { } regime
            && !await db.Set<Sla.SlaStandard>().AnyAsync(s => s.Id == regime && s.Kind == Sla.SlaStandardKind.RegulatoryPreset, ct))
        {
            errors["regulatoryStandardId"] = [$"{regime} is not a regulatory preset. 不是监管预设标准。"];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var loaded = await LoadOrAddAsync<Branch>(id, expectedVersion, "branch", ct);
        if (loaded.Value is not { } branch)
        {
            return loaded.Error!;
        }

        branch.Code = code;
        branch.Name = input.Name!.Trim();
        branch.NameEn = input.NameEn!.Trim();
        branch.TimeZone = input.TimeZone!;
        branch.Address = string.IsNullOrWhiteSpace(input.Address) ? null : input.Address.Trim();
        branch.IsActive = input.IsActive;
        branch.RegulatoryStandardId = input.RegulatoryStandardId;
        await db.SaveChangesAsync(ct);
        return ToDto(branch);
    }

    public async Task<IReadOnlyList<TeamDto>> TeamsAsync(CurrentUser user, long? branchId, CancellationToken ct = default)
    {
        var query = db.Set<Team>().AsNoTracking();
        if (!user.HasInstitutionScope)
        {
            var mine = user.BranchIds;
            query = query.Where(t => mine.Contains(t.BranchId));
        }

        if (branchId is { } b)
        {
            query = query.Where(t => t.BranchId == b);
        }

        return await query.OrderBy(t => t.BranchId).ThenBy(t => t.Name).Select(t => ToDto(t)).ToListAsync(ct);
    }

    public async Task<Outcome<TeamDto>> SaveTeamAsync(long? id, TeamInput input, int? expectedVersion, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        Require(errors, "name", input.Name, 100, "Name");
        Require(errors, "nameEn", input.NameEn, 100, "English name");
        if (!await db.Set<Branch>().AnyAsync(b => b.Id == input.BranchId, ct))
        {
            errors["branchId"] = ["No such branch. 分支机构不存在。"];
        }
        else if (!string.IsNullOrWhiteSpace(input.Name)
            && await db.Set<Team>().AnyAsync(t => t.BranchId == input.BranchId && t.Name == input.Name.Trim() && t.Id != (id ?? 0), ct))
        {
            errors["name"] = ["This branch already has a team of that name. 该机构已有同名团队。"];
        }

        if (errors.Count > 0)
        {
            return Invalid(errors);
        }

        var loaded = await LoadOrAddAsync<Team>(id, expectedVersion, "team", ct);
        if (loaded.Value is not { } team)
        {
            return loaded.Error!;
        }

        team.BranchId = input.BranchId;
        team.Name = input.Name!.Trim();
        team.NameEn = input.NameEn!.Trim();
        team.IsActive = input.IsActive;
        await db.SaveChangesAsync(ct);
        return ToDto(team);
    }

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

    /// <summary>Loads a row for update (checking the caller's version), or adds a new one when <paramref name="id"/> is null.</summary>
    private async Task<Outcome<T>> LoadOrAddAsync<T>(long? id, int? expectedVersion, string what, CancellationToken ct)
        where T : class, IVersioned, new()
    {
        if (id is not { } existing)
        {
            var created = new T();
            db.Add(created);
            return created;
        }

        var found = await db.Set<T>().SingleOrDefaultAsync(e => EF.Property<long>(e, "Id") == existing, ct);
        if (found is null)
        {
            return NotFound(what);
        }

        return StaleCheck(found, expectedVersion) is { } stale ? stale : found;
    }

    private ConflictError? StaleCheck(IVersioned row, int? expectedVersion)
    {
        if (expectedVersion is { } expected)
        {
            if (expected != row.Version)
            {
                return Problems.StaleVersion();
            }

            // The UPDATE checks the version too, so a change that lands between read and write is also refused.
            db.Entry(row).Property(nameof(IVersioned.Version)).OriginalValue = expected;
        }

        return null;
    }

    private static void Require(Dictionary<string, string[]> errors, string field, string? value, int max, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"{label} is required. 此项必填。"];
        }
        else if (value.Trim().Length > max)
        {
            errors[field] = [$"{label} is longer than {max} characters. 超过 {max} 个字符。"];
        }
    }

    private static InvalidError Invalid(Dictionary<string, string[]> errors) =>
        new("validation", "Some fields are not valid 部分字段无效", string.Join(" ", errors.SelectMany(e => e.Value)), errors);

    private static NotFoundError NotFound(string what) => new("not-found", $"No such {what} 记录不存在", $"The {what} does not exist. 记录不存在。");

    private static BranchDto ToDto(Branch b) => new(b.Id, b.Code, b.Name, b.NameEn, b.TimeZone, b.Address, b.IsActive, b.RegulatoryStandardId, b.Version);

    private static TeamDto ToDto(Team t) => new(t.Id, t.BranchId, t.Name, t.NameEn, t.IsActive, t.Version);

    private static StaffDto ToDto(Staff s) => new(
        s.Id, s.Username, s.DisplayName, s.Email, s.HomeBranchId, s.TeamId,
        s.Roles.Select(r => r.Role).Order().ToList(), s.ExtraBranches.Select(b => b.BranchId).Order().ToList(),
        s.IsActive, s.LockedUntil, s.Version);
}
