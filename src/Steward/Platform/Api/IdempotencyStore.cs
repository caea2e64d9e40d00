using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Background;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>Bound from <c>Api</c>.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// How many creates (API and forms) one node runs at once; the others wait their turn in memory
    /// (until the caller gives up) instead of holding a database connection. Creates are serialised
    /// in the database anyway (reference counter row, audit chain head), so more at once only uses up
    /// the connection pool. Keep it well below the pool size (Npgsql's default: 100).
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentCreates { get; set; } = 8;

    /// <summary>How long idempotency keys (API and forms) are kept before the sweep deletes them.</summary>
    [Range(1, 24 * 365)]
    public int IdempotencyKeyRetentionHours { get; set; } = 24;
}

/// <summary>
/// Lets at most <see cref="ApiOptions.MaxConcurrentCreates"/> creates into the database at once on
/// this node. Waiting here costs nothing but memory and has no timeout of its own (only the caller's
/// cancellation); waiting for a pooled connection instead fails after the connection string's
/// <c>Timeout</c> and starves every other request of connections.
/// </summary>
public sealed class CreateGate(IOptions<ApiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentCreates, options.Value.MaxConcurrentCreates);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await slots.WaitAsync(ct);
        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}

/// <summary>The result of an idempotent create: the stored first response (new or replayed) and its value, or an error.</summary>
public sealed record IdempotentResult<TResponse>(TResponse? Value, IdempotencyRecord? Record, bool Replayed, Error? Error)
{
    public bool Succeeded => Error is null;
}

/// <summary>
/// The shared core of <see cref="Idempotency"/> (API, header) and <see cref="FormIdempotency"/> (HTML
/// forms, hidden field): per caller, scope and key the create runs at most once. The key row is
/// inserted first in the create's transaction, the create runs, its response is stored, and all commit
/// together. A retry's insert finds the key taken (<c>ON CONFLICT DO NOTHING</c>: no failed statement, no error in the
/// log, no aborted transaction) and replays the stored response; a concurrent duplicate first blocks on the index
/// (PostgreSQL) or the single writer (SQLite) until the first commits. Same key, different request:
/// <see cref="IdempotencyKeyReusedError"/>. A create that fails stores nothing. Without a key the
/// create simply runs. Every create passes the <see cref="CreateGate"/>.
/// </summary>
public sealed class IdempotencyStore(StewardDbContext db, TimeProvider time, IOptions<JsonOptions> jsonOptions, CreateGate gate, ILogger<IdempotencyStore> logger)
{
    public const int MaxKeyLength = 200;

    public JsonSerializerOptions Json => jsonOptions.Value.SerializerOptions;

    public string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public async Task<IdempotentResult<TResponse>> RunAsync<TRequest, TResponse>(
        string caller,
        string scope,
        string? key,
        TRequest request,
        Func<CancellationToken, Task<Outcome<TResponse>>> create,
        Func<TResponse, string?> location,
        CancellationToken ct)
    {
        if (string.IsNullOrEmpty(key))
        {
            using (await gate.EnterAsync(ct))
            {
                var plain = await create(ct);
                return plain.Succeeded
                    ? new(plain.Value, new IdempotencyRecord { StatusCode = StatusCodes.Status201Created, ResponseBody = Serialize(plain.Value), Location = location(plain.Value) }, false, null)
                    : new(default, null, false, plain.Error);
            }
        }

        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return new(default, null, false, new InvalidError("bad-idempotency-key", "The idempotency key is not valid 幂等键无效",
                $"Use at most {MaxKeyLength} printable characters, e.g. a UUID; for a form, reload it and send it again. 请使用不超过 {MaxKeyLength} 个可打印字符（例如 UUID）；如为表单，请刷新后重新提交。"));
        }

        scope = scope.Length > 100 ? scope[..100] : scope;
        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json)));
        using var slot = await gate.EnterAsync(ct);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var flushHere = transaction is not null && db.DeferAudit();
        try
        {
            return await RunInTransactionAsync(caller, scope, key, hash, transaction, flushHere, create, location, ct);
        }
        finally
        {
            if (flushHere)
            {
                db.EndDeferredAudit();
            }
        }
    }

    /// <summary>
    /// Claims the key, creates, stores the response and commits. With <paramref name="flushHere"/> the create's audit
    /// entries were deferred: they are appended together with the stored response as the last batch before the
    /// commit, so the audit chain head is held for that batch and the commit only.
    /// </summary>
    private async Task<IdempotentResult<TResponse>> RunInTransactionAsync<TResponse>(string caller, string scope, string key, string hash,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? transaction, bool flushHere,
        Func<CancellationToken, Task<Outcome<TResponse>>> create, Func<TResponse, string?> location, CancellationToken ct)
    {
        var record = new IdempotencyRecord { Caller = caller, Scope = scope, IdempotencyKey = key, RequestHash = hash, CreatedAt = time.GetUtcNow() };
        if (!await ClaimAsync(record, ct))
        {
            // Someone else claimed the key and has committed by now (a retry, or a duplicate that waited for it): answer their response.
            if (transaction is not null)
            {
                await transaction.RollbackAsync(ct);
            }

            logger.LogDebug("Idempotency key replayed for {Caller} on {Scope}", caller, scope);
            var winner = await FindAsync(caller, scope, key, ct) ?? throw new InvalidOperationException("Idempotency key taken without a stored record.");
            return Replay<TResponse>(winner, hash);
        }

        var outcome = await create(ct);
        if (!outcome.Succeeded)
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(ct);
            }

            db.ChangeTracker.Clear();
            return new(default, null, false, outcome.Error);
        }

        record.StatusCode = StatusCodes.Status201Created;
        record.ResponseBody = Serialize(outcome.Value);
        record.Location = location(outcome.Value!);
        if (flushHere)
        {
            await db.FlushAuditAsync(ct);
        }
        else
        {
            await db.SaveChangesAsync(ct);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return new(outcome.Value, record, false, null);
    }

    /// <summary>
    /// Inserts the key's row unless the key is taken, and then tracks it (its response is filled in later). A taken key is
    /// the expected signal of a replay, so the insert says <c>ON CONFLICT DO NOTHING</c> (both databases) instead of
    /// failing on the unique index, which EF would log as an error and PostgreSQL would answer by aborting the transaction.
    /// </summary>
    private async Task<bool> ClaimAsync(IdempotencyRecord record, CancellationToken ct)
    {
        var createdAtColumn = db.Model.FindEntityType(typeof(IdempotencyRecord))!.FindProperty(nameof(IdempotencyRecord.CreatedAt))!.GetTypeMapping();
        var createdAt = createdAtColumn.Converter?.ConvertToProvider(record.CreatedAt) ?? record.CreatedAt; // UTC ticks on SQLite
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO idempotency_keys (caller, scope, idempotency_key, request_hash, status_code, response_body, created_at)
            VALUES ({record.Caller}, {record.Scope}, {record.IdempotencyKey}, {record.RequestHash}, 0, '', {createdAt})
            ON CONFLICT (caller, scope, idempotency_key) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return false;
        }

        record.Id = ids[0];
        db.Attach(record);
        return true;
    }

    private Task<IdempotencyRecord?> FindAsync(string caller, string scope, string key, CancellationToken ct) =>
        db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Scope == scope && r.IdempotencyKey == key, ct);

    private IdempotentResult<TResponse> Replay<TResponse>(IdempotencyRecord earlier, string hash) =>
        earlier.RequestHash != hash
            ? new(default, null, true, new IdempotencyKeyReusedError())
            : new(JsonSerializer.Deserialize<TResponse>(earlier.ResponseBody, Json), earlier, true, null);
}

/// <summary>
/// Deletes idempotency keys (API and forms share the table) older than
/// <see cref="ApiOptions.IdempotencyKeyRetentionHours"/>, <see cref="BatchSize"/> rows per statement so
/// that no single delete holds locks for long. Safe on several nodes at once: a row deleted twice is
/// simply not found the second time. A retry after the retention period creates again.
/// </summary>
public sealed class IdempotencyKeySweep(IOptions<ApiOptions> options, TimeProvider time) : IPeriodicJob
{
    public const string JobName = "idempotency-key-sweep";
    public const int BatchSize = 500;

    public string Name => JobName;

    public TimeSpan Interval => TimeSpan.FromHours(1);

    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<StewardDbContext>();
        var cutoff = time.GetUtcNow().AddHours(-options.Value.IdempotencyKeyRetentionHours);
        while (true)
        {
            var ids = await db.Set<IdempotencyRecord>().Where(r => r.CreatedAt < cutoff).OrderBy(r => r.Id).Select(r => r.Id).Take(BatchSize).ToListAsync(cancellationToken);
            if (ids.Count > 0)
            {
                await db.Set<IdempotencyRecord>().Where(r => ids.Contains(r.Id)).ExecuteDeleteAsync(cancellationToken);
            }

            if (ids.Count < BatchSize)
            {
                return;
            }
        }
    }
}

public static class IdempotencySetup
{
    /// <summary>Idempotent creates for the API and forms, the create gate, and the sweep of old keys.</summary>
    public static IServiceCollection AddIdempotency(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CreateGate>();
        services.AddScoped<IdempotencyStore>();
        services.AddScoped<Idempotency>();
        services.AddScoped<FormIdempotency>();
        services.AddSingleton<IPeriodicJob, IdempotencyKeySweep>();
        return services;
    }
}
