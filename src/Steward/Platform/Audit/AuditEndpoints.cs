using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Platform.Audit;

public sealed record AuditEntryDto(long Sequence, DateTimeOffset OccurredAt, long? ActorId, string ActorName, AuditAction Action, string EntityType, string EntityId, long? BranchId, System.Text.Json.Nodes.JsonNode? Changes, string Hash);

public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, string? NextCursor);

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(IdentitySetup.Policy(Permission.AuditRead));
        audit.MapGet("/", async Task<Results<Ok<AuditPage>, ProblemHttpResult>> (
            string? entityType, string? entityId, string? actor, AuditAction? action, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
            AuditLog log, CancellationToken ct) =>
        {
            long? before = null;
            if (!string.IsNullOrEmpty(cursor))
            {
                if (!long.TryParse(cursor, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
                {
                    return Problems.Problems.Create(400, "bad-cursor", "The cursor is not valid 游标无效", "Use the nextCursor of a previous page. 请使用上一页返回的 nextCursor。");
                }

                before = parsed;
            }

            var take = Math.Clamp(limit ?? 50, 1, 500);
            var items = await log.BrowseAsync(new AuditFilter(entityType, entityId, actor, action, from, to), before, take, ct);
            var dtos = items.Select(e => new AuditEntryDto(e.Sequence, e.OccurredAt, e.ActorId, e.ActorName, e.Action, e.EntityType, e.EntityId, e.BranchId,
                System.Text.Json.Nodes.JsonNode.Parse(e.Changes), e.Hash)).ToList();
            var next = items.Count == take ? items[^1].Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new AuditPage(dtos, next));
        }).WithSummary("Browse the audit log, newest first, with filters and a cursor.");

        audit.MapPost("/verify", async (AuditLog log, CancellationToken ct) => TypedResults.Ok(await log.VerifyAsync(ct)))
            .WithSummary("Check that the hash chain is intact; reports where it breaks.");
    }
}
