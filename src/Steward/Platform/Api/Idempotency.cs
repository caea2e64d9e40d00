using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// The first response to a create that carried an <c>Idempotency-Key</c>, stored in the same
/// transaction as the create itself. Unique per caller, scope (method and path) and key.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }

    /// <summary><c>staff:{id}</c> for signed-in staff, <c>public</c> for anonymous callers.</summary>
    public string Caller { get; set; } = "";

    /// <summary>Method and path, e.g. <c>POST /api/v1/cases</c>.</summary>
    public string Scope { get; set; } = "";

    public string IdempotencyKey { get; set; } = "";

    /// <summary>SHA-256 of the request body as bound (so whitespace and member order do not matter).</summary>
    public string RequestHash { get; set; } = "";

    public int StatusCode { get; set; }

    public string ResponseBody { get; set; } = "";

    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasIndex(r => new { r.Caller, r.Scope, r.IdempotencyKey }).IsUnique();
        builder.HasIndex(r => r.CreatedAt);
        builder.Property(r => r.Caller).HasMaxLength(100);
        builder.Property(r => r.Scope).HasMaxLength(100);
        builder.Property(r => r.IdempotencyKey).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ResponseBody).HasMaxLength(1_000_000);
        builder.Property(r => r.Location).HasMaxLength(400);
    }
}

/// <summary>Same key, different request: the client reused a key by mistake.</summary>
public sealed record IdempotencyKeyReusedError() : Error("idempotency-key-reused",
    "The Idempotency-Key was already used for a different request 幂等键已用于另一个请求",
    "Send a new key for a new request; a retry must repeat the first request exactly. 新请求请使用新的幂等键；重试时请求内容必须与第一次完全相同。")
{
    public override int Status => StatusCodes.Status422UnprocessableEntity;
}

/// <summary>
/// Makes a create endpoint safe to retry. With an <c>Idempotency-Key</c> header the create runs
/// at most once per caller, scope and key: the key is claimed, the create runs and its response is
/// stored, all in one transaction. A retry with the same body gets the first status, body and
/// Location back (and the header <c>Idempotent-Replayed: true</c>); the same key with a different
/// body is a 422. Two concurrent requests with one key: the second waits for the first's
/// transaction (PostgreSQL: the unique index; SQLite: the single writer) and then replays it.
/// A create that fails (4xx) stores nothing, so the client may fix the request and retry with
/// the same key. Without the header the create simply runs.
/// </summary>
public sealed class Idempotency(StewardDbContext db, TimeProvider time, IOptions<JsonOptions> jsonOptions)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    private JsonSerializerOptions Json => jsonOptions.Value.SerializerOptions;

    public static string CallerOf(CurrentUser user) =>
        user.StaffId is { } id ? "staff:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "public";

    /// <summary>
    /// Runs <paramref name="create"/> under the request's idempotency key and answers 201 with the
    /// result (or the stored first result), or a problem.
    /// </summary>
    public async Task<IResult> CreateAsync<TRequest, TResponse>(
        HttpContext http,
        string caller,
        TRequest request,
        Func<CancellationToken, Task<Outcome<TResponse>>> create,
        Func<TResponse, string?> location,
        CancellationToken ct)
    {
        var key = http.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(key))
        {
            var plain = await create(ct);
            return plain.Succeeded ? Respond(http, StatusCodes.Status201Created, Serialize(plain.Value), location(plain.Value!), replayed: false) : Problems.Problems.From(plain.Error!);
        }

        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return Problems.Problems.Create(400, "bad-idempotency-key", "The Idempotency-Key is not valid 幂等键无效",
                $"Use at most {MaxKeyLength} printable characters, e.g. a UUID. 请使用不超过 {MaxKeyLength} 个可打印字符，例如 UUID。");
        }

        var scope = $"{http.Request.Method} {http.Request.Path}";
        if (scope.Length > 100)
        {
            scope = scope[..100];
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json)));
        if (await FindAsync(caller, scope, key, ct) is { } earlier)
        {
            return Replay(http, earlier, hash);
        }

        var owned = db.Database.CurrentTransaction is null;
        var transaction = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var record = new IdempotencyRecord { Caller = caller, Scope = scope, IdempotencyKey = key, RequestHash = hash, CreatedAt = time.GetUtcNow() };
            db.Add(record);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is DbException && transaction is not null)
            {
                // Someone else claimed the key and has committed by now: replay their response.
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                var winner = await FindAsync(caller, scope, key, ct) ?? throw new InvalidOperationException("Idempotency key conflict without a stored record.", e);
                return Replay(http, winner, hash);
            }

            var outcome = await create(ct);
            if (!outcome.Succeeded)
            {
                if (transaction is not null)
                {
                    await transaction.RollbackAsync(ct);
                }

                db.ChangeTracker.Clear();
                return Problems.Problems.From(outcome.Error!);
            }

            record.StatusCode = StatusCodes.Status201Created;
            record.ResponseBody = Serialize(outcome.Value);
            record.Location = location(outcome.Value!);
            await db.SaveChangesAsync(ct);
            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }

            return Respond(http, record.StatusCode, record.ResponseBody, record.Location, replayed: false);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private Task<IdempotencyRecord?> FindAsync(string caller, string scope, string key, CancellationToken ct) =>
        db.Set<IdempotencyRecord>().AsNoTracking().SingleOrDefaultAsync(r => r.Caller == caller && r.Scope == scope && r.IdempotencyKey == key, ct);

    private IResult Replay(HttpContext http, IdempotencyRecord earlier, string hash) =>
        earlier.RequestHash != hash
            ? Problems.Problems.From(new IdempotencyKeyReusedError())
            : Respond(http, earlier.StatusCode, earlier.ResponseBody, earlier.Location, replayed: true);

    private string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    private static IResult Respond(HttpContext http, int status, string body, string? location, bool replayed)
    {
        if (location is not null)
        {
            http.Response.Headers.Location = location;
        }

        if (replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        return Results.Content(body, "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);
    }
}
