using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Steward.Features.Organisation;
using Steward.Features.Qualifications;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Queues;

/// <summary>
/// The queue set-up of a branch: its service types and counters. Read by anyone who serves or manages the branch's queue;
/// changed by <see cref="Permission.QueueManage"/> (branch manager for their branches, administrator everywhere). Audited.
/// </summary>
public sealed partial class QueueAdmin(StewardDbContext db, CurrentUser user)
{
    /// <summary>The active branches in the caller's scope (by code), and <paramref name="wanted"/> if it is one of them, else the first.</summary>
    public async Task<(IReadOnlyList<Branch> Branches, long? Chosen)> BranchesAsync(long? wanted, CancellationToken ct = default)
    {
        var mine = user.BranchIds;
        var scope = db.Set<Branch>().AsNoTracking().Where(b => b.IsActive);
        var branches = await (user.HasInstitutionScope ? scope : scope.Where(b => mine.Contains(b.Id))).OrderBy(b => b.Code).ToListAsync(ct);
        return (branches, wanted is { } id && branches.Any(b => b.Id == id) ? id : branches.FirstOrDefault()?.Id);
    }

    public async Task<Outcome<IReadOnlyList<ServiceTypeDto>>> ServiceTypesAsync(long branchId, CancellationToken ct = default)
    {
        if (Read(branchId) is { } denied)
        {
            return denied;
        }

        return await db.Set<QueueServiceType>().AsNoTracking().Where(s => s.BranchId == branchId).OrderBy(s => s.SortOrder).ThenBy(s => s.Prefix)
            .Select(s => ToDto(s)).ToListAsync(ct);
    }

    public async Task<Outcome<IReadOnlyList<CounterDto>>> CountersAsync(long branchId, CancellationToken ct = default)
    {
        if (Read(branchId) is { } denied)
        {
            return denied;
        }

        var counters = await db.Set<QueueCounter>().AsNoTracking().Where(c => c.BranchId == branchId).OrderBy(c => c.Number).ToListAsync(ct);
        var staffIds = counters.Select(c => c.StaffId).OfType<long>().ToList();
        var names = await db.Set<Staff>().AsNoTracking().Where(s => staffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.DisplayName, ct);
        return counters.Select(c => ToDto(c, c.StaffId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }

    public async Task<Outcome<ServiceTypeDto>> SaveServiceTypeAsync(long branchId, long? id, ServiceTypeInput input, int? expectedVersion, CancellationToken ct = default)
    {
        if (await WriteAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var errors = new Dictionary<string, string[]>();
        var prefix = input.Prefix?.Trim().ToUpperInvariant() ?? "";
        Require(errors, "name", input.Name, "Enter the Chinese name. 请输入中文名称。");
        Require(errors, "nameEn", input.NameEn, "Enter the English name. 请输入英文名称。");
        if (!Letter().IsMatch(prefix))
        {
            errors["prefix"] = ["The letter is one of A–Z. 字母须为 A–Z 之一。"];
        }

        if (input.TargetWaitMinutes is not (null or (>= 1 and <= 600)))
        {
            errors["targetWaitMinutes"] = ["The target wait is 1–600 minutes. 目标等候时间为 1–600 分钟。"];
        }

        if (input.AppointmentSlotMinutes is not (null or (>= 5 and <= 240)))
        {
            errors["appointmentSlotMinutes"] = ["An appointment slot is 5–240 minutes long; leave it empty for the institution's setting. 预约时段长度为 5–240 分钟；留空则按机构设置。"];
        }

        if (input.AppointmentCapacity is not (null or (>= 0 and <= 100)))
        {
            errors["appointmentCapacity"] = ["Places per slot are 0–100 (0: no appointments); leave it empty for the institution's setting. 每时段名额为 0–100（0 表示不接受预约）；留空则按机构设置。"];
        }

        if (input.RequiredQualificationTypeId is { } q && !await db.Set<QualificationType>().AnyAsync(t => t.Id == q, ct))
        {
            errors["requiredQualificationTypeId"] = ["No such qualification type. 资格类型不存在。"];
        }

        if (errors.Count > 0)
        {
            return new QueueInvalid(errors);
        }

        var type = id is { } existing ? await db.Set<QueueServiceType>().SingleOrDefaultAsync(s => s.Id == existing && s.BranchId == branchId, ct) : new QueueServiceType { BranchId = branchId };
        if (type is null)
        {
            return new ServiceTypeNotFound(id!.Value);
        }

        if (expectedVersion is { } v && type.Id != 0 && v != type.Version)
        {
            return Problems.StaleVersion();
        }

        if (await db.Set<QueueServiceType>().AnyAsync(s => s.BranchId == branchId && s.Prefix == prefix && s.Id != type.Id, ct))
        {
            return new PrefixTaken(prefix);
        }

        type.Name = input.Name!.Trim();
        type.NameEn = input.NameEn!.Trim();
        type.Prefix = prefix;
        type.TargetWaitMinutes = input.TargetWaitMinutes ?? type.TargetWaitMinutes;
        type.RequiredQualificationTypeId = input.RequiredQualificationTypeId;
        type.SortOrder = input.SortOrder ?? type.SortOrder;
        type.IsActive = input.IsActive ?? type.IsActive;
        type.AppointmentSlotMinutes = input.AppointmentSlotMinutes;
        type.AppointmentCapacity = input.AppointmentCapacity;
        if (type.Id == 0)
        {
            db.Add(type);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (QueueServiceTypeConfiguration.OneLetterPerBranch.IsViolatedBy(e))
        {
            // Someone else gave the letter to another service type between the check above and this save.
            return new PrefixTaken(prefix);
        }

        return ToDto(type);
    }

    public async Task<Outcome<CounterDto>> SaveCounterAsync(long branchId, long? id, CounterInput input, int? expectedVersion, CancellationToken ct = default)
    {
        if (await WriteAsync(branchId, ct) is { } denied)
        {
            return denied;
        }

        var errors = new Dictionary<string, string[]>();
        Require(errors, "name", input.Name, "Enter the Chinese name. 请输入中文名称。");
        Require(errors, "nameEn", input.NameEn, "Enter the English name. 请输入英文名称。");
        if (input.Number is not (>= 1 and <= 999))
        {
            errors["number"] = ["The counter number is 1–999. 窗口号为 1–999。"];
        }

        var typeIds = (input.ServiceTypeIds ?? []).Distinct().ToList();
        var known = await db.Set<QueueServiceType>().Where(s => s.BranchId == branchId && typeIds.Contains(s.Id)).CountAsync(ct);
        if (typeIds.Count == 0 || known != typeIds.Count)
        {
            errors["serviceTypeIds"] = [typeIds.Count == 0 ? "Choose at least one service. 请至少选择一项业务。" : "A service is not one of this branch's. 所选业务不属于本网点。"];
        }

        if (errors.Count > 0)
        {
            return new QueueInvalid(errors);
        }

        var counter = id is { } existing ? await db.Set<QueueCounter>().SingleOrDefaultAsync(c => c.Id == existing && c.BranchId == branchId, ct) : new QueueCounter { BranchId = branchId };
        if (counter is null)
        {
            return new CounterNotFound(id!.Value);
        }

        if (expectedVersion is { } v && counter.Id != 0 && v != counter.Version)
        {
            return Problems.StaleVersion();
        }

        if (await db.Set<QueueCounter>().AnyAsync(c => c.BranchId == branchId && c.Number == input.Number && c.Id != counter.Id, ct))
        {
            return new CounterNumberTaken(input.Number!.Value);
        }

        counter.Number = input.Number!.Value;
        counter.Name = input.Name!.Trim();
        counter.NameEn = input.NameEn!.Trim();
        counter.ServiceTypeIds = QueueIds.Format(typeIds);
        counter.IsPriorityCounter = input.IsPriorityCounter ?? counter.IsPriorityCounter;
        counter.IsWealthZone = input.IsWealthZone ?? counter.IsWealthZone;
        counter.IsActive = input.IsActive ?? counter.IsActive;
        if (counter.Id == 0)
        {
            db.Add(counter);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (QueueCounterConfiguration.OneNumberPerBranch.IsViolatedBy(e))
        {
            return new CounterNumberTaken(counter.Number);
        }

        return ToDto(counter, null);
    }

    public static ServiceTypeDto ToDto(QueueServiceType s) =>
        new(s.Id, s.BranchId, s.Name, s.NameEn, s.Prefix, s.TargetWaitMinutes, s.RequiredQualificationTypeId, s.SortOrder, s.IsActive, s.Version,
            s.AppointmentSlotMinutes, s.AppointmentCapacity);

    public static CounterDto ToDto(QueueCounter c, string? staffName) =>
        new(c.Id, c.BranchId, c.Number, c.Name, c.NameEn, c.ServedTypeIds(), c.IsPriorityCounter, c.IsWealthZone, c.IsActive, c.StaffId, staffName, c.Version);

    private static void Require(Dictionary<string, string[]> errors, string field, string? value, string message)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [message];
        }
        else if (value.Trim().Length > 100)
        {
            errors[field] = ["At most 100 characters. 最多 100 个字符。"];
        }
    }

    private Error? Read(long branchId) =>
        (user.Can(Permission.QueueServe) || user.Can(Permission.QueueManage)) && user.CanSeeBranch(branchId) ? null : new QueueBranchNotFound(branchId);

    private async Task<Error?> WriteAsync(long branchId, CancellationToken ct)
    {
        if (!user.Can(Permission.QueueManage))
        {
            return new QueueForbidden("Only a branch manager or an administrator sets up the queue. 仅网点负责人或管理员可配置排队。");
        }

        return user.CanSeeBranch(branchId) && await db.Set<Branch>().AnyAsync(b => b.Id == branchId, ct) ? null : new QueueBranchNotFound(branchId);
    }

    [GeneratedRegex("^[A-Z]$")]
    private static partial Regex Letter();
}
