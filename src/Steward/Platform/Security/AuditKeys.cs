using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Security;

/// <summary>Bound from <c>Security:Audit</c>: the keys that sign the audit chain and its checkpoints.</summary>
public sealed class AuditKeyOptions
{
    public const string Section = "Security:Audit";

    /// <summary>
    /// Key id → base64 of 32 random bytes. Required in Production (from the environment or a secret store, never the
    /// repository or the database). Keep a retired key configured as long as entries signed with it must verify.
    /// When empty outside Production a key with the id <c>local</c> is generated once into <c>data/audit.key</c>.
    /// </summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key that signs new entries and checkpoints; may be left out when one key is configured.</summary>
    public string? CurrentKeyId { get; set; }
}

/// <summary>One audit key, as two subkeys derived with HKDF so that an entry hash can never pass for a checkpoint's.</summary>
public sealed class AuditKey
{
    private AuditKey(string id, byte[] master)
    {
        Id = id;
        EntryKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "steward/audit/entries"u8.ToArray());
        CheckpointKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "steward/audit/checkpoints"u8.ToArray());
    }

    public string Id { get; }

    /// <summary>Keys the HMAC-SHA256 of each audit entry.</summary>
    public byte[] EntryKey { get; }

    /// <summary>Keys the HMAC-SHA256 that seals each checkpoint line.</summary>
    public byte[] CheckpointKey { get; }

    public static AuditKey FromMaster(string id, byte[] master) => new(id, master);
}

/// <summary>
/// The configured audit keys: <see cref="Current"/> signs what is written now; every configured key verifies what it
/// signed. Entries from before keys existed carry <see cref="LegacyKeyId"/> and a plain SHA-256 (decision 0005).
/// </summary>
public sealed partial class AuditKeyRing
{
    /// <summary>The key id of entries hashed with plain SHA-256 before the chain was keyed (migration 0009).</summary>
    public const string LegacyKeyId = "legacy-sha256";

    /// <summary>The id of the key generated into <c>data/audit.key</c> when none is configured outside Production.</summary>
    public const string LocalKeyId = "local";

    private readonly Dictionary<string, AuditKey> keys = new(StringComparer.Ordinal);

    public AuditKeyRing(IOptions<AuditKeyOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value;
        var errors = new List<string>();
        foreach (var (id, value) in configured.Keys)
        {
            if (!KeyIdPattern().IsMatch(id) || id == LegacyKeyId)
            {
                errors.Add($"Security:Audit:Keys:{id}: a key id is 1–40 letters, digits, '.', '-' or '_', and not '{LegacyKeyId}'.");
            }
            else if (Decode(value) is { } master)
            {
                keys[id] = AuditKey.FromMaster(id, master);
            }
            else
            {
                errors.Add($"Security:Audit:Keys:{id} must be 32 random bytes in base64.");
            }
        }

        if (keys.Count == 0 && errors.Count == 0)
        {
            if (environment.IsProduction())
            {
                errors.Add("Security:Audit:Keys is required in Production: at least one key (32 random bytes, base64) under an id, and Security:Audit:CurrentKeyId.");
            }
            else
            {
                keys[LocalKeyId] = AuditKey.FromMaster(LocalKeyId, LocalKeyFile.LoadOrCreate(environment, "audit.key"));
            }
        }

        var currentId = string.IsNullOrWhiteSpace(configured.CurrentKeyId) && keys.Count == 1 ? keys.Keys.Single() : configured.CurrentKeyId;
        if (errors.Count == 0 && (currentId is null || !keys.ContainsKey(currentId)))
        {
            errors.Add("Security:Audit:CurrentKeyId must name one of the keys in Security:Audit:Keys (it may be left out only when there is one).");
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(AuditKeyOptions.Section, typeof(AuditKeyOptions), errors);
        }

        Current = keys[currentId!];
    }

    /// <summary>The key that signs new entries and checkpoints.</summary>
    public AuditKey Current { get; }

    /// <summary>The configured key with this id, or null (never for <see cref="LegacyKeyId"/>).</summary>
    public AuditKey? Find(string keyId) => keys.GetValueOrDefault(keyId);

    private static byte[]? Decode(string? value)
    {
        var buffer = new byte[32];
        return !string.IsNullOrWhiteSpace(value) && Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written == 32 ? buffer : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,40}$")]
    private static partial Regex KeyIdPattern();
}
