using System.ComponentModel.DataAnnotations;

namespace Steward.Platform.Identity;

/// <summary>Sign-in and password rules. Bound from <c>Security:SignIn</c>.</summary>
public sealed class SignInOptions
{
    public const string Section = "Security:SignIn";

    /// <summary>Consecutive failed sign-ins that lock an account.</summary>
    [Range(1, 100)]
    public int MaxFailedAttempts { get; set; } = 5;

    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 10;

    /// <summary>Of lower case, upper case, digits and symbols, how many kinds a password needs.</summary>
    [Range(1, 4)]
    public int RequiredCharacterKinds { get; set; } = 3;

    [Range(5, 7 * 24 * 60)]
    public int TokenLifetimeMinutes { get; set; } = 60;

    [Range(5, 7 * 24 * 60)]
    public int CookieLifetimeMinutes { get; set; } = 8 * 60;

    /// <summary>PBKDF2 iterations for password hashes (tests may lower it; production keeps the default).</summary>
    [Range(1000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 100_000;
}
