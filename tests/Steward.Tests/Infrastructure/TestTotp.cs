using System.Globalization;
using System.Security.Cryptography;

namespace Steward.Tests.Infrastructure;

/// <summary>The tests' own authenticator: codes computed from the RFC texts, independent of the Otp.NET library Steward uses (checked against RFC 6238's vectors in TwoFactorTests).</summary>
public static class TestTotp
{
    /// <summary>RFC 6238 TOTP with HMAC-SHA1, 30-second steps from the Unix epoch, 6 digits (RFC 4226 §5.3 truncation).</summary>
    public static string Code(byte[] secret, DateTimeOffset at)
    {
        var counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (var i = 7; i >= 0; i--, counter >>= 8)
        {
            message[i] = (byte)(counter & 0xff);
        }

        var hash = HMACSHA1.HashData(secret, message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>RFC 4648 Base32 (spaces and padding ignored).</summary>
    public static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.ToUpperInvariant().Where(c => c != ' ' && c != '='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
                value &= (1 << bits) - 1;
            }
        }

        return [.. bytes];
    }
}
