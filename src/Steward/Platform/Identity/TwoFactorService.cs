using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OtpNet;
using Steward.Platform.Database;
using Steward.Platform.Problems;
using Steward.Platform.Security;

namespace Steward.Platform.Identity;

/// <summary>What a right password still needs before the person is in.</summary>
public enum SecondFactorNeed
{
    None,

    /// <summary>A code from the authenticator (or a recovery code).</summary>
    Code,

    /// <summary>A role the person holds requires a second factor they have not set up: set it up first.</summary>
    Enrolment,
}

public enum SecondFactorVerdict
{
    Accepted,
    Rejected,
    Locked,
}

public sealed record TwoFactorState(bool Enabled, bool Required, int RecoveryCodesLeft, DateTimeOffset? EnabledAt);

/// <summary>A secret being set up: the key to type in (Base32, in groups of four) and the <c>otpauth://</c> link its QR code carries.</summary>
public sealed record TwoFactorEnrolment(string Key, string Uri);

public sealed record TwoFactorEnabled(IReadOnlyList<string> RecoveryCodes);

public sealed record TwoFactorCodeRejected() : InvalidError("two-factor-code-invalid", "The code is not right 验证码不正确",
    "The code is not right or was already used: enter the current code from your authenticator app. 验证码不正确或已使用，请输入验证器应用中的当前验证码。",
    new Dictionary<string, string[]> { ["code"] = ["The code is not right or was already used: enter the current code from your authenticator app. 验证码不正确或已使用，请输入验证器应用中的当前验证码。"] });

public sealed record TwoFactorLocked() : ConflictError("two-factor-locked", "Too many wrong codes 验证码错误次数过多",
    "Too many wrong codes: the second step is locked for a while. Try again later or ask an administrator. 验证码错误次数过多，已临时锁定，请稍后再试或联系管理员。");

public sealed record TwoFactorNotSetUp() : ConflictError("two-factor-not-set-up", "Two-factor sign-in is not set up 尚未设置双重验证",
    "Start setting up two-factor sign-in first. 请先开始设置双重验证。");

public sealed record TwoFactorAlreadyOn() : ConflictError("two-factor-already-on", "Two-factor sign-in is already on 双重验证已开启",
    "Two-factor sign-in is on for this account already; turn it off first to use another phone. 此账户已开启双重验证；如需更换手机，请先关闭。");

public sealed record TwoFactorRequiredByRole() : ForbiddenError("two-factor-required", "Your role requires two-factor sign-in 您的角色要求双重验证",
    "A role you hold requires two-factor sign-in: it cannot be turned off. 您担任的角色要求双重验证，不能关闭。");

/// <summary>
/// Two-factor sign-in for staff (issue 18; docs/decisions/0035-two-factor-sign-in.md): TOTP through Otp.NET at the
/// injected clock, one-time recovery codes, and the roles an administrator requires it for. A code is checked within one
/// step either side (±30 s of clock drift) and accepted once; wrong codes count and lock like wrong passwords.
/// </summary>
public sealed class TwoFactorService(StewardDbContext db, PersonalDataProtector protector, TimeProvider time, CurrentUser user,
    IOptions<TwoFactorOptions> options, IOptions<SignInOptions> signIn)
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    /// <summary>Whether a right password for <paramref name="staff"/> still needs a code, or a set-up first.</summary>
    public async Task<SecondFactorNeed> NeedAsync(Staff staff, CancellationToken ct = default)
    {
        if (await db.Set<StaffTwoFactor>().AsNoTracking().AnyAsync(t => t.StaffId == staff.Id && t.EnabledAt != null, ct))
        {
            return SecondFactorNeed.Code;
        }

        return await RequiredAsync(staff.Id, ct) ? SecondFactorNeed.Enrolment : SecondFactorNeed.None;
    }

    public async Task<TwoFactorState> StateAsync(long staffId, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().AsNoTracking().SingleOrDefaultAsync(t => t.StaffId == staffId, ct);
        var left = await db.Set<StaffRecoveryCode>().CountAsync(c => c.StaffId == staffId && c.UsedAt == null, ct);
        return new TwoFactorState(row?.EnabledAt is not null, await RequiredAsync(staffId, ct), row?.EnabledAt is null ? 0 : left, row?.EnabledAt);
    }

    /// <summary>A new secret to set up (replacing one not yet confirmed); refused while one is on.</summary>
    public async Task<Outcome<TwoFactorEnrolment>> BeginAsync(long staffId, CancellationToken ct = default)
    {
        var staff = await db.Set<Staff>().AsNoTracking().SingleAsync(s => s.Id == staffId, ct);
        for (var round = 1; ; round++)
        {
            var row = await db.Set<StaffTwoFactor>().SingleOrDefaultAsync(t => t.StaffId == staffId, ct);
            if (row?.EnabledAt is not null)
            {
                return new TwoFactorAlreadyOn();
            }

            var secret = KeyGeneration.GenerateRandomKey(20);
            if (row is null)
            {
                row = new StaffTwoFactor { StaffId = staffId, CreatedAt = time.GetUtcNow() };
                db.Add(row);
            }

            row.SecretCipher = protector.Encrypt(Base32Encoding.ToString(secret))!;
            try
            {
                await db.SaveChangesAsync(ct);
                return Enrolment(secret, staff.Username);
            }
            catch (DbUpdateException) when (round < 6)
            {
                // The same person started it in another tab at the same moment (the row inserted or changed meanwhile; with
                // n tabs at once the last can lose n - 1 rounds, so a few more than the tabs one person opens):
                // read it again and start over on it; the last start is the one to scan.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>The secret being set up, shown again (after a refused confirmation).</summary>
    public async Task<TwoFactorEnrolment?> PendingAsync(long staffId, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().AsNoTracking().SingleOrDefaultAsync(t => t.StaffId == staffId, ct);
        if (row is null || row.EnabledAt is not null)
        {
            return null;
        }

        var username = await db.Set<Staff>().Where(s => s.Id == staffId).Select(s => s.Username).SingleAsync(ct);
        return Enrolment(Base32Encoding.ToBytes(protector.Decrypt(row.SecretCipher)!), username);
    }

    /// <summary>Turns it on with a first right code; the recovery codes are shown this once.</summary>
    public async Task<Outcome<TwoFactorEnabled>> ConfirmAsync(long staffId, string? code, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().SingleOrDefaultAsync(t => t.StaffId == staffId, ct);
        if (row is null)
        {
            return new TwoFactorNotSetUp();
        }

        if (row.EnabledAt is not null)
        {
            return new TwoFactorAlreadyOn();
        }

        if (Refusal(await CheckAsync(row, code, allowRecovery: false, ct)) is { } refused)
        {
            return refused;
        }

        await db.Entry(row).ReloadAsync(ct);
        row.EnabledAt = time.GetUtcNow();
        var codes = NewRecoveryCodes(staffId);
        await db.SaveChangesAsync(ct);
        return new TwoFactorEnabled(codes);
    }

    /// <summary>The second step of a sign-in: a current code, or an unused recovery code.</summary>
    public async Task<SecondFactorVerdict> VerifyAsync(long staffId, string? code, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().AsNoTracking().SingleOrDefaultAsync(t => t.StaffId == staffId && t.EnabledAt != null, ct);
        return row is null ? SecondFactorVerdict.Rejected : await CheckAsync(row, code, allowRecovery: true, ct);
    }

    /// <summary>New recovery codes (the old ones stop working), after a right code.</summary>
    public async Task<Outcome<TwoFactorEnabled>> RenewRecoveryCodesAsync(long staffId, string? code, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().AsNoTracking().SingleOrDefaultAsync(t => t.StaffId == staffId && t.EnabledAt != null, ct);
        if (row is null)
        {
            return new TwoFactorNotSetUp();
        }

        if (Refusal(await CheckAsync(row, code, allowRecovery: false, ct)) is { } refused)
        {
            return refused;
        }

        db.RemoveRange(await db.Set<StaffRecoveryCode>().Where(c => c.StaffId == staffId).ToListAsync(ct));
        var codes = NewRecoveryCodes(staffId);
        await db.SaveChangesAsync(ct);
        return new TwoFactorEnabled(codes);
    }

    /// <summary>Turns it off after a right code; refused when a role the person holds requires it.</summary>
    public async Task<Outcome<TwoFactorState>> DisableAsync(long staffId, string? code, CancellationToken ct = default)
    {
        var row = await db.Set<StaffTwoFactor>().AsNoTracking().SingleOrDefaultAsync(t => t.StaffId == staffId && t.EnabledAt != null, ct);
        if (row is null)
        {
            return new TwoFactorNotSetUp();
        }

        if (await RequiredAsync(staffId, ct))
        {
            return new TwoFactorRequiredByRole();
        }

        if (Refusal(await CheckAsync(row, code, allowRecovery: false, ct)) is { } refused)
        {
            return refused;
        }

        await RemoveAsync(staffId, ct);
        return await StateAsync(staffId, ct);
    }

    /// <summary>An administrator's reset for someone who lost their phone (OrganisationManage; audited): they set it up again at their next sign-in if their role requires it.</summary>
    public async Task<Outcome<TwoFactorState>> ResetAsync(long staffId, CancellationToken ct = default)
    {
        if (!user.Can(Permission.OrganisationManage))
        {
            return new ForbiddenError("forbidden", "You may not reset two-factor sign-in 无权重置双重验证", "Resetting two-factor sign-in needs the organisation-management permission. 重置双重验证需要组织管理权限。");
        }

        if (!await db.Set<Staff>().AnyAsync(s => s.Id == staffId, ct))
        {
            return new NotFoundError("staff-not-found", "No such staff member 员工不存在", "No staff member has this id. 没有此编号的员工。");
        }

        await RemoveAsync(staffId, ct);
        return await StateAsync(staffId, ct);
    }

    /// <summary>The roles that require a second factor.</summary>
    public async Task<IReadOnlyList<StaffRole>> RequiredRolesAsync(CancellationToken ct = default) =>
        (await db.Set<TwoFactorRequirement>().AsNoTracking().Select(r => r.Role).ToListAsync(ct)).Order().ToList();

    /// <summary>Sets the roles that require a second factor (OrganisationManage; each added or removed role audited).</summary>
    public async Task<Outcome<IReadOnlyList<StaffRole>>> SetRequiredRolesAsync(IReadOnlyCollection<StaffRole> roles, CancellationToken ct = default)
    {
        if (!user.Can(Permission.OrganisationManage))
        {
            return new ForbiddenError("forbidden", "You may not change the sign-in policy 无权修改登录策略", "Changing the sign-in policy needs the organisation-management permission. 修改登录策略需要组织管理权限。");
        }

        var wanted = roles.ToHashSet();
        var current = await db.Set<TwoFactorRequirement>().ToListAsync(ct);
        db.RemoveRange(current.Where(r => !wanted.Contains(r.Role)));
        foreach (var role in wanted.Where(w => current.All(c => c.Role != w)))
        {
            db.Add(new TwoFactorRequirement { Role = role, SetById = user.StaffId, SetAt = time.GetUtcNow() });
        }

        await db.SaveChangesAsync(ct);
        return new Outcome<IReadOnlyList<StaffRole>>(await RequiredRolesAsync(ct), null);
    }

    /// <summary>Counts the attempt, then checks a current code (or, for a sign-in, an unused recovery code).</summary>
    private async Task<SecondFactorVerdict> CheckAsync(StaffTwoFactor row, string? code, bool allowRecovery, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var max = options.Value.MaxFailedCodes;
        var lockUntil = now.AddMinutes(signIn.Value.LockoutMinutes);
        // Reserve the attempt first (as a password attempt is): parallel guesses count one each. A lock that has run out
        // starts the count again; a locked row, or one whose allowance is used, takes no attempt.
        var reserved = await db.Set<StaffTwoFactor>()
            .Where(t => t.Id == row.Id && ((t.LockedUntil == null && t.FailedCodes < max) || t.LockedUntil <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.FailedCodes, t => t.LockedUntil == null ? t.FailedCodes + 1 : 1).SetProperty(t => t.LockedUntil, (DateTimeOffset?)null), ct);
        if (reserved == 0)
        {
            return SecondFactorVerdict.Locked;
        }

        var typed = new string((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        var accepted = false;
        if (typed.Length == 6 && typed.All(char.IsAsciiDigit))
        {
            var totp = new Totp(Base32Encoding.ToBytes(protector.Decrypt(row.SecretCipher)!));
            // Single use: the step is taken only if it is after the last one taken (a compare-and-set, so two requests
            // with the same code cannot both pass).
            accepted = totp.VerifyTotp(now.UtcDateTime, typed, out var step, Drift)
                && await db.Set<StaffTwoFactor>().Where(t => t.Id == row.Id && t.LastUsedStep < step)
                    .ExecuteUpdateAsync(u => u.SetProperty(t => t.LastUsedStep, step), ct) == 1;
        }
        else if (allowRecovery && typed.Length == 10)
        {
            var hash = Hash(typed);
            accepted = await db.Set<StaffRecoveryCode>().Where(c => c.StaffId == row.StaffId && c.CodeHash == hash && c.UsedAt == null)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.UsedAt, now), ct) == 1;
        }

        if (accepted)
        {
            await db.Set<StaffTwoFactor>().Where(t => t.Id == row.Id).ExecuteUpdateAsync(u => u.SetProperty(t => t.FailedCodes, 0), ct);
            return SecondFactorVerdict.Accepted;
        }

        // The last wrong code allowed locks the second step (and says so, as the last wrong password does).
        if (await db.Set<StaffTwoFactor>().Where(t => t.Id == row.Id && t.FailedCodes >= max && t.LockedUntil == null)
            .ExecuteUpdateAsync(u => u.SetProperty(t => t.LockedUntil, (DateTimeOffset?)lockUntil), ct) == 1)
        {
            return SecondFactorVerdict.Locked;
        }

        return SecondFactorVerdict.Rejected;
    }

    private static Error? Refusal(SecondFactorVerdict verdict) => verdict switch
    {
        SecondFactorVerdict.Locked => new TwoFactorLocked(),
        SecondFactorVerdict.Rejected => new TwoFactorCodeRejected(),
        _ => null,
    };

    private async Task RemoveAsync(long staffId, CancellationToken ct)
    {
        db.RemoveRange(await db.Set<StaffRecoveryCode>().Where(c => c.StaffId == staffId).ToListAsync(ct));
        db.RemoveRange(await db.Set<StaffTwoFactor>().Where(t => t.StaffId == staffId).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
    }

    private Task<bool> RequiredAsync(long staffId, CancellationToken ct) =>
        db.Set<StaffRoleAssignment>().AnyAsync(a => a.StaffId == staffId && db.Set<TwoFactorRequirement>().Any(r => r.Role == a.Role), ct);

    private List<string> NewRecoveryCodes(long staffId)
    {
        var codes = new List<string>();
        for (var i = 0; i < options.Value.RecoveryCodes; i++)
        {
            var code = RandomNumberGenerator.GetString(Alphabet, 10);
            db.Add(new StaffRecoveryCode { StaffId = staffId, CodeHash = Hash(code) });
            codes.Add(code[..5] + "-" + code[5..]);
        }

        return codes;
    }

    private TwoFactorEnrolment Enrolment(byte[] secret, string username)
    {
        var key = Base32Encoding.ToString(secret).TrimEnd('=');
        var issuer = options.Value.Issuer;
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(username)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits=6&period=30";
        var grouped = string.Join(' ', key.Chunk(4).Select(c => new string(c)));
        return new TwoFactorEnrolment(grouped, uri);
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(code.Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())));
}
