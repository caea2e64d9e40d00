using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Platform.Identity.Sso;

/// <summary>
/// One line of the mapping from the identity provider's groups to Steward: members of <see cref="Group"/> hold
/// <see cref="Role"/> and/or may work in <see cref="BranchId"/>. At each single sign-on the person's roles are exactly the
/// roles their groups map to, and their branches those their groups map to (when any do). Set by administrators, audited.
/// </summary>
public sealed class SsoGroupMapping : IAuditable
{
    public long Id { get; set; }

    /// <summary>The group's name or id as the provider writes it in the groups claim (compared without regard to case).</summary>
    public string Group { get; set; } = "";

    public StaffRole? Role { get; set; }

    public long? BranchId { get; set; }

    public long? CreatedById { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SsoGroupMappingConfiguration : IEntityTypeConfiguration<SsoGroupMapping>
{
    public void Configure(EntityTypeBuilder<SsoGroupMapping> builder)
    {
        builder.ToTable("sso_group_mappings");
        builder.Property(m => m.Group).HasMaxLength(200);
        builder.HasIndex(m => m.Group);
        builder.HasOne<Features.Organisation.Branch>().WithMany().HasForeignKey(m => m.BranchId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record SsoGroupMappingDto(long Id, string Group, StaffRole? Role, long? BranchId, string? BranchCode, DateTimeOffset CreatedAt);

public sealed record SsoGroupMappingRequest(string? Group, StaffRole? Role, long? BranchId);

public sealed record SsoGroupMappingNotFound() : NotFoundError("sso-group-mapping-not-found", "Mapping not found 未找到该映射",
    "There is no such group mapping. 没有此群组映射。");

public sealed record SsoGroupMappingDuplicate() : ConflictError("sso-group-mapping-duplicate", "The mapping exists already 该映射已存在",
    "This group already maps to this role and branch. 该群组已映射到此角色和网点。");

/// <summary>Lists, adds and removes <see cref="SsoGroupMapping"/>s (each change audited by the unit of work).</summary>
public sealed class SsoGroupMappings(StewardDbContext db, CurrentUser me, TimeProvider time)
{
    public async Task<IReadOnlyList<SsoGroupMappingDto>> ListAsync(CancellationToken ct = default) =>
        await db.Set<SsoGroupMapping>().AsNoTracking().OrderBy(m => m.Group).ThenBy(m => m.Id)
            .Select(m => new SsoGroupMappingDto(m.Id, m.Group, m.Role, m.BranchId,
                db.Set<Features.Organisation.Branch>().Where(b => b.Id == m.BranchId).Select(b => b.Code).FirstOrDefault(), m.CreatedAt))
            .ToListAsync(ct);

    public async Task<Outcome<SsoGroupMappingDto>> AddAsync(SsoGroupMappingRequest request, CancellationToken ct = default)
    {
        var group = request.Group?.Trim() ?? "";
        var errors = new Dictionary<string, string[]>();
        if (group.Length is 0 or > 200)
        {
            errors["group"] = ["Enter the group's name or id as the identity provider sends it (at most 200 characters). 请填写身份提供方发送的群组名称或编号（不超过 200 个字符）。"];
        }

        var branchKnown = request.BranchId is { } branchId && await db.Set<Features.Organisation.Branch>().AnyAsync(b => b.Id == branchId, ct);
        if (request.BranchId is not null && !branchKnown)
        {
            errors["branchId"] = ["There is no such branch. 没有此网点。"];
        }

        // A mapping must give something: a role, or a branch that exists.
        if (request.Role is null && !branchKnown)
        {
            errors["role"] = ["Choose a role, a branch or both. 请选择角色或网点，或两者都选。"];
        }

        if (errors.Count > 0)
        {
            return new InvalidError("validation", "The mapping is not valid 映射无效", "Correct the marked fields. 请更正标出的字段。", errors);
        }

        var existing = await db.Set<SsoGroupMapping>().Where(m => m.Role == request.Role && m.BranchId == request.BranchId).Select(m => m.Group).ToListAsync(ct);
        if (existing.Any(g => string.Equals(g, group, StringComparison.OrdinalIgnoreCase)))
        {
            return new SsoGroupMappingDuplicate();
        }

        var row = new SsoGroupMapping { Group = group, Role = request.Role, BranchId = request.BranchId, CreatedById = me.StaffId, CreatedAt = time.GetUtcNow() };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return (await ListAsync(ct)).Single(m => m.Id == row.Id);
    }

    public async Task<Outcome<SsoGroupMappingDto>> RemoveAsync(long id, CancellationToken ct = default)
    {
        var dto = (await ListAsync(ct)).SingleOrDefault(m => m.Id == id);
        if (dto is null)
        {
            return new SsoGroupMappingNotFound();
        }

        db.Remove(await db.Set<SsoGroupMapping>().SingleAsync(m => m.Id == id, ct));
        await db.SaveChangesAsync(ct);
        return dto;
    }
}
