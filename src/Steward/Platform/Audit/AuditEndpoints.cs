using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Platform.Audit;

/// <summary>
/// One entry as the caller may see it. <see cref="Changes"/> lists each recorded field with its values before and after,
/// masked or left out (null) as <c>access</c> says; <see cref="Hash"/> is given only when every field is shown in full.
/// </summary>
public sealed record AuditEntryDto(
    long Sequence, DateTimeOffset OccurredAt, long? ActorId, string ActorName, string? ActorDisplayName, AuditAction Action, string EntityType, string EntityId,
    long? BranchId, long? CaseId, string? CaseReference, IReadOnlyList<AuditFieldDto> Changes, bool Revealable, string? Hash)
{
    public static AuditEntryDto From(AuditView v, AuditNames names) => new(
        v.Entry.Sequence, v.Entry.OccurredAt, v.Entry.ActorId, v.Entry.ActorName, v.ActorId is { } a ? names.StaffName(a) : null, v.Entry.Action,
        v.Entry.EntityType, v.Entry.EntityId, v.Entry.BranchId, v.CaseId, v.CaseId is { } c ? names.CaseReference(c) : null,
        v.Changes.Select(c => new AuditFieldDto(c.Field, c.Before, c.After, c.Access)).ToList(), v.Revealable, v.Complete ? v.Entry.Hash : null);

    public static IReadOnlyList<AuditEntryDto> From(AuditBatch batch) => batch.Views.Select(v => From(v, batch.Names)).ToList();
}

public sealed record AuditFieldDto(string Field, JsonNode? Before, JsonNode? After, AuditFieldAccess Access);

public sealed record AuditPage(IReadOnlyList<AuditEntryDto> Items, string? NextCursor);

/// <summary>The audit log's filters as query parameters (see <see cref="AuditFilter"/>).</summary>
public sealed record AuditQuery
{
    public string? EntityType { get; init; }
    public string? EntityId { get; init; }
    public string? Actor { get; init; }
    public AuditAction? Action { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Case { get; init; }

    public AuditFilter ToFilter() => new(EntityType, EntityId, Actor, Action, From, To, Case);
}

public sealed record SignInPage(IReadOnlyList<SignInRecordDto> Items, string? NextCursor);

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(IdentitySetup.Policy(Permission.AuditRead));
        audit.MapGet("/", async Task<Results<Ok<AuditPage>, ProblemHttpResult>> (
            [AsParameters] AuditQuery q, string? cursor, int? limit, AuditBrowser browser, CancellationToken ct) =>
        {
            if (!TryCursor(cursor, out var before))
            {
                return BadCursor();
            }

            var take = Math.Clamp(limit ?? 50, 1, 500);
            var batch = await browser.BrowseAsync(q.ToFilter(), before, take, ct);
            var next = batch.Views.Count == take ? batch.Views[^1].Entry.Sequence.ToString(CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new AuditPage(AuditEntryDto.From(batch), next));
        }).WithSummary("Browse the audit log, newest first: filters (actor = a person's name or username, in part; case = a case reference), cursor. " +
            "Personal data is masked and content outside the caller's case and customer scope left out (docs/decisions/0015).");

        audit.MapPost("/{sequence:long}/reveal", async Task<Results<Ok<AuditEntryDto>, ProblemHttpResult>> (long sequence, AuditBrowser browser, CancellationToken ct) =>
        {
            var revealed = await browser.RevealAsync(sequence, $"audit-entry {sequence} (API)", ct);
            return revealed.Succeeded ? TypedResults.Ok(AuditEntryDto.From(revealed.Value!)[0]) : Problems.Problems.From(revealed.Error!);
        }).WithSummary("One entry with its masked names in full (PersonalDataReveal); every call is recorded in personal_data_access and the audit log.");

        audit.MapGet("/export", async Task<Results<FileContentHttpResult, ProblemHttpResult>> (
            [AsParameters] AuditQuery q, AuditExportFormat? format, AuditExporter exporter, CancellationToken ct) =>
        {
            var file = await exporter.ExportAsync(q.ToFilter(), format ?? AuditExportFormat.Xlsx, ct);
            return file.Succeeded
                ? TypedResults.File(file.Value!.Content, file.Value.ContentType, file.Value.FileName)
                : Problems.Problems.From(file.Error!);
        }).WithSummary("The matching entries as a CSV or .xlsx file (format=Csv|Xlsx), one line per changed field, as the caller may see them; " +
            "at most 10 000 entries by default (Audit:ExportMaxEntries; more is refused: narrow the filters). Every export is recorded in the audit log.");

        audit.MapGet("/sign-ins", async Task<Results<Ok<SignInPage>, ProblemHttpResult>> (
            string? person, SignInOutcome? outcome, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, SignInHistory history, CancellationToken ct) =>
        {
            if (!TryCursor(cursor, out var before))
            {
                return BadCursor();
            }

            var take = Math.Clamp(limit ?? 50, 1, 500);
            var items = await history.BrowseAsync(new SignInFilter(person, outcome, from, to), before, take, ct);
            var next = items.Count == take ? items[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
            return TypedResults.Ok(new SignInPage(items, next));
        }).WithSummary("Sign-in attempts, newest first (kept apart from the business audit log): person = a name or username, in part; outcome; dates; cursor.");

        audit.MapAuditChainEndpoints();
    }

    /// <summary>Reads a cursor: none given (null), or a position; false when it is not one.</summary>
    private static bool TryCursor(string? cursor, out long? before)
    {
        before = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (!long.TryParse(cursor, CultureInfo.InvariantCulture, out var parsed) || parsed <= 0)
        {
            return false;
        }

        before = parsed;
        return true;
    }

    private static ProblemHttpResult BadCursor() =>
        Problems.Problems.Create(400, "bad-cursor", "The cursor is not valid 游标无效", "Use the nextCursor of a previous page. 请使用上一页返回的 nextCursor。");
}
