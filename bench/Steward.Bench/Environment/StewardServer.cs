using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Steward.Bench.Environment;

/// <summary>
/// Steward started as its own process from the built <c>Steward.dll</c> (<c>dotnet Steward.dll --urls …</c>),
/// on PostgreSQL or a temporary SQLite file, with the demo institution seeded. Its output goes to a log
/// file; it is stopped with SIGTERM (then killed) at the end.
/// </summary>
public sealed class StewardServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly string logPath;
    private readonly StreamWriter log;

    private StewardServer(Process process, Uri baseAddress, string logPath, StreamWriter log, byte[] auditKey, byte[] personalDataKey)
    {
        this.process = process;
        this.logPath = logPath;
        this.log = log;
        BaseAddress = baseAddress;
        AuditKey = auditKey;
        PersonalDataKey = personalDataKey;
    }

    /// <summary>The personal-data key given to the server (a second node on the same database gets the same).</summary>
    public byte[] PersonalDataKey { get; }

    /// <summary>The id of the audit key the server signs the chain with (<see cref="AuditKey"/>).</summary>
    public const string AuditKeyId = "bench";

    /// <summary>The audit key given to the server, so that the raw intake baseline can sign its entries the same way.</summary>
    public byte[] AuditKey { get; }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public string LogPath => logPath;

    public bool HasExited => process.HasExited;

    /// <param name="keptDatabase">
    /// The name of a database kept between runs (<c>--database</c>), or null. Its personal-data and audit keys are derived
    /// from the name, so that the next run decrypts what this one stored and verifies the chain it signed (synthetic data only: a real deployment keeps
    /// its key out of the database and the code); and start-up may take longer, as new migrations run on its data.
    /// </param>
    /// <param name="peer">
    /// Set for a second app node on the same database: it gets the peer's keys, seeds no demo (the first node did) and
    /// logs to its own file in <paramref name="workDirectory"/>.
    /// </param>
    public static async Task<StewardServer> StartAsync(string dll, string provider, string connectionString, int demoCustomers, string workDirectory, Action<string> say, CancellationToken cancellationToken, string? keptDatabase = null,
        StewardServer? peer = null)
    {
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Steward is not built: {dll} is missing (dotnet build -c Release, or pass --steward-dll).");
        }

        var port = ProcessRunner.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        info.Environment["DOTNET_ENVIRONMENT"] = "Benchmark";
        info.Environment["Database__Provider"] = provider;
        info.Environment["ConnectionStrings__Steward"] = connectionString;
        info.Environment["Demo__Enabled"] = peer is null ? "true" : "false";
        info.Environment["Demo__Customers"] = demoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The bench loads its own case data; the demo's played history would only slow the start and blur the figures.
        info.Environment["Demo__History"] = "false";
        var personalDataKey = peer?.PersonalDataKey ?? BenchKey("steward-bench-synthetic-data:", keptDatabase);
        info.Environment["Security__PersonalData__Key"] = Convert.ToBase64String(personalDataKey);
        var auditKey = peer?.AuditKey ?? BenchKey("steward-bench-synthetic-audit:", keptDatabase);
        info.Environment["Security__Audit__Keys__" + AuditKeyId] = Convert.ToBase64String(auditKey);
        info.Environment["Security__Audit__CurrentKeyId"] = AuditKeyId;
        var node = peer is null ? "" : "-node2";
        info.Environment["Audit__CheckpointFile"] = Path.Combine(workDirectory, $"audit-checkpoints{node}.log");
        // Console logging costs CPU under load; warnings and errors still reach the log file.
        // The mail scenario's mailbox is read every second, all of it in one pass.
        info.Environment["Mail__PollSeconds"] = "1";
        info.Environment["Mail__BatchSize"] = "100000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";

        var logPath = Path.Combine(workDirectory, $"steward{node}.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start dotnet.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new StewardServer(process, baseAddress, logPath, log, auditKey, personalDataKey);
        try
        {
            var watch = Stopwatch.StartNew();
            await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(keptDatabase is null ? 180 : 3600), cancellationToken);
            say($"Steward ready at {baseAddress} (pid {process.Id}, {provider}) after {watch.Elapsed.TotalSeconds:0.0} s; log {logPath}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static byte[] BenchKey(string purpose, string? keptDatabase) =>
        keptDatabase is null ? RandomNumberGenerator.GetBytes(32) : SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(purpose + keptDatabase));

    /// <summary>The API paths of the running build, from its OpenAPI document, as "METHOD /path".</summary>
    public async Task<IReadOnlySet<string>> ApiOperationsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        using var document = await client.GetFromJsonAsync<JsonDocument>(new Uri(BaseAddress, "openapi/v1.json"), cancellationToken)
            ?? throw new InvalidOperationException("Empty OpenAPI document.");
        var operations = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                operations.Add($"{method.Name.ToUpperInvariant()} {path.Name.TrimEnd('/')}");
            }
        }

        return operations;
    }

    /// <summary>The last lines of the server log, for failure reports.</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            try
            {
                // Graceful first (SIGTERM), so the host shuts down as in production.
                await ProcessRunner.RunAsync("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], CancellationToken.None);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await process.WaitForExitAsync(wait.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Steward exited with {process.ExitCode} during start-up:\n{Tail()}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri(BaseAddress, "health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"Steward was not ready after {timeout.TotalSeconds:0} s:\n{Tail()}");
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
