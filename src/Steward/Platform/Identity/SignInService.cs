using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Platform.Identity;

public enum SignInOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,
}

public sealed record SignInResult(SignInOutcome Outcome, Staff? Staff = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Checks a username and password with lockout: after <see cref="SignInOptions.MaxFailedAttempts"/>
/// consecutive failures the account is locked for <see cref="SignInOptions.LockoutMinutes"/>, and
/// while locked even the right password is refused. An unknown user and a wrong password look the
/// same to the caller.
/// </summary>
public sealed class SignInService(
    StewardDbContext db,
    IPasswordHasher<Staff> hasher,
    IOptions<SignInOptions> options,
    TimeProvider time)
{
    public const string StampClaim = "steward:stamp";

    public async Task<SignInResult> CheckAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        // The bookkeeping below races only with an administrator editing the account at the same
        // moment (sign-ins themselves do not raise the row's version): then read again and redo it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CheckOnceAsync(username, password, cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<SignInResult> CheckOnceAsync(string username, string password, CancellationToken cancellationToken)
    {
        var normalized = Normalize(username);
        var staff = await db.Set<Staff>().SingleOrDefaultAsync(s => s.Username == normalized, cancellationToken);
        var now = time.GetUtcNow();
        if (staff is null || !staff.IsActive)
        {
            // Spend the same effort as a real check so that timing does not reveal which usernames exist.
            hasher.VerifyHashedPassword(new Staff(), DummyHash.Value, password);
            return new SignInResult(SignInOutcome.InvalidCredentials);
        }

        using var actor = HttpAuditActorAccessor.Use(new AuditActor(staff.Id, staff.Username));
        if (staff.LockedUntil is { } until && until > now)
        {
            return new SignInResult(SignInOutcome.LockedOut, LockedUntil: until);
        }

        var verdict = string.IsNullOrEmpty(staff.PasswordHash)
            ? PasswordVerificationResult.Failed
            : hasher.VerifyHashedPassword(staff, staff.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            staff.FailedSignIns++;
            staff.LockedUntil = null;
            if (staff.FailedSignIns >= options.Value.MaxFailedAttempts)
            {
                staff.FailedSignIns = 0;
                staff.LockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
            }

            await db.SaveChangesAsync(cancellationToken);
            return staff.LockedUntil is { } lockedUntil
                ? new SignInResult(SignInOutcome.LockedOut, LockedUntil: lockedUntil)
                : new SignInResult(SignInOutcome.InvalidCredentials);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            staff.PasswordHash = hasher.HashPassword(staff, password);
        }

        staff.FailedSignIns = 0;
        staff.LockedUntil = null;
        staff.LastSignInAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new SignInResult(SignInOutcome.Success, staff);
    }

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();

    public static ClaimsPrincipal CreatePrincipal(Staff staff, string authenticationType)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, staff.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, staff.Username),
                new Claim(StampClaim, staff.SecurityStamp),
            ],
            authenticationType);
        return new ClaimsPrincipal(identity);
    }

    private static class DummyHash
    {
        public static readonly string Value = new PasswordHasher<Staff>().HashPassword(new Staff(), Guid.NewGuid().ToString());
    }
}
