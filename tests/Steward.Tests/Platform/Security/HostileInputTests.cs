using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Steward.Platform.Audit;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

/// <summary>
/// Issue 18's hostile-input suite: every write operation of the OpenAPI document that takes a JSON body is sent a corpus —
/// malformed JSON, nesting deeper than any reader allows, every field of the wrong type, every enum field with a value not in
/// it, huge strings and numbers, and script and SQL text in every string field — by a role the authorization matrix lets
/// through. No answer may be a 5xx. The bodies no reader can take (malformed, too deep, wrong types, bad enums) must store
/// nothing: every change is audited, so the audit log must not grow while they are sent. Then the pages that list and show
/// what the text payloads may have stored are read as each role, and the script payload must never appear unescaped.
/// </summary>
public sealed class HostileInputTests
{
    private const string Script = "<script>alert('steward')</script>";
    private const string Injection = Script + "' OR 1=1; DROP TABLE cases; -- \"><img src=x onerror=alert(1)>";

    private static readonly string[] WriteMethods = ["post", "put", "patch"];

    // Pages where stored text is shown: lists and the first items of each kind.
    private static readonly string[] Pages =
    [
        "/Cases", "/Cases/1", "/Cases/2", "/Customers", "/Customers/Details?id=1", "/Customers/Details?id=2", "/Complaints", "/Products", "/Products/Details?id=1",
        "/Audit", "/Admin/Staff", "/Admin/Branches", "/Admin/Teams", "/Sla/Standards", "/Sla/Calendars", "/Quality", "/Quality/Plans", "/Surveys",
        "/Admin/Webhooks", "/Queues/Manager", "/Notifications",
    ];

    [Theory, BothDatabases]
    public async Task EveryJsonWrite_SurvivesTheCorpus_WithoutA5xx_StoresNothingUnreadable_AndNoPageShowsAScript(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var setup = await SecurityCallers.StartAsync(app);
        var callers = setup.Clients;
        callers["public"] = callers[SecurityCallers.Anonymous];

        var document = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var matrix = AuthorizationMatrix();
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => WriteMethods.Contains(m.Name)).Select(m => (Method: m.Name, Path: p.Name, Op: m.Value)))
            .Where(o => o.Op.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _))
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .ToList();
        Assert.True(operations.Count > 50, $"only {operations.Count} JSON write operations found");

        var failures = new List<string>();
        async Task<HttpStatusCode> SendAsync(string who, string method, string path, string body)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), SecurityCallers.Url(path))
            {
                Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            using var response = await callers[who].SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Unauthorized && who != "public")
            {
                // A write may end the caller's own session (a password change): sign in again for the next payload.
                await setup.RenewAsync(who);
            }

            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{method.ToUpperInvariant()} {path} as {who} with {Describe(body)}: {(int)response.StatusCode}");
            }

            return response.StatusCode;
        }

        // Bodies no reader can take: the audit log (every change is in it) must not grow while they are sent.
        var auditBefore = await AuditCountAsync(app);
        foreach (var (method, path, op) in operations)
        {
            var who = Caller(matrix, method, path);
            var properties = Properties(RequestSchema(op), schemas).ToList();
            await SendAsync(who, method, path, "{\"subject\": \"unfinished");
            await SendAsync(who, method, path, new string('[', 5000) + new string(']', 5000));
            await SendAsync(who, method, path, "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201));
            if (properties.Count > 0)
            {
                await SendAsync(who, method, path, Body(properties, (_, _) => new JsonObject { ["nested"] = new JsonArray(1, 2) }));
            }

            var enums = properties.Where(p => p.Enum).ToList();
            if (enums.Count > 0)
            {
                await SendAsync(who, method, path, Body(properties, (p, _) => p.Enum ? "NotAValue" : null));
            }
        }

        Assert.Equal(auditBefore, await AuditCountAsync(app));

        // Bodies a reader can take but a service must judge: huge text and numbers, script and SQL in every text field.
        foreach (var (method, path, op) in operations)
        {
            var who = Caller(matrix, method, path);
            var properties = Properties(RequestSchema(op), schemas).ToList();
            if (properties.Count == 0)
            {
                continue;
            }

            await SendAsync(who, method, path, Body(properties, (p, _) => p.Type == "string" && !p.Enum ? new string('长', 200_000) : null));
            await SendAsync(who, method, path, Body(properties, (p, _) => p.Type is "integer" or "number" ? JsonValue.Create(1e300) : null));
            await SendAsync(who, method, path, Body(properties, (p, _) => p.Type is "integer" ? JsonValue.Create(-9_223_372_036_854_775_807L) : null));
            await SendAsync(who, method, path, Body(properties, (p, _) => p.Type == "string" && !p.Enum ? Injection : null));
        }

        Assert.True(failures.Count == 0, "Server errors:\n" + string.Join('\n', failures.Distinct().Take(60)));

        // What was stored is shown escaped everywhere it is shown.
        foreach (var role in Enum.GetValues<StaffRole>())
        {
            var pages = await PageClient.SignInAsync(app, setup.Usernames[role.ToString()]);
            foreach (var page in Pages)
            {
                var (status, html) = await pages.GetAsync(page);
                Assert.True((int)status < 500, $"{page} as {role}: {(int)status}");
                Assert.DoesNotContain(Script, html, StringComparison.Ordinal);
                Assert.DoesNotContain("<img src=x onerror", html, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    private sealed record Field(string Name, string? Type, bool Enum);

    private static Task<long> AuditCountAsync(StewardApp app) => app.WithDbAsync(db => db.Set<AuditEntry>().LongCountAsync());

    /// <summary>The first role the matrix lets through the operation (a public one: no credentials).</summary>
    private static string Caller(IReadOnlyDictionary<string, string> matrix, string method, string path) =>
        matrix.TryGetValue(method.ToUpperInvariant() + " " + path, out var who) && who is not "nobody" ? who.Split(',')[0] : nameof(StaffRole.Administrator);

    private static IReadOnlyDictionary<string, string> AuthorizationMatrix() => SecurityCallers.ReadMatrix(File.ReadAllText(SecurityCallers.MatrixPath()));

    private static JsonElement RequestSchema(JsonElement op) =>
        op.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var r) && r.GetString() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? schemas.GetProperty(reference["#/components/schemas/".Length..])
            : schema;

    private static IEnumerable<Field> Properties(JsonElement schema, JsonElement schemas)
    {
        var resolved = Resolve(schema, schemas);
        if (!resolved.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var p in properties.EnumerateObject())
        {
            var s = Resolve(p.Value, schemas);
            var type = s.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString()
                : null;
            yield return new Field(p.Name, type, s.TryGetProperty("enum", out _));
        }
    }

    /// <summary>A body with each field as <paramref name="value"/> gives it, or a plausible value where it gives none.</summary>
    private static string Body(IReadOnlyList<Field> fields, Func<Field, int, JsonNode?> value)
    {
        var body = new JsonObject();
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            body[f.Name] = value(f, i) ?? f.Type switch
            {
                "integer" => JsonValue.Create(1),
                "number" => JsonValue.Create(1.5),
                "boolean" => JsonValue.Create(true),
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ => JsonValue.Create("x"),
            };
        }

        return body.ToJsonString();
    }

    private static string Describe(string body) => body.Length > 120 ? body[..120] + $"… ({body.Length} chars)" : body;
}
