using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Hosting;

/// <summary>
/// Steward started as an operator starts it: its built <c>Steward.dll</c> in a process of its own,
/// from a working directory that is not its folder.
/// </summary>
public sealed class StartupTests
{
    /// <summary>The app's build output beside this test build (same configuration).</summary>
    private static string BuildFolder()
    {
        var here = AppContext.BaseDirectory; // tests/Steward.Tests/bin/<Configuration>/net10.0/
        var framework = new DirectoryInfo(here.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!.Name;
        var root = framework;
        while (!File.Exists(Path.Combine(root.FullName, "Steward.slnx")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Steward.slnx not found above " + here);
        }

        return Path.Combine(root.FullName, "src", "Steward", "bin", configuration, framework.Name);
    }

    private static Process Start(string dll, string workingDirectory, IDictionary<string, string> environment, string urls)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(urls);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    [Fact]
    public async Task Start_WithAPostgresDatabaseThatDoesNotExist_SaysSoInOneLineAndExits1()
    {
        var missing = new NpgsqlConnectionStringBuilder(TestDatabases.ServerConnectionString) { Database = "steward_missing_" + Guid.NewGuid().ToString("N")[..8] };
        using var process = Start(Path.Combine(BuildFolder(), "Steward.dll"), Path.GetTempPath(), new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Staging",
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Steward"] = missing.ToString(),
            ["Demo__Enabled"] = "false",
            ["Security__PersonalData__Key"] = Convert.ToBase64String(new byte[32]),
        }, "http://127.0.0.1:0");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        var lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("Steward cannot start: the PostgreSQL database \"" + missing.Database + "\"", line);
        Assert.Contains("does not exist", line);
        Assert.Contains("Create the database and its role first", line);
        Assert.DoesNotContain(" at ", (await stdout) + line);
    }

    [Fact]
    public async Task PublishedCopy_StartedFromAnotherFolder_ServesItsStylesheetsAndKeepsItsDataBesideIt()
    {
        // A published copy is the build output with wwwroot beside Steward.dll.
        var app = Directory.CreateTempSubdirectory("steward-published-").FullName;
        var elsewhere = Directory.CreateTempSubdirectory("steward-cwd-").FullName;
        Process? process = null;
        try
        {
            Copy(BuildFolder(), app);
            Copy(Path.Combine(BuildFolder(), "..", "..", "..", "wwwroot"), Path.Combine(app, "wwwroot"));
            var port = FreePort();
            process = Start(Path.Combine(app, "Steward.dll"), elsewhere, new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Staging",
                ["Demo__Enabled"] = "false",
                ["Security__PersonalData__Key"] = Convert.ToBase64String(new byte[32]),
            }, $"http://127.0.0.1:{port}");
            _ = process.StandardError.ReadToEndAsync();
            Assert.True(await StartedAsync(process), "Steward did not say it had started within 3 minutes");

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            Assert.True((await http.GetAsync("health/live")).IsSuccessStatusCode, "Steward started but /health/live does not answer");

            using var css = await http.GetAsync("css/site.css");
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
            using var bootstrap = await http.GetAsync("lib/bootstrap/bootstrap.min.css");
            Assert.Equal(HttpStatusCode.OK, bootstrap.StatusCode);
            Assert.True(File.Exists(Path.Combine(app, "data", "steward.db")), "the SQLite file belongs in the app's data folder");
            Assert.False(Directory.Exists(Path.Combine(elsewhere, "data")), "nothing is written to the working directory");
        }
        finally
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process?.Dispose();
            Directory.Delete(app, recursive: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Waits for the server process to log that it has started (the host's "Application started" line, which comes once
    /// Kestrel listens), reading its output as it comes; false if it exits first or says nothing within 3 minutes.
    /// </summary>
    private static async Task<bool> StartedAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Contains("Application started", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync(); // keep draining, so the process never blocks on a full pipe
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }
}
