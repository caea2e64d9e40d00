using System.Text.RegularExpressions;
using Steward.Platform.Database;
using Steward.Platform.Localization;
using Steward.Tests.Features.Demo;

namespace Steward.Tests.Platform.Localization;

public sealed partial class StringTableTests
{
    [Fact]
    public void BothLanguages_HaveTheSameKeys_AndNoEmptyText()
    {
        var zh = JsonStringLocalizerFactory.Load(Cultures.Chinese);
        var en = JsonStringLocalizerFactory.Load(Cultures.English);
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.All(zh, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), kv.Key));
        Assert.All(en, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), kv.Key));
    }

    [Fact]
    public void EveryLiteralKeyUsedInPagesAndCode_Exists()
    {
        var zh = JsonStringLocalizerFactory.Load(Cultures.Chinese);
        var source = Path.Combine(DemoSeederTests.RepoRoot(), "src", "Steward");
        var missing = Directory.EnumerateFiles(source, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => KeyUse().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .Where(u => !u.Key.EndsWith('.') && !zh.ContainsKey(u.Key))
            .Select(u => $"{u.File}: {u.Key}")
            .Distinct()
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Fact]
    public void ChineseTable_IsActuallyChinese()
    {
        var zh = JsonStringLocalizerFactory.Load(Cultures.Chinese);
        Assert.Equal("员工登录", zh["account.signin.title"]);
        var english = JsonStringLocalizerFactory.Load(Cultures.English);
        Assert.Equal("Staff sign-in", english["account.signin.title"]);
    }

    [Fact]
    public void EveryAuditedEntity_HasANameInTheAuditLog()
    {
        // The audit log names what changed ("Complaint letter template"), never the class ("ComplaintLetterTemplate").
        var zh = JsonStringLocalizerFactory.Load(Cultures.Chinese);
        var missing = typeof(IAuditable).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAuditable).IsAssignableFrom(t))
            .Select(t => "audit.entity." + t.Name)
            .Where(key => !zh.ContainsKey(key))
            .ToList();
        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [GeneratedRegex("""(?:\bL|\bl|localizer)\["([A-Za-z0-9_.]+)"\]""")]
    private static partial Regex KeyUse();
}
