using Steward.Platform.Problems;

namespace Steward.Features.Routing;

// The expected failures of the team queues; codes are stable.

/// <summary>No such team, or one of a branch outside the caller's scope.</summary>
public sealed record TeamNotFound() : NotFoundError("team-not-found", "No such team 团队不存在",
    "The team does not exist or is outside your scope. 团队不存在或不在您的权限范围内。");
