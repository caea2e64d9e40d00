using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Steward.Platform.Audit;
using Steward.Platform.Database;

namespace Steward.Platform.Identity;

/// <summary>
/// A staff member's authenticator (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, 6 digits — what every authenticator app
/// speaks). The shared secret is encrypted like personal data (<see cref="Security.PersonalDataProtector"/>, rewrapped by
/// key rotation); <see cref="EnabledAt"/> is empty while the person is still setting it up. <see cref="LastUsedStep"/>
/// makes each code single-use: a code of a step not after the last accepted one is refused, so a code seen over
/// someone's shoulder cannot be replayed within its 30 seconds. <see cref="FailedCodes"/> counts consecutive wrong codes
/// on its own — a right password does not reset it — and locks the second step for the sign-in lockout's minutes. The three
/// are written by conditional updates of their own (as <see cref="SignInAttempts"/> does), outside the audit log: a
/// sign-in is recorded in the sign-in history, not as a change of business data.
/// </summary>
public sealed class StaffTwoFactor : IAuditable, IVersioned
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    [AuditRedacted]
    public string SecretCipher { get; set; } = "";

    public DateTimeOffset? EnabledAt { get; set; }

    [NotVersioned]
    public long LastUsedStep { get; set; }

    [NotVersioned]
    public int FailedCodes { get; set; }

    [NotVersioned]
    public DateTimeOffset? LockedUntil { get; set; }

    public int Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A one-time recovery code (for a lost phone), kept as its SHA-256: ten random characters from a 32-letter alphabet carry 50 bits, beyond guessing within the lockout.</summary>
public sealed class StaffRecoveryCode : IAuditable
{
    public long Id { get; set; }

    public long StaffId { get; set; }

    [AuditRedacted]
    public string CodeHash { get; set; } = "";

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>A role whose holders must sign in with a second factor (set by administrators, docs/decisions/0035).</summary>
public sealed class TwoFactorRequirement : IAuditable
{
    public long Id { get; set; }

    public StaffRole Role { get; set; }

    public long? SetById { get; set; }

    public DateTimeOffset SetAt { get; set; }
}

public sealed class TwoFactorOptions
{
    public const string Section = "Security:TwoFactor";

    /// <summary>The name authenticator apps show beside the account.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string Issuer { get; set; } = "Steward";

    /// <summary>Consecutive wrong codes that lock the second step (for the sign-in lockout's minutes).</summary>
    [Range(1, 20)]
    public int MaxFailedCodes { get; set; } = 5;

    /// <summary>How long a password accepted before its second factor stays good.</summary>
    [Range(1, 30)]
    public int PendingMinutes { get; set; } = 5;

    [Range(5, 20)]
    public int RecoveryCodes { get; set; } = 10;
}

internal sealed class StaffTwoFactorConfiguration : IEntityTypeConfiguration<StaffTwoFactor>
{
    public void Configure(EntityTypeBuilder<StaffTwoFactor> builder)
    {
        builder.ToTable("staff_two_factor");
        builder.HasIndex(t => t.StaffId).IsUnique();
        builder.Property(t => t.SecretCipher).HasMaxLength(200);
        builder.HasOne<Staff>().WithMany().HasForeignKey(t => t.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StaffRecoveryCodeConfiguration : IEntityTypeConfiguration<StaffRecoveryCode>
{
    public void Configure(EntityTypeBuilder<StaffRecoveryCode> builder)
    {
        builder.ToTable("staff_recovery_codes");
        builder.HasIndex(c => c.StaffId);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasOne<Staff>().WithMany().HasForeignKey(c => c.StaffId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TwoFactorRequirementConfiguration : IEntityTypeConfiguration<TwoFactorRequirement>
{
    public void Configure(EntityTypeBuilder<TwoFactorRequirement> builder)
    {
        builder.ToTable("two_factor_requirements");
        builder.HasIndex(r => r.Role).IsUnique();
    }
}
