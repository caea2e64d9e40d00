using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Organisation;

/// <summary>
/// Administration of branches, teams and staff, shared by the admin pages and the API. Every
/// update names the version it was based on and is refused when that version is stale.
/// </summary>
public sealed partial class OrganisationService(StewardDbContext db, IPasswordHasher<Staff> hasher, PasswordPolicy passwordPolicy, TimeProvider time)
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
