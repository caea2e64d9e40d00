using System.Security.Cryptography;

namespace Steward.Platform.Security;

/// <summary>
/// A 32-byte key generated once and kept in <c>data/&lt;name&gt;</c> under the content root, for environments other
/// than Production where no key is configured. Production refuses to start without a configured key instead.
/// </summary>
internal static class LocalKeyFile
{
    public static byte[] LoadOrCreate(IHostEnvironment environment, string fileName)
    {
        var path = Path.Combine(environment.ContentRootPath, "data", fileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var generated = RandomNumberGenerator.GetBytes(32);
        File.WriteAllText(path, Convert.ToBase64String(generated));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return generated;
    }
}
