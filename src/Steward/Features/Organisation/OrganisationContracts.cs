using Steward.Platform.Identity;

namespace Steward.Features.Organisation;

// The organisation's requests and answers, shared by the admin pages and the API.

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
