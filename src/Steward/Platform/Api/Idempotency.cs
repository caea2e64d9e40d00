using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
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
/// Makes a create endpoint safe to retry: with an <c>Idempotency-Key</c> header the create runs at
/// most once per caller, scope (method and path) and key (<see cref="IdempotencyStore"/>). A retry
/// with the same body gets the first status, body and Location back (and the header
/// <c>Idempotent-Replayed: true</c>); the same key with a different body is a 422. Without the header
/// the create simply runs.
/// </summary>
public sealed class Idempotency(IdempotencyStore store)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = IdempotencyStore.MaxKeyLength;

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
        var result = await store.RunAsync(caller, $"{http.Request.Method} {http.Request.Path}", key, request, create, location, ct);
        if (!result.Succeeded)
        {
            return Problems.Problems.From(result.Error!);
        }

        var record = result.Record!;
        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }

        if (result.Replayed)
        {
            http.Response.Headers[ReplayedHeader] = "true";
        }

        return Results.Content(record.ResponseBody, "application/json; charset=utf-8", System.Text.Encoding.UTF8, record.StatusCode);
    }
}
