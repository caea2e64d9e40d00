using Microsoft.Extensions.Options;
using Steward.Platform.Identity;

namespace Steward.Tests.Platform.Identity;

public sealed class PasswordPolicyTests
{
    private readonly PasswordPolicy policy = new(Options.Create(new SignInOptions()));

    [Theory]
    [InlineData("Steward!2026", "admin")]
    [InlineData("correct-horse-7", "zhang")]
    public void Check_StrongPassword_HasNoProblems(string password, string username) =>
        Assert.Empty(policy.Check(password, username));

    [Theory]
    [InlineData("Ab1!", "password.too_short")]
    [InlineData("alllowercaseletters", "password.too_simple")]
    [InlineData("Zhangsan-2026", "password.contains_username")]
    public void Check_WeakPassword_NamesTheBrokenRule(string password, string expected) =>
        Assert.Contains(expected, policy.Check(password, "zhangsan"));
}
