using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Steward.Bench.Environment;
using Steward.Bench.Scenarios;

namespace Steward.Bench;

/// <summary>The entry point (a named class: tests reference this assembly beside Steward's own <c>Program</c>).</summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        BenchOptions options;
        IReadOnlyList<Scenario> scenarios;
        try
        {
            options = BenchOptions.Parse(args);
            scenarios = ScenarioCatalog.Select(options.Scenarios);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        if (options.ListOnly)
        {
            foreach (var s in ScenarioCatalog.All)
            {
                var needs = s.RequiredOperations.Count > 0 ? $" [needs {string.Join(", ", s.RequiredOperations)}]" : "";
                Console.WriteLine($"{s.Name,-12}{(s.RequiresPostgres ? " (PostgreSQL only)" : "")} {s.Description}{needs}");
            }

            return 0;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        var ct = cancel.Token;
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        void Say(string message) => Console.Error.WriteLine(message);

        var machine = MachineInfo.Collect(options.RepositoryRoot);
        Say($"Steward bench: {string.Join(", ", scenarios.Select(s => s.Name))} on {options.Database}{(options.Quick ? " (quick)" : "")}; {machine.Cores} cores, load {machine.LoadAverage}");

        var work = Directory.CreateTempSubdirectory("steward-bench.").FullName;
        PostgresCluster? cluster = null;
        StewardServer? server = null;
        NpgsqlDataSource? dataSource = null;
        var results = new List<ScenarioResult>();
        string? pgVersion = null;
        IReadOnlyList<(string, string)> pgSettings = [];
        string databaseText;
        string? startup = null;
        var exitCode = 0;
        try
        {
            string provider, connectionString;
            var maxWorkers = options.Concurrency.Max();
            if (options.Database == DatabaseKind.Postgres)
            {
                cluster = await PostgresCluster.StartAsync(options.PostgresConnectionString, Math.Max(100, (maxWorkers * 2) + 20), Say, ct, options.KeepDatabase, options.DatabaseName);
                (pgVersion, pgSettings) = await cluster.DescribeAsync(ct);
                provider = "Postgres";
                connectionString = cluster.ConnectionString;
                databaseText = $"PostgreSQL {(cluster.IsThrowaway ? "throwaway cluster (initdb, 127.0.0.1, temp folder, default durability)" : "server given with --pg")}, database `{cluster.DatabaseName}`";
                dataSource = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxWorkers + 10 }.ConnectionString).Build();
            }
            else
            {
                provider = "Sqlite";
                var file = Path.Combine(work, "steward.db");
                connectionString = $"Data Source={file}";
                databaseText = $"SQLite file in a temp folder (`{file}`), WAL";
            }

            var watch = Stopwatch.StartNew();
            server = await StewardServer.StartAsync(options.StewardDll, provider, connectionString, options.DemoCustomers, work, Say, ct, options.DatabaseName);
            startup = watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s (migrations and demo seed)";

            using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan, UseCookies = false };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var operations = await server.ApiOperationsAsync(http, ct);
            var first = server;
            var context = new BenchContext(options, server, http, operations, dataSource, Say,
                c => StewardServer.StartAsync(options.StewardDll, provider, connectionString, options.DemoCustomers, work, Say, c, options.DatabaseName, peer: first));

            foreach (var scenario in scenarios)
            {
                var result = new ScenarioResult(scenario.Name, scenario.Description);
                results.Add(result);
                var missing = scenario.RequiredOperations.Where(o => !operations.Contains(o)).ToList();
                if (missing.Count > 0)
                {
                    result.Status = ScenarioStatus.NotAvailable;
                    result.Reason = $"this build has no {string.Join(", ", missing)}";
                    Say($"  {scenario.Name,-11} not available yet: {result.Reason}");
                    continue;
                }

                if (scenario.RequiresPostgres && dataSource is null)
                {
                    result.Status = ScenarioStatus.Skipped;
                    result.Reason = "needs PostgreSQL (run with --db postgres)";
                    Say($"  {scenario.Name,-11} skipped: {result.Reason}");
                    continue;
                }

                var scenarioClock = Stopwatch.StartNew();
                try
                {
                    await scenario.RunAsync(context, result, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    result.Fail($"{e.GetType().Name}: {e.Message}");
                }

                result.Elapsed = scenarioClock.Elapsed;
                if (scenario.UsesSteward)
                {
                    Targets.Rss(result);
                }

                if (result.Status == ScenarioStatus.Failed)
                {
                    Say($"  {scenario.Name,-11} FAILED: {result.Reason}");
                }
                else if (result.Status == ScenarioStatus.NotAvailable)
                {
                    Say($"  {scenario.Name,-11} {result.Reason}");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Say("Cancelled.");
            exitCode = 130;
            databaseText = "";
        }
        catch (Exception e)
        {
            Say($"Set-up failed: {e.Message}");
            exitCode = 2;
            databaseText = "";
        }
        finally
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (dataSource is not null)
            {
                await dataSource.DisposeAsync();
            }

            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        if (exitCode != 0)
        {
            return exitCode;
        }

        var run = new RunInfo(startedAt, clock.Elapsed, machine, MachineInfo.CurrentLoadAverage(), databaseText, pgVersion, pgSettings, options.StewardDll, startup);
        var markdown = Report.Render(options, run, results);
        Console.WriteLine(markdown);
        if (options.Save)
        {
            Directory.CreateDirectory(options.ResultsDirectory);
            var name = $"{startedAt.ToString("yyyy-MM-dd-HHmm", CultureInfo.InvariantCulture)}-{(options.Quick ? "quick-" : "")}{string.Join('+', options.Scenarios)}.md";
            var path = Path.Combine(options.ResultsDirectory, name);
            await File.WriteAllTextAsync(path, markdown, CancellationToken.None);
            Say($"Report written to {path}");
        }

        var failed = results.Where(r => r.Status == ScenarioStatus.Failed).Select(r => r.Name).ToList();
        Say(failed.Count == 0
            ? $"All scenarios ran without functional errors in {clock.Elapsed.TotalSeconds:0.0} s."
            : $"FAILED: {string.Join(", ", failed)} (see the report).");
        return failed.Count == 0 ? 0 : 1;
    }
}
