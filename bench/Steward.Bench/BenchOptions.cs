using System.Globalization;
using System.Reflection;

namespace Steward.Bench;

public enum DatabaseKind
{
    Postgres,
    Sqlite,
}

/// <summary>The command line. Every figure in a report can be reproduced from the command it prints.</summary>
public sealed class BenchOptions
{
    public IReadOnlyList<string> Scenarios { get; private set; } = ["all"];

    public bool Quick { get; private set; }

    public DatabaseKind Database { get; private set; } = DatabaseKind.Postgres;

    /// <summary>An existing PostgreSQL server (a fresh database is created on it and dropped at the end).</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>Measured seconds per concurrency step.</summary>
    public double DurationSeconds { get; private set; }

    /// <summary>Warm-up seconds per concurrency step (not counted).</summary>
    public double WarmupSeconds { get; private set; }

    public IReadOnlyList<int> Concurrency { get; private set; } = [];

    /// <summary>How many cases the case scenarios generate (intake, workbench, search, sweep).</summary>
    public int Cases { get; private set; }

    /// <summary>How many customers the <c>datagen</c> scenario bulk-loads.</summary>
    public int Customers { get; private set; }

    /// <summary>Demo customers Steward seeds at start (Demo__Customers).</summary>
    public int DemoCustomers { get; private set; } = 1000;

    public int Seed { get; private set; } = 2026;

    public string ResultsDirectory { get; private set; } = "";

    public bool Save { get; private set; } = true;

    public string StewardDll { get; private set; } = "";

    public string RepositoryRoot { get; private set; } = "";

    public bool ListOnly { get; private set; }

    /// <summary>With <c>--pg</c>: do not drop the run's database at the end.</summary>
    public bool KeepDatabase { get; private set; }

    /// <summary>With <c>--pg</c>: this database (created if missing, never dropped); cases a run loaded into it are reused by the next run with the same seed and count.</summary>
    public string? DatabaseName { get; private set; }

    /// <summary>Load no <c>case_search</c> rows (runs without the search scenario at 10 M cases: saves ~3.7 GB per million cases).</summary>
    public bool SearchRows { get; private set; } = true;

    public bool Help { get; private set; }

    /// <summary>The command as typed, for the report.</summary>
    public string CommandLine { get; private set; } = "";

    public TimeSpan Duration => TimeSpan.FromSeconds(DurationSeconds);

    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);

    public const string Usage =
        """
        Steward benchmarks: starts PostgreSQL (or SQLite) and Steward, runs load scenarios, writes a Markdown report.

          dotnet run -c Release --project bench/Steward.Bench -- [options]

          --scenario <names>     comma-separated scenarios, or "all" (default); --list shows them
          --quick                smoke mode: small data, 0.3 s warm-up + 1 s steps, concurrency 1,4
          --db postgres|sqlite   Steward's database (default postgres: a throwaway PostgreSQL 15 cluster)
          --pg "<conn string>"   use this PostgreSQL server instead (a fresh database is created and dropped)
          --duration <s>         measured seconds per concurrency step (default 30; quick 1)
          --warmup <s>           warm-up seconds per step, not counted (default 5; quick 0.3)
          --concurrency <list>   closed-loop workers per step (default 1,4,16,64; quick 1,4)
          --cases <n>            cases the case scenarios generate (default 100000; quick 2000)
          --customers <n>        customers the datagen scenario bulk-loads (default 1000000; quick 10000)
          --demo-customers <n>   Demo__Customers for Steward's own seed (default 1000)
          --seed <n>             data generator seed (default 2026)
          --out <dir>            report folder (default bench/results)
          --no-save              print the report only
          --keep-db              with --pg: keep the run's database (to inspect or EXPLAIN on the loaded data)
          --database <name>      with --pg: use this database (created if missing, kept); a later run with the same
                                 --seed and --cases reuses the cases loaded into it instead of loading them again
          --no-search-rows       do not load case_search rows (workbench and sweep at 10 M cases; search then fails)
          --steward-dll <path>   the Steward.dll to start (default: the one built beside this project)
          --list                 list the scenarios and exit

        Exit code: 0 when every scenario ran without functional errors (targets never fail a run),
        1 when a scenario failed (HTTP or database errors), 2 for bad arguments or a failed set-up.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        double? duration = null, warmup = null;
        int? cases = null, customers = null;
        IReadOnlyList<int>? concurrency = null;
        var assembly = Assembly.GetExecutingAssembly();
        string Meta(string key) => assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value ?? "";
        o.RepositoryRoot = Meta("RepositoryRoot");
        o.StewardDll = Meta("StewardDll");
        string? outDir = null;

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            switch (arg)
            {
                case "--scenario" or "--scenarios" or "-s":
                    o.Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToList();
                    break;
                case "--quick":
                    o.Quick = true;
                    break;
                case "--db":
                    o.Database = Value().ToLowerInvariant() switch
                    {
                        "postgres" or "postgresql" or "pg" => DatabaseKind.Postgres,
                        "sqlite" => DatabaseKind.Sqlite,
                        var other => throw new ArgumentException($"--db {other}: use postgres or sqlite."),
                    };
                    break;
                case "--pg":
                    o.PostgresConnectionString = Value();
                    break;
                case "--duration":
                    duration = PositiveDouble(arg, Value());
                    break;
                case "--warmup":
                    warmup = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--concurrency":
                    concurrency = Value().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => PositiveInt(arg, s)).ToList();
                    break;
                case "--cases":
                    cases = PositiveInt(arg, Value());
                    break;
                case "--customers":
                    customers = PositiveInt(arg, Value());
                    break;
                case "--demo-customers":
                    o.DemoCustomers = PositiveInt(arg, Value());
                    break;
                case "--seed":
                    o.Seed = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    outDir = Value();
                    break;
                case "--no-save":
                    o.Save = false;
                    break;
                case "--steward-dll":
                    o.StewardDll = Path.GetFullPath(Value());
                    break;
                case "--keep-db":
                    o.KeepDatabase = true;
                    break;
                case "--database":
                    o.DatabaseName = Value();
                    if (!System.Text.RegularExpressions.Regex.IsMatch(o.DatabaseName, "^[a-z_][a-z0-9_]{0,62}$"))
                    {
                        throw new ArgumentException($"--database {o.DatabaseName}: use lower-case letters, digits and _.");
                    }

                    break;
                case "--no-search-rows":
                    o.SearchRows = false;
                    break;
                case "--list":
                    o.ListOnly = true;
                    break;
                case "--help" or "-h" or "-?":
                    o.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {arg}.");
            }
        }

        if (o.DatabaseName is not null && o.PostgresConnectionString is null)
        {
            throw new ArgumentException("--database needs --pg (a server that outlives the run).");
        }

        o.DurationSeconds = duration ?? (o.Quick ? 1 : 30);
        o.WarmupSeconds = warmup ?? (o.Quick ? 0.3 : 5);
        o.Concurrency = concurrency ?? (o.Quick ? [1, 4] : [1, 4, 16, 64]);
        o.Cases = cases ?? (o.Quick ? 2000 : 100_000);
        o.Customers = customers ?? (o.Quick ? 10_000 : 1_000_000);
        o.ResultsDirectory = Path.GetFullPath(outDir ?? Path.Combine(o.RepositoryRoot, "bench", "results"));
        // Passwords in --pg never reach a report.
        o.CommandLine = "dotnet run -c Release --project bench/Steward.Bench --" + string.Concat(args.Select(a =>
            " " + Quote(System.Text.RegularExpressions.Regex.Replace(a, "(?i)(password|pwd)=[^;]*", "$1=***"))));
        return o;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_.,/=:".Contains(c, StringComparison.Ordinal)) ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static int PositiveInt(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option}: {value} is not a positive whole number.");

    private static double PositiveDouble(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{option}: {value} is not a positive number.");
}
