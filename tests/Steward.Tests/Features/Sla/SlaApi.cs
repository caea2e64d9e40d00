using System.Net;
using System.Text.Json;
using Steward.Features.Organisation;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Features.Sla;

/// <summary>Intent methods for the SLA API tests.</summary>
internal static class SlaApi
{
    public static readonly Dictionary<string, string[]> ShanghaiHours = Weekdays("09:00-12:00", "13:30-17:30");

    public static Dictionary<string, string[]> Weekdays(params string[] periods) => new()
    {
        ["Monday"] = periods, ["Tuesday"] = periods, ["Wednesday"] = periods, ["Thursday"] = periods, ["Friday"] = periods,
    };

    public static async Task<(StewardApp App, Branch Branch, HttpClient Admin)> StartAsync(Steward.Platform.Database.DatabaseProvider provider)
    {
        var app = await StewardApp.StartAsync(provider);
        var branch = await app.CreateBranchAsync();
        var (_, admin) = await app.SignInAsync(branch.Id, StaffRole.Administrator);
        return (app, branch, admin);
    }

    public static async Task<JsonElement> CreateCalendarAsync(HttpClient client, object body) =>
        await (await client.PostJsonAsync("/api/v1/calendars", body)).ShouldBeJsonAsync(HttpStatusCode.Created);

    public static async Task<long> StandardIdAsync(HttpClient client, string code)
    {
        var standards = await (await client.GetAsync("/api/v1/sla/standards")).ShouldBeJsonAsync(HttpStatusCode.OK);
        return standards.EnumerateArray().Single(s => s.GetProperty("code").GetString() == code).GetProperty("id").GetInt64();
    }

    public static async Task<JsonElement> ResolveAsync(HttpClient client, string kind, string priority, string tier, string channel, string? at = null)
    {
        var url = $"/api/v1/sla/standards/resolve?kind={kind}&priority={priority}&tier={tier}&channel={channel}" + (at is null ? "" : "&at=" + Uri.EscapeDataString(at));
        return await (await client.GetAsync(url)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    public static JsonElement Target(JsonElement resolution, string type, string layer = "Institution") =>
        resolution.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("type").GetString() == type && t.GetProperty("layer").GetString() == layer);

    public static string Describe(JsonElement target) =>
        $"{target.GetProperty("target").GetProperty("amount").GetInt32()} {target.GetProperty("target").GetProperty("unit").GetString()}";

    public static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
