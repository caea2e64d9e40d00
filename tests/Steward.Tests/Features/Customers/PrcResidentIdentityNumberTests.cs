using Steward.Features.Customers.Identity;
using Xunit;

namespace Steward.Tests.Features.Customers;

public class PrcResidentIdentityNumberTests
{
    // 11010519491231002X: weighted sum 167, 167 mod 11 = 2 -> 'X' (worked by hand; the standard's published example).
    [Fact]
    public void A_valid_number_passes_and_gives_its_birth_date()
    {
        Assert.Equal(PrcIdentityNumberProblem.None, PrcResidentIdentityNumber.Check("11010519491231002x", out var born));
        Assert.Equal(new DateOnly(1949, 12, 31), born);
    }

    [Theory]
    [InlineData("110105194912310021", PrcIdentityNumberProblem.WrongCheckDigit)]
    [InlineData("11010519491231002", PrcIdentityNumberProblem.WrongLength)]
    [InlineData("1101051949123100A2", PrcIdentityNumberProblem.NotDigits)]
    [InlineData("110105194902300021", PrcIdentityNumberProblem.ImpossibleBirthDate)] // 30 February
    public void A_wrong_number_is_refused_with_its_reason(string number, PrcIdentityNumberProblem expected)
    {
        Assert.Equal(expected, PrcResidentIdentityNumber.Check(number, out _));
    }
}
