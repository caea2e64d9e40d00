using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Identity;

namespace Steward.Features.Complaints.Returns;

/// <summary><c>GET /api/v1/complaints/returns/{regime}</c>: a regulatory return as JSON, or as a download (<c>format=xlsx|csv</c>).</summary>
public static class ComplaintReturnEndpoints
{
    public static void MapComplaintReturns(this RouteGroupBuilder complaints)
    {
        complaints.MapGet("/returns/{regime}", async Task<Results<Ok<PrcReturn>, Ok<FcaReturn>, Ok<CfpbExtract>, FileContentHttpResult, ProblemHttpResult>> (
                string regime, string? from, string? to, string? branchId, string? format, ComplaintReturns returns, ComplaintReturnTables tables, CancellationToken ct) =>
            {
                var read = await returns.ReadAsync(new ComplaintReturnQuery(regime, from, to, branchId, format), ct);
                if (read.Error is { } refused)
                {
                    return Platform.Problems.Problems.From(refused);
                }

                var r = read.Value!;
                if (r.Format != ComplaintReturnFormat.Json)
                {
                    var file = ComplaintReturnTables.File(r.Header, tables.Of(r), r.Format);
                    return TypedResults.File(file.Content, file.ContentType, file.FileName);
                }

                if (r.Prc is { } prc)
                {
                    return TypedResults.Ok(prc);
                }

                if (r.Fca is { } fca)
                {
                    return TypedResults.Ok(fca);
                }

                return TypedResults.Ok(r.Cfpb!);
            })
            .RequireAuthorization(IdentitySetup.Policy(Permission.ComplaintReturnsRead))
            .WithSummary("A regulatory complaint return for a period (from, to: local days yyyy-mm-dd, at most 366 days; optional branchId): prc (JR/T 0169 counts, "
                + "15/30/60-day timeliness, outcomes, redress), fca (DISP 1.10 by product group, blank = no business, 0 = no complaints) or cfpb (one row per complaint). "
                + "format=xlsx|csv gives a file with headers in the caller's language. Compliance: every branch; a branch manager: their own. Each return names "
                + "the taxonomy, preset and rule versions it used.");
    }
}
