using System.Security.Claims;

namespace Steward.Platform.Audit;

/// <summary>Who is making a change: a signed-in staff member, a customer, or the system itself.</summary>
public sealed record AuditActor(long? StaffId, string Name)
{
    public static readonly AuditActor System = new(null, "system");
}

public interface IAuditActorAccessor
{
    AuditActor Current { get; }
}

/// <summary>
/// Reads the actor from the request's user; outside a request (background work, seeding) the actor
/// is <see cref="AuditActor.System"/> unless code sets one with <see cref="Use"/>.
/// </summary>
public sealed class HttpAuditActorAccessor(IHttpContextAccessor http) : IAuditActorAccessor
{
    private static readonly AsyncLocal<AuditActor?> Override = new();

    public AuditActor Current
    {
        get
        {
            if (Override.Value is { } forced)
            {
                return forced;
            }

            var user = http.HttpContext?.User;
            if (user?.Identity?.IsAuthenticated == true)
            {
                var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
                return new AuditActor(long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var staffId) ? staffId : null, user.Identity.Name ?? "?");
            }

            return http.HttpContext is null ? AuditActor.System : new AuditActor(null, "anonymous");
        }
    }

    /// <summary>Makes <paramref name="actor"/> the actor of changes in this async flow until disposed.</summary>
    public static IDisposable Use(AuditActor actor)
    {
        var previous = Override.Value;
        Override.Value = actor;
        return new Restore(previous);
    }

    private sealed class Restore(AuditActor? previous) : IDisposable
    {
        public void Dispose() => Override.Value = previous;
    }
}
