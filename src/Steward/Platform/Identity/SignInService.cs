using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Security;

namespace Steward.Platform.Identity;

public enum SignInOutcome
{
    Success,
    InvalidCredentials,
    LockedOut,

    /// <summary>The password was right; the second factor (or its set-up) is still to come.</summary>
    SecondFactorPending,

    /// <summary>A wrong or reused code at the second step.</summary>
    SecondFactorRejected,

    /// <summary>Too many wrong codes: the second step is locked.</summary>
    SecondFactorLocked,

    /// <summary>Single sign-on: the identity provider vouched for someone who has no active staff account here.</summary>
    SsoUnknownAccount,

    /// <summary>Single sign-on: the person's groups at the identity provider map to no Steward role.</summary>
    SsoNoMappedRole,

    /// <summary>Single sign-on did not complete (refused or broken at the identity provider, or a bad answer from it).</summary>
    SsoFailed,
}

/// <summary>A password check's answer; with <see cref="SignInOutcome.Success"/>, what the person still needs (<see cref="Need"/>) before they are in.</summary>
public sealed record SignInResult(SignInOutcome Outcome, Staff? Staff = null, SecondFactorNeed Need = SecondFactorNeed.None);

/// <summary>
/// Checks a username and password with lockout: after <see cref="SignInOptions.MaxFailedAttempts"/>
/// consecutive failures the account is locked for <see cref="SignInOptions.LockoutMinutes"/>, and
/// while locked even the right password is refused, unchecked. Each attempt is reserved in the database
/// before its password is checked (<see cref="SignInAttempts"/>), so parallel guesses count one each and no
/// more than the threshold's worth is ever checked. A name without an active account is counted and locked
/// the same way and costs the same hash work: unknown, disabled and real accounts give the same answers.
/// </summary>
public sealed class SignInService(
    StewardDbContext db,
    IPasswordHasher<Staff> hasher,
    IOptions<SignInOptions> options,
    IOptions<PasswordHasherOptions> hasherOptions,
    PersonalDataProtector protector,
    SignInGate gate,
    TimeProvider time,
    SignInHistory history,
    TwoFactorService twoFactor,
    ILogger<SignInService> logger)
{
    public const string StampClaim = "steward:stamp";

    private static readonly SignInResult Invalid = new(SignInOutcome.InvalidCredentials);
    private static readonly SignInResult Locked = new(SignInOutcome.LockedOut);

    // Dummy hashes made with the configured work factor, one per iteration count in use.
    private static readonly ConcurrentDictionary<int, string> DummyHashes = new();

    /// <summary>
    /// Checks the attempt and records it in the sign-in history (not in the business audit log). A right password of an
    /// account with two-factor sign-in (or whose role requires it) is recorded as pending: the person is in only after
    /// the second step, recorded then (<see cref="RecordSecondStepAsync"/>). <paramref name="reconfirm"/>: the password
    /// of someone signed in already (changing it), for whom no second step follows.
    /// </summary>
    public async Task<SignInResult> CheckAsync(string username, string password, CancellationToken cancellationToken = default, bool reconfirm = false)
    {
        var result = await CheckCoreAsync(username, password, cancellationToken);
        if (result is { Outcome: SignInOutcome.Success, Staff: { } staff } && !reconfirm)
        {
            result = result with { Need = await twoFactor.NeedAsync(staff, cancellationToken) };
        }

        await history.RecordAsync(username, result.Need == SecondFactorNeed.None ? result : result with { Outcome = SignInOutcome.SecondFactorPending }, cancellationToken);
        return result;
    }

    /// <summary>Records the second step of a sign-in (its code accepted, refused or locked) in the sign-in history.</summary>
    public Task RecordSecondStepAsync(Staff staff, SecondFactorVerdict verdict, CancellationToken cancellationToken = default) =>
        history.RecordAsync(staff.Username, new SignInResult(verdict switch
        {
            SecondFactorVerdict.Accepted => SignInOutcome.Success,
            SecondFactorVerdict.Locked => SignInOutcome.SecondFactorLocked,
            _ => SignInOutcome.SecondFactorRejected,
        }, staff), cancellationToken);

    private async Task<SignInResult> CheckCoreAsync(string username, string password, CancellationToken cancellationToken)
    {
        var normalized = Normalize(username);
        using var turn = await gate.EnterAsync(normalized, cancellationToken);
        var max = options.Value.MaxFailedAttempts;
        var now = time.GetUtcNow();
        var lockUntil = now.AddMinutes(options.Value.LockoutMinutes);
        var staff = await db.Set<Staff>().SingleOrDefaultAsync(s => s.Username == normalized, cancellationToken);
        if (staff is null || !staff.IsActive)
        {
            var slot = await SignInAttempts.ReserveForNameAsync(db, NameKey(normalized), max, now, lockUntil, cancellationToken);
            if (slot is null)
            {
                return Locked;
            }

            hasher.VerifyHashedPassword(new Staff(), DummyHash(), password);
            if (slot >= max)
            {
                logger.LogWarning("Sign-in under a name without an active account locked until {LockedUntil} after {Failures} failed attempts", lockUntil, slot);
                return Locked;
            }

            return Invalid;
        }

        using var actor = HttpAuditActorAccessor.Use(new AuditActor(staff.Id, staff.Username));
        var attempt = await SignInAttempts.ReserveForStaffAsync(db, staff.Id, max, now, lockUntil, cancellationToken);
        if (attempt is not { } reserved)
        {
            return Locked;
        }

        var verdict = string.IsNullOrEmpty(staff.PasswordHash)
            ? FailedAfterDummyCheck(password)
            : hasher.VerifyHashedPassword(staff, staff.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            if (reserved >= max)
            {
                logger.LogWarning("Staff account {StaffId} locked until {LockedUntil} after {Failures} failed sign-ins", staff.Id, lockUntil, reserved);
                return Locked;
            }

            return Invalid;
        }

        // The attempt was counted as a failure before the check (and, as the last one allowed, locked the account):
        // tell the change tracker what the reservation wrote, so that saving the success resets both.
        var entry = db.Entry(staff);
        entry.Property(s => s.FailedSignIns).OriginalValue = reserved;
        entry.Property(s => s.LockedUntil).OriginalValue = reserved >= max ? lockUntil : null;
        return await RecordSuccessAsync(staff, reserved >= max, verdict == PasswordVerificationResult.SuccessRehashNeeded, password, now, cancellationToken);
    }

    /// <summary>
    /// Resets the count and stamps the sign-in, audited. Sign-ins do not raise the row's version, but the save is
    /// refused if an administrator changed the account meanwhile: then read it again and, unless the password
    /// checked is no longer the account's or the account was disabled, save again.
    /// </summary>
    private async Task<SignInResult> RecordSuccessAsync(Staff staff, bool lockedByThisAttempt, bool rehash, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var checkedHash = staff.PasswordHash;
        for (var round = 1; ; round++)
        {
            if (rehash)
            {
                staff.PasswordHash = hasher.HashPassword(staff, password);
            }

            staff.FailedSignIns = 0;
            staff.LockedUntil = null;
            staff.LastSignInAt = now;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new SignInResult(SignInOutcome.Success, staff);
            }
            catch (DbUpdateConcurrencyException) when (round < 3)
            {
                db.ChangeTracker.Clear();
                var fresh = await db.Set<Staff>().SingleOrDefaultAsync(s => s.Id == staff.Id, cancellationToken);
                if (fresh is null || !fresh.IsActive || fresh.PasswordHash != checkedHash)
                {
                    return lockedByThisAttempt ? Locked : Invalid;
                }

                staff = fresh;
            }
        }
    }

    public static string Normalize(string username) => username.Trim().ToLowerInvariant();

    /// <summary>The principal a cookie or token carries: who, their security stamp and the session (<see cref="StaffSessions"/>) it belongs to.</summary>
    public static ClaimsPrincipal CreatePrincipal(Staff staff, string authenticationType, string? sessionKey)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, staff.Id.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, staff.Username),
                new Claim(StampClaim, staff.SecurityStamp),
            ],
            authenticationType);
        if (sessionKey is not null)
        {
            identity.AddClaim(new Claim(StaffSessions.SessionClaim, sessionKey));
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>The keyed hash under which a name without an active account is counted (<see cref="SignInFailure"/>).</summary>
    private string NameKey(string normalized) =>
        // Hex keeps every character of the name distinct under the blind index's own normalisation (case, dashes, spaces).
        protector.BlindIndex("signin:" + Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(normalized)))!;

    /// <summary>A random password's hash with the configured work factor, so that a check against it costs what a real one does.</summary>
    private string DummyHash() => DummyHashes.GetOrAdd(hasherOptions.Value.IterationCount, iterations =>
        new PasswordHasher<Staff>(Options.Create(new PasswordHasherOptions { IterationCount = iterations })).HashPassword(new Staff(), Guid.NewGuid().ToString()));

    private PasswordVerificationResult FailedAfterDummyCheck(string password)
    {
        hasher.VerifyHashedPassword(new Staff(), DummyHash(), password);
        return PasswordVerificationResult.Failed;
    }
}
