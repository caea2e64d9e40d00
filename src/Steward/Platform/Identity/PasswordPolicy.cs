using Microsoft.Extensions.Options;

namespace Steward.Platform.Identity;

/// <summary>Checks a new password against <see cref="SignInOptions"/>; returns the broken rules as message keys.</summary>
public sealed class PasswordPolicy(IOptions<SignInOptions> options)
{
    public IReadOnlyList<string> Check(string password, string username)
    {
        var o = options.Value;
        var problems = new List<string>();
        if (password.Length < o.MinimumPasswordLength)
        {
            problems.Add("password.too_short");
        }

        var kinds = (password.Any(char.IsLower) ? 1 : 0) + (password.Any(char.IsUpper) ? 1 : 0)
            + (password.Any(char.IsDigit) ? 1 : 0) + (password.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        if (kinds < o.RequiredCharacterKinds)
        {
            problems.Add("password.too_simple");
        }

        if (username.Length >= 3 && password.Contains(username, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("password.contains_username");
        }

        return problems;
    }
}
