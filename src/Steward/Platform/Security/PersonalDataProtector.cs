using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Security;

/// <summary>Bound from <c>Security:PersonalData</c>.</summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Security:PersonalData";

    /// <summary>The id under which <see cref="Key"/> (the first key) is known in the ring.</summary>
    public const string FirstKeyId = "1";

    /// <summary>
    /// Base64 of a 32-byte key: the first key, id <see cref="FirstKeyId"/>. Required in Production unless <see cref="Keys"/>
    /// has the active key (from the environment or a secret store, never the repository). When nothing is configured outside
    /// Production a key is generated once and kept in <c>data/personal-data.key</c> beside the SQLite file.
    /// </summary>
    [MaxLength(200)]
    public string? Key { get; set; }

    /// <summary>More keys by id (base64 of 32 bytes each): rotating adds one here and makes it <see cref="ActiveKeyId"/>.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>The key new values are encrypted under (default: the first key).</summary>
    [MaxLength(20)]
    public string? ActiveKeyId { get; set; }

    /// <summary>
    /// Base64 of the 32 bytes the blind indexes are derived from. They must never change (every stored index would stop
    /// matching), so by default they come from the first key; once that key is retired from encryption, set this to its
    /// value so that the indexes stay valid without keeping it as an encryption key.
    /// </summary>
    [MaxLength(200)]
    public string? IndexKey { get; set; }
}

/// <summary>
/// Encrypts personal data (identity numbers, phone numbers, e-mail addresses, street addresses) with AES-256-GCM before it
/// is stored, and computes a keyed blind index (HMAC-SHA256) so that exact look-ups work without decrypting. Keys form a
/// ring (docs/decisions/0031-personal-data-key-rotation.md): the first key writes <c>v1:</c> + base64(nonce ‖ cipher ‖ tag), any other
/// <c>v2:&lt;id&gt;:</c> + the same; new values are written under the active key and <see cref="PersonalDataReencryption"/>
/// rewrites older ones. The index key does not rotate.
/// </summary>
public sealed class PersonalDataProtector
{
    private const string FirstPrefix = "v1:";
    private readonly Dictionary<string, byte[]> encryptionKeys = new(StringComparer.Ordinal);
    private readonly byte[] indexKey;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options, IHostEnvironment environment)
    {
        var o = options.Value;
        var active = string.IsNullOrWhiteSpace(o.ActiveKeyId) ? PersonalDataOptions.FirstKeyId : o.ActiveKeyId.Trim();
        byte[]? first = null;
        if (!string.IsNullOrWhiteSpace(o.Key))
        {
            first = Decode(o.Key, "Security:PersonalData:Key");
        }
        else if (o.Keys.Count == 0 && string.IsNullOrWhiteSpace(o.IndexKey))
        {
            if (environment.IsProduction())
            {
                throw Invalid("Security:PersonalData:Key is required in Production (32 random bytes, base64).");
            }

            first = LocalKeyFile.LoadOrCreate(environment, "personal-data.key");
        }

        if (first is not null)
        {
            encryptionKeys[PersonalDataOptions.FirstKeyId] = Derive(first, "steward/personal-data/encrypt");
        }

        foreach (var (id, value) in o.Keys)
        {
            if (id == PersonalDataOptions.FirstKeyId && first is not null)
            {
                throw Invalid("Security:PersonalData:Keys:1 duplicates Security:PersonalData:Key: key 1 is the first key.");
            }

            if (id.Length is 0 or > 20 || !id.All(char.IsAsciiLetterOrDigit))
            {
                throw Invalid($"Security:PersonalData:Keys: the key id '{id}' must be 1–20 letters or digits.");
            }

            encryptionKeys[id] = Derive(Decode(value, "Security:PersonalData:Keys:" + id), "steward/personal-data/encrypt");
        }

        if (!encryptionKeys.ContainsKey(active))
        {
            throw Invalid($"Security:PersonalData:ActiveKeyId is '{active}', but no key has that id.");
        }

        ActiveKeyId = active;
        var indexMaster = !string.IsNullOrWhiteSpace(o.IndexKey) ? Decode(o.IndexKey, "Security:PersonalData:IndexKey")
            : first ?? throw Invalid("Security:PersonalData:IndexKey is required when the first key (Security:PersonalData:Key) is not configured: the blind indexes are derived from it.");
        indexKey = Derive(indexMaster, "steward/personal-data/index");
    }

    /// <summary>The id of the key new values are encrypted under.</summary>
    public string ActiveKeyId { get; }

    /// <summary>The prefix every value encrypted under the active key starts with.</summary>
    public string ActivePrefix => PrefixOf(ActiveKeyId);

    public string? Encrypt(string? plain)
    {
        if (plain is null)
        {
            return null;
        }

        var data = Encoding.UTF8.GetBytes(plain);
        var output = new byte[12 + data.Length + 16];
        var nonce = output.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(encryptionKeys[ActiveKeyId], 16);
        aes.Encrypt(nonce, data, output.AsSpan(12, data.Length), output.AsSpan(12 + data.Length, 16));
        return ActivePrefix + Convert.ToBase64String(output);
    }

    public string? Decrypt(string? cipher)
    {
        if (cipher is null)
        {
            return null;
        }

        var (keyId, body) = Split(cipher);
        if (!encryptionKeys.TryGetValue(keyId, out var key))
        {
            throw new PersonalDataKeyMissingException(keyId);
        }

        var bytes = Convert.FromBase64String(body);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(12, plain.Length), bytes.AsSpan(12 + plain.Length, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// <see cref="Decrypt"/> for best-effort uses (a courtesy message, a contact copied onto a follow-up): null when the value
    /// cannot be read (a key not in this node's ring, a damaged value), so the work around it is not lost.
    /// </summary>
    public string? TryDecrypt(string? cipher)
    {
        try
        {
            return Decrypt(cipher);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or PersonalDataKeyMissingException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The id of the key <paramref name="cipher"/> was written under.</summary>
    public static string KeyIdOf(string cipher) => Split(cipher).KeyId;

    /// <summary>Whether <paramref name="cipher"/> needs rewriting under the active key.</summary>
    public bool IsStale(string? cipher) => cipher is not null && !cipher.StartsWith(ActivePrefix, StringComparison.Ordinal);

    /// <summary>Whether the key <paramref name="cipher"/> was written under is in this node's ring.</summary>
    public bool CanDecrypt(string cipher) => encryptionKeys.ContainsKey(KeyIdOf(cipher));

    /// <summary><paramref name="cipher"/> decrypted and encrypted again under the active key.</summary>
    public string? Reencrypt(string? cipher) => IsStale(cipher) ? Encrypt(Decrypt(cipher)) : cipher;

    /// <summary>A stable keyed hash of the normalised value (trimmed, spaces and dashes removed, upper case).</summary>
    public string? BlindIndex(string? plain)
    {
        if (string.IsNullOrWhiteSpace(plain))
        {
            return null;
        }

        var normalized = new string(plain.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        return Convert.ToHexStringLower(HMACSHA256.HashData(indexKey, Encoding.UTF8.GetBytes(normalized)));
    }

    public static string PrefixOf(string keyId) => keyId == PersonalDataOptions.FirstKeyId ? FirstPrefix : "v2:" + keyId + ":";

    private static (string KeyId, string Body) Split(string cipher)
    {
        if (cipher.StartsWith(FirstPrefix, StringComparison.Ordinal))
        {
            return (PersonalDataOptions.FirstKeyId, cipher[FirstPrefix.Length..]);
        }

        if (cipher.StartsWith("v2:", StringComparison.Ordinal) && cipher.IndexOf(':', 3) is var end and > 3)
        {
            return (cipher[3..end], cipher[(end + 1)..]);
        }

        throw new CryptographicException("Unknown personal-data cipher format.");
    }

    private static byte[] Derive(byte[] master, string purpose) => HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: Encoding.UTF8.GetBytes(purpose));

    private static byte[] Decode(string value, string setting)
    {
        try
        {
            var key = Convert.FromBase64String(value.Trim());
            return key.Length == 32 ? key : throw Invalid(setting + " must be 32 bytes in base64.");
        }
        catch (FormatException)
        {
            throw Invalid(setting + " is not base64.");
        }
    }

    private static OptionsValidationException Invalid(string message) =>
        new(PersonalDataOptions.Section, typeof(PersonalDataOptions), [message]);
}

/// <summary>
/// A stored value is under a key this node's ring does not hold (a node not yet given a new key, or a key removed too
/// early). The problem handler answers <c>personal-data-key-missing</c> instead of a bare 500 and logs the key id.
/// </summary>
public sealed class PersonalDataKeyMissingException(string keyId)
    : CryptographicException($"Personal data is encrypted under key '{keyId}', which is not configured (Security:PersonalData:Keys).")
{
    public string KeyId { get; } = keyId;
}

/// <summary>How personal data is shown to people who may not see it in full.</summary>
public static class Mask
{
    /// <summary>张三丰 → 张*丰, 李四 → 李*, Alice Smith → A**** S****.</summary>
    public static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }

        if (name.Any(c => c > 0x2E80))
        {
            return name.Length switch
            {
                1 => name,
                2 => name[0] + "*",
                _ => name[0] + new string('*', name.Length - 2) + name[^1],
            };
        }

        return string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p[0] + new string('*', p.Length - 1)));
    }

    /// <summary>13812345678 → 138****5678.</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone) || phone.Length < 7)
        {
            return string.IsNullOrEmpty(phone) ? "" : new string('*', phone.Length);
        }

        return phone[..3] + new string('*', phone.Length - 7) + phone[^4..];
    }

    /// <summary>310101199001011234 → 3101**********1234.</summary>
    public static string IdNumber(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length < 8)
        {
            return string.IsNullOrEmpty(id) ? "" : new string('*', id.Length);
        }

        return id[..4] + new string('*', id.Length - 8) + id[^4..];
    }

    /// <summary>zhang.san@example.com → z*********@example.com.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "";
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "*" + email[Math.Max(at, 0)..] : email[0] + new string('*', at - 1) + email[at..];
    }
}
