using Microsoft.AspNetCore.Http.HttpResults;

namespace Steward.Platform.Audit;

/// <summary>Verifying the chain and anchoring it: <c>POST /audit/verify</c> and <c>POST /audit/checkpoints</c> (in the audit group).</summary>
public static class AuditChainEndpoints
{
    public static void MapAuditChainEndpoints(this RouteGroupBuilder audit)
    {
        audit.MapPost("/verify", async Task<Results<Ok<AuditVerification>, ProblemHttpResult>> (long? from, long? to, AuditVerifier verifier, CancellationToken ct) =>
        {
            if (from < 1 || to < 1 || from > to)
            {
                return Problems.Problems.Create(400, "bad-range", "The range is not valid 范围无效",
                    "from and to are entry sequence numbers from 1, with from ≤ to; leave either out for the start or the end of the chain. from 和 to 为从 1 开始的条目序号，且 from ≤ to；省略则表示链的开头或结尾。");
            }

            return TypedResults.Ok(await verifier.VerifyAsync(from, to, ct));
        }).WithSummary("Check the hash chain (optionally entries from..to) against its keys and checkpoints; reports every break, at most 100.");

        audit.MapPost("/checkpoints", async (AuditCheckpointer checkpointer, CancellationToken ct) =>
            TypedResults.Created((string?)null, await checkpointer.WriteAsync(onlyIfChanged: false, ct)))
            .WithSummary("Write a checkpoint of the chain head (sequence, hash, time) to the append-only checkpoint file now.");
    }
}
