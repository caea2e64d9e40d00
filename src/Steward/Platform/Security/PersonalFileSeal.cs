using System.Security.Cryptography;

namespace Steward.Platform.Security;

/// <summary>A file's bytes sealed under a key of its own, and that key wrapped by the personal-data key ring.</summary>
public sealed record SealedFile(string KeyCipher, byte[] Sealed);

/// <summary>
/// Envelope encryption for personal files (identity document scans): each file is encrypted with AES-256-GCM under a
/// fresh random key, and only that key goes through <see cref="PersonalDataProtector"/>. Rotating the ring re-encrypts the
/// wrapped key — a short string registered like any other personal-data column — never the megabytes of the file
/// (docs/decisions/0032).
/// </summary>
public sealed class PersonalFileSeal(PersonalDataProtector protector)
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;

    public SealedFile Seal(ReadOnlySpan<byte> plain)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var output = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Encrypt(nonce, plain, output.AsSpan(NonceBytes, plain.Length), output.AsSpan(NonceBytes + plain.Length, TagBytes));
        }

        var wrapped = protector.Encrypt(Convert.ToBase64String(key))!;
        CryptographicOperations.ZeroMemory(key);
        return new SealedFile(wrapped, output);
    }

    /// <summary>The file's bytes; throws <see cref="CryptographicException"/> when the bytes or the key were tampered with.</summary>
    public byte[] Open(string keyCipher, ReadOnlySpan<byte> sealedBytes)
    {
        var key = Convert.FromBase64String(protector.Decrypt(keyCipher)!);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        using (var aes = new AesGcm(key, TagBytes))
        {
            aes.Decrypt(sealedBytes[..NonceBytes], sealedBytes.Slice(NonceBytes, length), sealedBytes.Slice(NonceBytes + length, TagBytes), plain);
        }

        CryptographicOperations.ZeroMemory(key);
        return plain;
    }
}
