using Microsoft.EntityFrameworkCore;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Features.Webhooks;

/// <summary>An endpoint to register or change: where, what for, which events. <see cref="Version"/> is required to change one.</summary>
public sealed record WebhookEndpointRequest(string? Url, string? Description, IReadOnlyList<string>? EventTypes, int? Version = null);

public sealed record WebhookEndpointDto(
    long Id, string Url, string Description, IReadOnlyList<string> EventTypes, bool Paused, DateTimeOffset? PausedAt, WebhookPauseReason? PauseReason,
    int ConsecutiveFailures, long OwnerId, string OwnerName, DateTimeOffset CreatedAt, int Version);

/// <summary>An endpoint with its secret: answered once, at creation and at each rotation, never again.</summary>
public sealed record WebhookEndpointWithSecret(WebhookEndpointDto Endpoint, string Secret);

public sealed record WebhookAttemptDto(int Number, DateTimeOffset StartedAt, int DurationMs, WebhookAttemptOutcome Outcome, int? StatusCode, string? Error);

public sealed record WebhookDeliveryDto(
    long Id, long EndpointId, string EventId, string EventType, DateTimeOffset OccurredAt, WebhookDeliveryStatus Status, int Attempts, DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt, int? LastStatusCode, string? LastError, long? ReplayOfId, IReadOnlyList<WebhookAttemptDto> AttemptLog);

/// <summary>A delivery with the exact body it sends.</summary>
public sealed record WebhookDeliveryDetailDto(WebhookDeliveryDto Delivery, string Payload);

public sealed record WebhookDeliveryPage(IReadOnlyList<WebhookDeliveryDto> Items, string? NextCursor);

/// <summary>
/// Registering, changing, pausing, resuming and removing endpoints (each change audited by the unit of work), rotating
/// their secrets, and reading and replaying their deliveries. Only administrators get here (<see cref="Permission.WebhooksManage"/>).
/// </summary>
public sealed class WebhookAdministration(StewardDbContext db, PersonalDataProtector protector, CurrentUser me, TimeProvider time)
{
    public async Task<IReadOnlyList<WebhookEndpointDto>> ListAsync(CancellationToken ct = default) =>
        [.. (await Endpoints(db.Set<WebhookEndpoint>()).ToListAsync(ct)).OrderBy(x => x.Endpoint.Id).Select(x => Dto(x.Endpoint, x.Owner))];

    public async Task<Outcome<WebhookEndpointDto>> GetAsync(long id, CancellationToken ct = default) =>
        await Endpoints(db.Set<WebhookEndpoint>().Where(e => e.Id == id)).SingleOrDefaultAsync(ct) is { } x ? Dto(x.Endpoint, x.Owner) : new WebhookEndpointNotFound();

    public async Task<Outcome<WebhookEndpointWithSecret>> CreateAsync(WebhookEndpointRequest request, CancellationToken ct = default)
    {
        var (checkedRequest, errors) = Check(request);
        if (errors.Count > 0)
        {
            return new WebhookEndpointInvalid(errors);
        }

        var secret = WebhookSignature.NewSecret();
        var row = new WebhookEndpoint
        {
            Url = checkedRequest.Url, Description = checkedRequest.Description, EventTypes = checkedRequest.EventTypes, SecretCipher = protector.Encrypt(secret)!,
            OwnerId = me.StaffId!.Value, CreatedAt = time.GetUtcNow(),
        };
        db.Add(row);
        await db.SaveChangesAsync(ct);
        return new WebhookEndpointWithSecret((await GetAsync(row.Id, ct)).Value!, secret);
    }

    public Task<Outcome<WebhookEndpointDto>> UpdateAsync(long id, WebhookEndpointRequest request, CancellationToken ct = default) =>
        ChangeAsync(id, request.Version, endpoint =>
        {
            var (checkedRequest, errors) = Check(request);
            if (request.Version is null)
            {
                errors["version"] = ["Send the version you read. 请提供读取时的版本号。"];
            }

            if (errors.Count > 0)
            {
                return new WebhookEndpointInvalid(errors);
            }

            endpoint.Url = checkedRequest.Url;
            endpoint.Description = checkedRequest.Description;
            endpoint.EventTypes = checkedRequest.EventTypes;
            return null;
        }, ct);

    public Task<Outcome<WebhookEndpointDto>> PauseAsync(long id, CancellationToken ct = default) =>
        ChangeAsync(id, null, endpoint =>
        {
            if (endpoint.PausedAt is not null)
            {
                return new WebhookEndpointAlreadyPaused();
            }

            endpoint.PausedAt = time.GetUtcNow();
            endpoint.PauseReason = WebhookPauseReason.Manual;
            return null;
        }, ct);

    /// <summary>Resumes the endpoint: its failure count starts again and its waiting deliveries are due now.</summary>
    public async Task<Outcome<WebhookEndpointDto>> ResumeAsync(long id, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var resumed = await ChangeAsync(id, null, endpoint =>
        {
            if (endpoint.PausedAt is null)
            {
                return new WebhookEndpointNotPaused();
            }

            endpoint.PausedAt = null;
            endpoint.PauseReason = null;
            endpoint.ConsecutiveFailures = 0;
            return null;
        }, ct);
        if (resumed.Succeeded)
        {
            await db.Set<WebhookDelivery>().Where(d => d.EndpointId == id && d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, now), ct);
            await transaction.CommitAsync(ct);
        }

        return resumed;
    }

    /// <summary>A new secret, answered once; the old one stops signing at once.</summary>
    public async Task<Outcome<WebhookEndpointWithSecret>> RotateSecretAsync(long id, CancellationToken ct = default)
    {
        var secret = WebhookSignature.NewSecret();
        var rotated = await ChangeAsync(id, null, endpoint =>
        {
            endpoint.SecretCipher = protector.Encrypt(secret)!;
            return null;
        }, ct);
        return rotated.Succeeded ? new WebhookEndpointWithSecret(rotated.Value, secret) : rotated.Error;
    }

    /// <summary>Removes the endpoint with its deliveries and their attempts (the audit log keeps the endpoint's history).</summary>
    public async Task<Outcome<WebhookEndpointDto>> DeleteAsync(long id, CancellationToken ct = default)
    {
        var found = await GetAsync(id, ct);
        if (!found.Succeeded)
        {
            return found;
        }

        db.Remove(await db.Set<WebhookEndpoint>().SingleAsync(e => e.Id == id, ct));
        await db.SaveChangesAsync(ct);
        return found;
    }

    /// <summary>The endpoint's deliveries, newest first, each with its attempts; <paramref name="before"/> is the cursor (exclusive).</summary>
    public async Task<Outcome<WebhookDeliveryPage>> DeliveriesAsync(long endpointId, long? before, int limit, CancellationToken ct = default)
    {
        if (!await db.Set<WebhookEndpoint>().AnyAsync(e => e.Id == endpointId, ct))
        {
            return new WebhookEndpointNotFound();
        }

        var query = db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (before is { } cursor)
        {
            query = query.Where(d => d.Id < cursor);
        }

        var rows = await DeliveryRows(query.OrderByDescending(d => d.Id).Take(limit)).ToListAsync(ct);
        var items = await WithAttemptsAsync(rows, ct);
        return new WebhookDeliveryPage(items, rows.Count == limit ? rows[^1].Delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }

    public async Task<Outcome<WebhookDeliveryDetailDto>> DeliveryAsync(long id, CancellationToken ct = default)
    {
        var row = await DeliveryRows(db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.Id == id)).SingleOrDefaultAsync(ct);
        if (row is null)
        {
            return new WebhookDeliveryNotFound();
        }

        return new WebhookDeliveryDetailDto((await WithAttemptsAsync([row], ct))[0], row.Event.Payload);
    }

    /// <summary>A new delivery of the same event (same body, same event id) to the same endpoint, due now; its own id and attempts.</summary>
    public async Task<Outcome<WebhookDeliveryDetailDto>> ReplayAsync(long id, CancellationToken ct = default)
    {
        var original = await db.Set<WebhookDelivery>().AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, ct);
        if (original is null)
        {
            return new WebhookDeliveryNotFound();
        }

        if (original.Status == WebhookDeliveryStatus.Pending)
        {
            return new WebhookDeliveryPending();
        }

        var now = time.GetUtcNow();
        var replay = new WebhookDelivery
        {
            EndpointId = original.EndpointId, EventId = original.EventId, ReplayOfId = original.Id, Status = WebhookDeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
        };
        db.Add(replay);
        await db.SaveChangesAsync(ct);
        return await DeliveryAsync(replay.Id, ct);
    }

    private sealed record EndpointRow(WebhookEndpoint Endpoint, string Owner);

    private sealed record DeliveryRow(WebhookDelivery Delivery, WebhookEvent Event);

    private IQueryable<EndpointRow> Endpoints(IQueryable<WebhookEndpoint> endpoints) =>
        from e in endpoints.AsNoTracking()
        join s in db.Set<Staff>() on e.OwnerId equals s.Id
        select new EndpointRow(e, s.DisplayName);

    private IQueryable<DeliveryRow> DeliveryRows(IQueryable<WebhookDelivery> deliveries) =>
        from d in deliveries
        join ev in db.Set<WebhookEvent>() on d.EventId equals ev.Id
        select new DeliveryRow(d, ev);

    private async Task<List<WebhookDeliveryDto>> WithAttemptsAsync(IReadOnlyList<DeliveryRow> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Delivery.Id).ToList();
        var attempts = (await db.Set<WebhookAttempt>().AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.Number).ToListAsync(ct))
            .ToLookup(a => a.DeliveryId);
        return
        [
            .. rows.Select(r => new WebhookDeliveryDto(
                r.Delivery.Id, r.Delivery.EndpointId, r.Event.PublicId, r.Event.Type, r.Event.OccurredAt, r.Delivery.Status, r.Delivery.Attempts, r.Delivery.CreatedAt,
                r.Delivery.Status == WebhookDeliveryStatus.Pending ? r.Delivery.NextAttemptAt : null, r.Delivery.CompletedAt, r.Delivery.LastStatusCode, r.Delivery.LastError,
                r.Delivery.ReplayOfId,
                [.. attempts[r.Delivery.Id].Select(a => new WebhookAttemptDto(a.Number, a.StartedAt, a.DurationMs, a.Outcome, a.StatusCode, a.Error))])),
        ];
    }

    private static WebhookEndpointDto Dto(WebhookEndpoint e, string owner) =>
        new(e.Id, e.Url, e.Description, e.Subscribed(), e.PausedAt is not null, e.PausedAt, e.PauseReason, e.ConsecutiveFailures, e.OwnerId, owner, e.CreatedAt, e.Version);

    /// <summary>Loads the endpoint tracked, checks the version when given, applies <paramref name="change"/> (an error refuses it) and saves.</summary>
    private async Task<Outcome<WebhookEndpointDto>> ChangeAsync(long id, int? version, Func<WebhookEndpoint, Error?> change, CancellationToken ct)
    {
        var endpoint = await db.Set<WebhookEndpoint>().SingleOrDefaultAsync(e => e.Id == id, ct);
        if (endpoint is null)
        {
            return new WebhookEndpointNotFound();
        }

        if (version is { } expected && expected != endpoint.Version)
        {
            return Problems.StaleVersion();
        }

        if (change(endpoint) is { } refused)
        {
            return refused;
        }

        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, ct)).Value!;
    }

    private sealed record CheckedRequest(string Url, string Description, string EventTypes);

    /// <summary>
    /// The URL must be absolute, at most 400 characters, without user name or password, and https — plain http only to this
    /// machine (localhost, 127.0.0.1, ::1), for a receiver under test. At least one event type, each from <see cref="WebhookEventTypes.All"/>.
    /// </summary>
    private static (CheckedRequest Request, Dictionary<string, string[]> Errors) Check(WebhookEndpointRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        var url = r.Url?.Trim() ?? "";
        if (url.Length is 0 or > 400 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            errors["url"] = ["Enter the receiver's full address, starting with https:// (at most 400 characters). 请填写接收方的完整地址，以 https:// 开头（不超过 400 个字符）。"];
        }
        else if (uri.Scheme == "http" && !uri.IsLoopback)
        {
            errors["url"] = ["Use https: plain http is allowed only to this machine (localhost or 127.0.0.1). 请使用 https；仅本机地址（localhost 或 127.0.0.1）可使用 http。"];
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            errors["url"] = ["Leave the user name and password out of the address. 地址中不能包含用户名或密码。"];
        }

        var description = r.Description?.Trim() ?? "";
        if (description.Length > 200)
        {
            errors["description"] = ["At most 200 characters. 不超过 200 个字符。"];
        }

        var types = (r.EventTypes ?? []).Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var unknown = types.Where(t => !WebhookEventTypes.All.Contains(t)).ToList();
        if (types.Count == 0)
        {
            errors["eventTypes"] = ["Choose at least one event. 请至少选择一种事件。"];
        }
        else if (unknown.Count > 0)
        {
            errors["eventTypes"] = [$"Unknown event type: {string.Join(", ", unknown)}. 未知的事件类型：{string.Join("、", unknown)}。"];
        }

        var ordered = string.Join(",", WebhookEventTypes.All.Where(types.Contains));
        return (new CheckedRequest(url, description, ordered), errors);
    }
}
