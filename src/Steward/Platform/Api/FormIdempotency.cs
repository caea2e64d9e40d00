using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// <see cref="Idempotency"/> for HTML forms. The page puts a fresh key in a hidden field when it
/// shows the form; posting the form twice (a double click, a refresh of the result, a retry after
/// a lost response) creates once, and every later post with that key gets the first result back.
/// Same table and rules as the API: per caller, scope and key, claimed in the create's own
/// transaction; the same key with different fields is <see cref="IdempotencyKeyReusedError"/>; a
/// create that fails stores nothing, so the corrected form can be sent again with the same key.
/// Without a key the create simply runs.
/// </summary>
public sealed class FormIdempotency(StewardDbContext db, TimeProvider time, IOptions<JsonOptions> jsonOptions)
{
    private JsonSerializerOptions Json => jsonOptions.Value.SerializerOptions;

    public async Task<Outcome<TResponse>> RunAsync<TRequest, TResponse>(
        string caller,
        string scope,
        string? key,
        TRequest request,
        Func<CancellationToken, Task<Outcome<TResponse>>> create,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key))
        {
            return await create(ct);
        }

        if (key.Length > Idempotency.MaxKeyLength || key.Any(char.IsControl))
        {
            return new InvalidError("bad-idempotency-key", "The form's key is not valid 表单标识无效",
                "Reload the form and send it again. 请刷新表单后重新提交。");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json)));
        if (await FindAsync(caller, scope, key, ct) is { } earlier)
        {
            return Replay<TResponse>(earlier, hash);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var record = new IdempotencyRecord { Caller = caller, Scope = scope, IdempotencyKey = key, RequestHash = hash, CreatedAt = time.GetUtcNow() };
        db.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is DbException)
        {
            // The same form was posted at the same moment and that post has committed: answer its result.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            var winner = await FindAsync(caller, scope, key, ct) ?? throw new InvalidOperationException("Idempotency key conflict without a stored record.", e);
            return Replay<TResponse>(winner, hash);
        }

        var outcome = await create(ct);
        if (!outcome.Succeeded)
        {
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return outcome;
        }

        record.StatusCode = StatusCodes.Status201Created;
        record.ResponseBody = JsonSerializer.Serialize(outcome.Value, Json);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return outcome;
    }

    private Task<IdempotencyRecord?> FindAsync(string caller, string scope, string key, CancellationToken ct) =>
        db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Scope == scope && r.IdempotencyKey == key, ct);

    private Outcome<TResponse> Replay<TResponse>(IdempotencyRecord earlier, string hash) =>
        earlier.RequestHash != hash
            ? new IdempotencyKeyReusedError()
            : JsonSerializer.Deserialize<TResponse>(earlier.ResponseBody, Json)!;
}
