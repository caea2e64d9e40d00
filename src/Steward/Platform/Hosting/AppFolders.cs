using System.Reflection;

namespace Steward.Platform.Hosting;

/// <summary>Where Steward finds its web root and keeps <c>data/</c>.</summary>
public static class AppFolders
{
    /// <summary>
    /// The content root for <c>WebApplication.CreateBuilder</c>: the application's own folder when it is a
    /// published copy (it has <c>wwwroot/</c> beside <c>Steward.dll</c>), so <c>dotnet /opt/steward/Steward.dll</c>
    /// serves its CSS and scripts and keeps <c>data/</c> there, whatever the working directory. Null — the
    /// host's default, the working directory — for <c>dotnet run</c> (the project folder, whose static files
    /// come from the build's manifest), for a host started by tests, and when <c>--contentRoot</c> or
    /// <c>ASPNETCORE_CONTENTROOT</c> says where.
    /// </summary>
    public static string? ContentRoot(string[] args)
    {
        var explicitlySet = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        if (explicitlySet || Assembly.GetEntryAssembly()?.GetName().Name != typeof(AppFolders).Assembly.GetName().Name)
        {
            return null;
        }

        var appFolder = AppContext.BaseDirectory;
        return Directory.Exists(Path.Combine(appFolder, "wwwroot")) ? appFolder : null;
    }
}
