using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Steward.Features.Customers;
using Steward.Platform.Database;
using Steward.Platform.Security;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

public sealed class PersonalDataTests
{
    [Theory, BothDatabases]
    public async Task SeededCustomer_IsStoredEncrypted_AndDecryptsBack(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider, new Dictionary<string, string?> { ["Demo:Enabled"] = "true", ["Demo:Customers"] = "20", ["Demo:History"] = "false" });
        var protector = app.Services.GetRequiredService<PersonalDataProtector>();
        var customer = await app.WithDbAsync(db => db.Set<Customer>().AsNoTracking().OrderBy(c => c.Id).FirstAsync());

        Assert.StartsWith("v1:", customer.PhoneCipher, StringComparison.Ordinal);
        var phone = protector.Decrypt(customer.PhoneCipher)!;
        Assert.DoesNotContain(phone, customer.PhoneCipher!, StringComparison.Ordinal);
        Assert.Equal(customer.PhoneIndex, protector.BlindIndex(phone));
        Assert.Equal(customer.PhoneIndex, protector.BlindIndex(" " + phone[..3] + "-" + phone[3..] + " "));
    }

    [Fact]
    public void Decrypt_WhenCipherTextWasAltered_Fails()
    {
        var protector = new PersonalDataProtector(
            Microsoft.Extensions.Options.Options.Create(new PersonalDataOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Testing", ContentRootPath = Path.GetTempPath() });
        var cipher = protector.Encrypt("13812345678")!;
        var bytes = Convert.FromBase64String(cipher[3..]);
        bytes[15] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => protector.Decrypt("v1:" + Convert.ToBase64String(bytes)));
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("+447911123456", "+44******3456")]
    public void Mask_Phone_KeepsFirstThreeAndLastFour(string phone, string expected) => Assert.Equal(expected, Mask.Phone(phone));

    [Theory]
    [InlineData("张三丰", "张*丰")]
    [InlineData("李四", "李*")]
    [InlineData("欧阳娜娜", "欧**娜")]
    [InlineData("Emma Clarke", "E*** C*****")]
    public void Mask_Name_HidesTheMiddle(string name, string expected) => Assert.Equal(expected, Mask.Name(name));

    [Fact]
    public void Mask_IdNumber_KeepsFirstFourAndLastFour() => Assert.Equal("3101**********123X", Mask.IdNumber("31011519900101123X"));
}
