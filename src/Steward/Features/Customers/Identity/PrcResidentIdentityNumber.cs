using System.Globalization;

namespace Steward.Features.Customers.Identity;

/// <summary>Why a PRC resident identity number (GB 11643-1999) was refused.</summary>
public enum PrcIdentityNumberProblem
{
    None,
    WrongLength,
    NotDigits,
    ImpossibleBirthDate,
    WrongCheckDigit,
}

/// <summary>
/// GB 11643-1999 citizen identity numbers: 17 digits (6 address code, 8 birth date yyyyMMdd, 3 sequence)
/// and an ISO 7064 MOD 11-2 check character (0-9 or X). The birth date inside must be a real calendar date.
/// </summary>
public static class PrcResidentIdentityNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Checks <paramref name="value"/> (trimmed, a lower-case x accepted); the birth date when valid.</summary>
    public static PrcIdentityNumberProblem Check(string? value, out DateOnly birthDate)
    {
        birthDate = default;
        var number = (value ?? string.Empty).Trim().ToUpperInvariant();
        if (number.Length != 18)
        {
            return PrcIdentityNumberProblem.WrongLength;
        }
        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(number[i]))
            {
                return PrcIdentityNumberProblem.NotDigits;
            }
        }
        if (!char.IsAsciiDigit(number[17]) && number[17] != 'X')
        {
            return PrcIdentityNumberProblem.NotDigits;
        }
        if (!DateOnly.TryParseExact(number.AsSpan(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture,
                DateTimeStyles.None, out birthDate))
        {
            return PrcIdentityNumberProblem.ImpossibleBirthDate;
        }
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (number[i] - '0') * Weights[i];
        }
        if (CheckCharacters[sum % 11] != number[17])
        {
            birthDate = default;
            return PrcIdentityNumberProblem.WrongCheckDigit;
        }
        return PrcIdentityNumberProblem.None;
    }
}
