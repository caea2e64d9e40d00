using Steward.Features.Cases;

namespace Steward.Features.Routing;

public sealed record CaseTeamSettingsRequest(AssignmentMode Mode, IReadOnlyList<CaseKind>? Kinds, int? Version);

public sealed record CaseTeamSettingsDto(long TeamId, AssignmentMode Mode, IReadOnlyList<CaseKind> Kinds, int Version);

public sealed record DutyRequest(bool OnDuty);

public sealed record DutyDto(long StaffId, bool OnDuty, DateTimeOffset? ChangedAt);
