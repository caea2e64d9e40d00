using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Problems;

namespace Steward.Platform.Identity;

/// <summary>How a session was started.</summary>
public enum SessionMethod
{
    /// <summary>The sign-in page: password, and the second factor when one was asked.</summary>
    Password,

    /// <summary>Single sign-on through the institution's identity provider (OpenID Connect).</summary>
    SingleSignOn,

    /// <summary>A bearer token for the API.</summary>
    ApiToken,
}

/// <summary>
/// One signed-in browser or API token of a staff member (docs/decisions/0045). The cookie or token carries the
/// <see cref="Key"/> (<see cref="StaffSessions.SessionClaim"/>); <see cref="StaffClaimsTransformation"/> refuses it at its
/// next request once <see cref="RevokedAt"/> is set. <see cref="LastSeenAt"/> is bookkeeping written by a conditional update
/// of its own (at most once a minute per session), outside the audit log; the start and a revocation are audited.
/// </summary>
public sealed class StaffSession : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    /// <summary>A random key (128 bits) carried inside the encrypted cookie or token; never shown.</summary>
    [AuditRedacted]
    public string Key { get; set; } = "";

    public SessionMethod Method { get; set; }

    public string? UserAgent { get; set; }

    public string? RemoteAddress { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public long? RevokedById { get; set; }
}

internal sealed class StaffSessionConfiguration : IEntityTypeConfiguration<StaffSession>
{
    public void Configure(EntityTypeBuilder<StaffSession> builder)
    {
        builder.ToTable("staff_sessions");
        builder.HasIndex(s => s.Key).IsUnique();
        builder.HasIndex(s => new { s.StaffId, s.Id });
        builder.Property(s => s.Key).HasMaxLength(64);
        builder.Property(s => s.UserAgent).HasMaxLength(300);
        builder.Property(s => s.RemoteAddress).HasMaxLength(64);
        builder.HasOne<Staff>().WithMany().HasForeignKey(s => s.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record StaffSessionDto(long Id, long StaffId, SessionMethod Method, string? UserAgent, string? RemoteAddress,
    DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, DateTimeOffset? RevokedAt, bool Current);

public sealed record StaffSessionList(long StaffId, string Username, string DisplayName, IReadOnlyList<StaffSessionDto> Sessions);

public sealed record SessionNotFound() : NotFoundError("session-not-found", "Session not found 未找到该会话",
    "There is no such session for this staff member. 该员工没有此会话。");

public sealed record StaffNotFoundForSessions() : NotFoundError("staff-not-found", "Staff member not found 未找到该员工",
    "There is no staff member with this id within your scope. 您的权限范围内没有此员工。");

/// <summary>
/// Starts, lists and revokes staff sessions. A person sees and revokes their own; <see cref="Permission.SessionsManage"/>
/// sees and revokes anyone's within the caller's branch scope.
/// </summary>
public sealed class StaffSessions(StewardDbContext db, CurrentUser me, IHttpContextAccessor http, TimeProvider time, IOptions<SignInOptions> options)
{
    public const string SessionClaim = "steward:session";

    /// <summary>How often <see cref="StaffSession.LastSeenAt"/> is written at most, per session.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    /// <summary>Records a new session for <paramref name="staff"/> from this request and returns its key.</summary>
    public async Task<string> StartAsync(Staff staff, SessionMethod method, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var request = http.HttpContext?.Request;
        var agent = request?.Headers.UserAgent.ToString();
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        using var actor = HttpAuditActorAccessor.Use(new AuditActor(staff.Id, staff.Username));
        db.Add(new StaffSession
        {
            StaffId = staff.Id,
            Key = key,
            Method = method,
            UserAgent = string.IsNullOrWhiteSpace(agent) ? null : Printable(agent, 300),
            RemoteAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
            StartedAt = now,
            LastSeenAt = now,
        });
        await db.SaveChangesAsync(ct);
        return key;
    }

    /// <summary>The caller's own active sessions, newest first.</summary>
    public Task<Outcome<StaffSessionList>> MineAsync(CancellationToken ct = default) => ListAsync(me.StaffId!.Value, ct);

    /// <summary>
    /// Active sessions of <paramref name="staffId"/>: not revoked and seen within the longer of the cookie and token
    /// lifetimes (an older one can no longer be used: its cookie or token has expired).
    /// </summary>
    public async Task<Outcome<StaffSessionList>> ListAsync(long staffId, CancellationToken ct = default)
    {
        var staff = await VisibleStaffAsync(staffId, ct);
        if (staff is null)
        {
            return new StaffNotFoundForSessions();
        }

        var since = time.GetUtcNow() - Lifetime;
        var current = CurrentKey(http.HttpContext?.User);
        var rows = await db.Set<StaffSession>().AsNoTracking()
            .Where(s => s.StaffId == staffId && s.RevokedAt == null && s.LastSeenAt >= since)
            .OrderByDescending(s => s.Id).Take(200).ToListAsync(ct);
        return new StaffSessionList(staff.Id, staff.Username, staff.DisplayName, rows.Select(s => Dto(s, current)).ToList());
    }

    /// <summary>Revokes one session (audited); its cookie or token is refused at its next request. Revoking a revoked one changes nothing.</summary>
    public async Task<Outcome<StaffSessionDto>> RevokeAsync(long staffId, long sessionId, CancellationToken ct = default)
    {
        if (await VisibleStaffAsync(staffId, ct) is null)
        {
            return new StaffNotFoundForSessions();
        }

        var session = await db.Set<StaffSession>().SingleOrDefaultAsync(s => s.Id == sessionId && s.StaffId == staffId, ct);
        if (session is null)
        {
            return new SessionNotFound();
        }

        if (session.RevokedAt is null)
        {
            session.RevokedAt = time.GetUtcNow();
            session.RevokedById = me.StaffId;
            await db.SaveChangesAsync(ct);
        }

        return Dto(session, CurrentKey(http.HttpContext?.User));
    }

    /// <summary>Ends the session of the signed-in principal (signing out), if it has one.</summary>
    public async Task EndCurrentAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (CurrentKey(user) is not { } key)
        {
            return;
        }

        var session = await db.Set<StaffSession>().SingleOrDefaultAsync(s => s.Key == key && s.RevokedAt == null, ct);
        if (session is not null)
        {
            using var actor = HttpAuditActorAccessor.Use(new AuditActor(session.StaffId, user.Identity?.Name ?? ""));
            session.RevokedAt = time.GetUtcNow();
            session.RevokedById = session.StaffId;
            await db.SaveChangesAsync(ct);
        }
    }

    public static string? CurrentKey(ClaimsPrincipal? user) => user?.FindFirstValue(SessionClaim);

    private TimeSpan Lifetime => TimeSpan.FromMinutes(Math.Max(options.Value.CookieLifetimeMinutes, options.Value.TokenLifetimeMinutes));

    /// <summary>The staff member if the caller may see their sessions: themselves, or with the permission and within branch scope.</summary>
    private async Task<Staff?> VisibleStaffAsync(long staffId, CancellationToken ct)
    {
        if (staffId != me.StaffId && !me.Can(Permission.SessionsManage))
        {
            return null;
        }

        var staff = await db.Set<Staff>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == staffId, ct);
        return staff is not null && (staffId == me.StaffId || me.CanSeeBranch(staff.HomeBranchId)) ? staff : null;
    }

    private static StaffSessionDto Dto(StaffSession s, string? currentKey) =>
        new(s.Id, s.StaffId, s.Method, s.UserAgent, s.RemoteAddress, s.StartedAt, s.LastSeenAt, s.RevokedAt, s.Key == currentKey);

    private static string Printable(string text, int max)
    {
        var clean = new string(text.Where(c => !char.IsControl(c)).ToArray());
        return clean.Length > max ? clean[..max] : clean;
    }
}

/// <summary>The session check of <see cref="StaffClaimsTransformation"/>: refused when revoked, and last-seen kept up to date.</summary>
internal static class SessionCheck
{
    /// <summary>Moves <see cref="StaffSession.LastSeenAt"/> forward when it is older than <see cref="StaffSessions.TouchInterval"/> (one conditional update; nodes racing write once).</summary>
    public static Task TouchAsync(StewardDbContext db, long sessionId, DateTimeOffset lastSeen, DateTimeOffset now) =>
        now - lastSeen < StaffSessions.TouchInterval
            ? Task.CompletedTask
            : db.Set<StaffSession>().Where(s => s.Id == sessionId && s.LastSeenAt == lastSeen)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, now));
}
