using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Database;
using Steward.Platform.Identity;

namespace Steward.Platform.Audit;

/// <summary>
/// One sign-in attempt, kept apart from the business audit log (which no longer records a staff row's own sign-in
/// bookkeeping, <see cref="AccountBookkeepingAttribute"/>). <see cref="StaffId"/> and <see cref="Username"/> are
/// filled only when the name belongs to an account: a name that matches none is not kept, because people type their
/// password into the username field.
/// </summary>
public sealed class SignInRecord
{
    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public long? StaffId { get; set; }

    public string? Username { get; set; }

    public SignInOutcome Outcome { get; set; }

    /// <summary><c>page</c> (the sign-in form), <c>api</c> (a bearer token) or <c>sso</c> (single sign-on).</summary>
    public string Channel { get; set; } = "";

    public string? RemoteAddress { get; set; }
}

internal sealed class SignInRecordConfiguration : IEntityTypeConfiguration<SignInRecord>
{
    public void Configure(EntityTypeBuilder<SignInRecord> builder)
    {
        builder.ToTable("sign_in_history");
        builder.HasIndex(r => r.OccurredAt);
        builder.HasIndex(r => new { r.StaffId, r.Id });
        builder.Property(r => r.Username).HasMaxLength(64);
        builder.Property(r => r.Channel).HasMaxLength(10);
        builder.Property(r => r.RemoteAddress).HasMaxLength(64);
    }
}

public sealed record SignInFilter(string? Person = null, SignInOutcome? Outcome = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record SignInRecordDto(long Id, DateTimeOffset OccurredAt, long? StaffId, string? Username, string? DisplayName, SignInOutcome Outcome, string Channel, string? RemoteAddress);

/// <summary>Writes and reads <see cref="SignInRecord"/>s.</summary>
public sealed class SignInHistory(StewardDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>Records one attempt (after its outcome is known) in its own save; <paramref name="channel"/> defaults to <c>page</c> or <c>api</c> by the request's path.</summary>
    public async Task RecordAsync(string username, SignInResult result, CancellationToken ct = default, string? channel = null)
    {
        var normalized = SignInService.Normalize(username);
        var account = result.Staff is { } signedIn
            ? new { signedIn.Id, signedIn.Username }
            : await db.Set<Staff>().AsNoTracking().Where(s => s.Username == normalized).Select(s => new { s.Id, s.Username }).SingleOrDefaultAsync(ct);
        var request = http.HttpContext?.Request;
        db.Add(new SignInRecord
        {
            OccurredAt = time.GetUtcNow(),
            StaffId = account?.Id,
            Username = account?.Username,
            Outcome = result.Outcome,
            Channel = channel ?? (request is not null && IdentitySetup.IsApi(request) ? "api" : "page"),
            RemoteAddress = http.HttpContext?.Connection.RemoteIpAddress?.ToString(),
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Newest first; <paramref name="beforeId"/> is the cursor (exclusive). <see cref="SignInFilter.Person"/> matches a username or display name, in part.</summary>
    public async Task<IReadOnlyList<SignInRecordDto>> BrowseAsync(SignInFilter filter, long? beforeId, int limit, CancellationToken ct = default)
    {
        var query = db.Set<SignInRecord>().AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Person))
        {
            var ids = await AuditNames.StaffMatchingAsync(db, filter.Person, ct);
            query = query.Where(r => r.StaffId != null && ids.Contains(r.StaffId.Value));
        }

        if (filter.Outcome is { } outcome)
        {
            query = query.Where(r => r.Outcome == outcome);
        }

        // PostgreSQL takes instants in UTC only; a client may send any offset.
        if (filter.From?.ToUniversalTime() is { } from)
        {
            query = query.Where(r => r.OccurredAt >= from);
        }

        if (filter.To?.ToUniversalTime() is { } to)
        {
            query = query.Where(r => r.OccurredAt < to);
        }

        if (beforeId is { } cursor)
        {
            query = query.Where(r => r.Id < cursor);
        }

        return await query.OrderByDescending(r => r.Id).Take(limit)
            .Select(r => new SignInRecordDto(r.Id, r.OccurredAt, r.StaffId, r.Username,
                db.Set<Staff>().Where(s => s.Id == r.StaffId).Select(s => s.DisplayName).FirstOrDefault(), r.Outcome, r.Channel, r.RemoteAddress))
            .ToListAsync(ct);
    }
}
