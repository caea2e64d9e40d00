using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Steward.Platform.Security;

namespace Steward.Platform.Database;

/// <summary>
/// Encrypts the data-protection key ring (which signs cookies, antiforgery tokens and bearer tokens)
/// before it is stored in the database, with the personal-data key that is kept outside the database
/// (<c>Security:PersonalData:Key</c>). Someone who can read the database alone can then neither forge
/// a sign-in nor read a protected payload. Keys written before this existed stay readable as they are.
/// </summary>
internal sealed class KeyRingEncryptor(PersonalDataProtector protector) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var cipher = protector.Encrypt(plaintextElement.ToString(SaveOptions.DisableFormatting))!;
        return new EncryptedXmlInfo(new XElement("stewardKeyRing", new XAttribute("version", "1"), cipher), typeof(KeyRingDecryptor));
    }
}

/// <summary>Reads what <see cref="KeyRingEncryptor"/> wrote; created by the data-protection system with the service provider.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var protector = services.GetRequiredService<PersonalDataProtector>();
        return XElement.Parse(protector.Decrypt(encryptedElement.Value)
            ?? throw new System.Security.Cryptography.CryptographicException("The stored key ring element is empty."));
    }
}
