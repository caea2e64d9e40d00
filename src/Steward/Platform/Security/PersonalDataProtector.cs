using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Steward.Platform.Security;

/// <summary>Bound from <c>Security:PersonalData</c>.</summary>
public sealed class PersonalDataOptions
{
    public const string Section = "Security:PersonalData";

    /// <summary>
    /// Base64 of a 32-byte key. Required in Production (from the environment or a secret store,
    /// never the repository). When empty outside Production a key is generated once and kept in
    /// <c>data/personal-data.key</c> beside the SQLite file.
    /// </summary>
    [MaxLength(200)]
    public string? Key { get; set; }
}

/// <summary>
/// Encrypts personal data (identity numbers, phone numbers, e-mail addresses) with AES-256-GCM
/// before it is stored, and computes a keyed blind index (HMAC-SHA256) so that exact look-ups work
/// without decrypting. Cipher text is <c>v1:</c> + base64(nonce ‖ cipher ‖ tag).
/// </summary>
public sealed class PersonalDataProtector
{
    private const string Prefix = "v1:";
    private readonly byte[] encryptionKey;
    private readonly byte[] indexKey;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options, IHostEnvironment environment)
    {
        var master = LoadKey(options.Value.Key, environment);
        encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "steward/personal-data/encrypt"u8.ToArray());
        indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "steward/personal-data/index"u8.ToArray());
    }

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
        using var aes = new AesGcm(encryptionKey, 16);
        aes.Encrypt(nonce, data, output.AsSpan(12, data.Length), output.AsSpan(12 + data.Length, 16));
        return Prefix + Convert.ToBase64String(output);
    }

    public string? Decrypt(string? cipher)
    {
        if (cipher is null)
        {
            return null;
        }

        if (!cipher.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown personal-data cipher format.");
        }

        var bytes = Convert.FromBase64String(cipher[Prefix.Length..]);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(encryptionKey, 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(12, plain.Length), bytes.AsSpan(12 + plain.Length, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }

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

    private static byte[] LoadKey(string? configured, IHostEnvironment environment)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var key = Convert.FromBase64String(configured);
            return key.Length == 32 ? key : throw new OptionsValidationException(PersonalDataOptions.Section, typeof(PersonalDataOptions), ["Security:PersonalData:Key must be 32 bytes in base64."]);
        }

        if (environment.IsProduction())
        {
            throw new OptionsValidationException(PersonalDataOptions.Section, typeof(PersonalDataOptions),
                ["Security:PersonalData:Key is required in Production (32 random bytes, base64)."]);
        }

        return LocalKeyFile.LoadOrCreate(environment, "personal-data.key");
    }
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
