using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Steward.Platform.Security;

namespace Steward.Tests.Platform.Security;

/// <summary>The audit keys come from configuration; start-up refuses what cannot sign a chain safely.</summary>
public sealed class AuditKeyRingTests
{
    private static readonly string Key1 = Convert.ToBase64String(new byte[32]);
    private static readonly string Key2 = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    private static AuditKeyRing Ring(string environment, Dictionary<string, string> keys, string? current = null) =>
        new(Options.Create(new AuditKeyOptions { Keys = keys, CurrentKeyId = current }),
            new HostingEnvironment { EnvironmentName = environment, ContentRootPath = Directory.CreateTempSubdirectory("steward-keys-").FullName });

    [Fact]
    public void Production_WithoutKeys_RefusesToStart()
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Ring("Production", []));
        Assert.Contains("Security:Audit:Keys is required in Production", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Development_WithoutKeys_GeneratesALocalKeyOnceAndKeepsIt()
    {
        var environment = new HostingEnvironment { EnvironmentName = "Development", ContentRootPath = Directory.CreateTempSubdirectory("steward-keys-").FullName };
        var options = Options.Create(new AuditKeyOptions());

        var first = new AuditKeyRing(options, environment).Current;
        var again = new AuditKeyRing(options, environment).Current;

        Assert.Equal("local", first.Id);
        Assert.True(File.Exists(Path.Combine(environment.ContentRootPath, "data", "audit.key")));
        Assert.Equal(first.EntryKey, again.EntryKey);
    }

    [Theory]
    [InlineData("k1", "c2hvcnQ=", null, "Security:Audit:Keys:k1 must be 32 random bytes in base64.")]
    [InlineData("legacy-sha256", null, null, "not 'legacy-sha256'")]
    [InlineData("k 1", null, null, "a key id is 1–40 letters")]
    [InlineData("k1", null, "k9", "Security:Audit:CurrentKeyId must name one of the keys")]
    public void BadConfiguration_RefusesToStart(string id, string? key, string? current, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Ring("Testing", new() { [id] = key ?? Key1 }, current));
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoKeys_SignWithTheCurrentAndVerifyWithBoth()
    {
        Assert.Throws<OptionsValidationException>(() => Ring("Testing", new() { ["k1"] = Key1, ["k2"] = Key2 }));

        var ring = Ring("Testing", new() { ["k1"] = Key1, ["k2"] = Key2 }, "k2");

        Assert.Equal("k2", ring.Current.Id);
        Assert.NotNull(ring.Find("k1"));
        Assert.Null(ring.Find("legacy-sha256"));
        Assert.NotEqual(ring.Find("k1")!.EntryKey, ring.Current.EntryKey);
        Assert.NotEqual(ring.Current.EntryKey, ring.Current.CheckpointKey);
    }
}
