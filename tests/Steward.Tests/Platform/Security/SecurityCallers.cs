using System.Runtime.CompilerServices;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

/// <summary>
/// What the authorization matrix and the hostile-input suite share: one branch with a team, one API client per role (staff
/// member 1 is nobody's caller, so writes to "/staff/1" change someone who sends nothing), a customer and a case for
/// "{id} = 1" to find, and the reviewed matrix file.
/// </summary>
internal sealed class SecurityCallers
{
    public const string Anonymous = "Anonymous";

    private readonly StewardApp app;

    private SecurityCallers(StewardApp app) => this.app = app;

    /// <summary>By role name (and <see cref="Anonymous"/>): the client to call with.</summary>
    public Dictionary<string, HttpClient> Clients { get; } = [];

    public Dictionary<string, string> Usernames { get; } = [];

    public static async Task<SecurityCallers> StartAsync(StewardApp app)
    {
        var callers = new SecurityCallers(app);
        var branch = await app.CreateBranchAsync();
        var team = await app.CreateTeamAsync(branch.Id);
        await app.CreateStaffAsync(branch.Id, team.Id, StaffRole.Agent);
        callers.Clients[Anonymous] = app.AnonymousClient();
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            var staff = await app.CreateStaffAsync(branch.Id, role is StaffRole.Agent or StaffRole.TeamLead or StaffRole.BackOffice ? team.Id : null, role);
            callers.Usernames[role.ToString()] = staff.Username;
            callers.Clients[role.ToString()] = await app.ApiClientAsync(staff.Username);
        }

        await app.CreateCustomerAsync(branch.Id);
        await StewardApp.CreateCaseAsync(callers.Clients[nameof(StaffRole.Agent)], branchId: branch.Id);
        return callers;
    }

    /// <summary>Signs <paramref name="who"/> in again (a write may have ended the caller's own session).</summary>
    public async Task<HttpClient> RenewAsync(string who) => Clients[who] = await app.ApiClientAsync(Usernames[who]);

    /// <summary>A URL for an OpenAPI path with every parameter 1.</summary>
    public static string Url(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", "1");

    /// <summary>The matrix file beside this source file (the tests run from the source tree they were built from).</summary>
    public static string MatrixPath() => Path.Combine(Path.GetDirectoryName(ThisFile())!, "authorization-matrix.txt");

    private static string ThisFile([CallerFilePath] string source = "") => source;

    /// <summary>The matrix file: "METHOD /path" → who gets through ("public", "nobody" or the roles).</summary>
    public static Dictionary<string, string> ReadMatrix(string text) => text.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split("  ", 2, StringSplitOptions.TrimEntries))
        .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
