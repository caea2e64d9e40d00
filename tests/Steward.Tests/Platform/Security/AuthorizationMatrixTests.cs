using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Steward.Platform.Database;
using Steward.Platform.Identity;
using Steward.Tests.Infrastructure;

namespace Steward.Tests.Platform.Security;

/// <summary>
/// Issue 18's authorization matrix: every operation of the OpenAPI document is called by nobody (no credentials) and by one
/// staff member of each role, and who gets through must be what <c>authorization-matrix.txt</c> says. "Gets through" means an
/// answer other than 401 and 403: a 400 for the empty body, a 404 for an id that is not theirs, or a 200. An operation missing
/// from the file, or one the file names that no longer exists, fails the test, so a new endpoint cannot land without its line.
/// <para>
/// The file was written from a run (<c>STEWARD_WRITE_AUTH_MATRIX=1</c> rewrites it) and then read line by line against the
/// permissions of <see cref="Roles"/>; each line is a statement a reviewer signs, and a change of it shows in the diff.
/// Writes are sent with an empty JSON object, so they are refused by validation at worst: nothing of another test is touched
/// (the app is this test's own). Branch scope (the same role in another branch) is tested by each feature's own tests.
/// </para>
/// </summary>
public sealed class AuthorizationMatrixTests
{
    // The order requests go in: reads first, then writes, deletes last, so that a write cannot hide a read's answer.
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    [Theory, BothDatabases]
    public async Task EveryOperation_LetsThroughExactlyTheRolesTheMatrixNames(DatabaseProvider provider)
    {
        await using var app = await StewardApp.StartAsync(provider);
        var callers = await SecurityCallers.StartAsync(app);

        var document = await (await app.AnonymousClient().GetAsync("/openapi/v1.json")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(m => Methods.Contains(m.Name)).Select(m => (Method: m.Name, Path: p.Name, Form: FormFields(m.Value))))
            .OrderBy(o => Array.IndexOf(Methods, o.Method)).ThenBy(o => o.Path, StringComparer.Ordinal)
            .ToList();

        var observed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (method, path, form) in operations)
        {
            var through = new List<string>();
            foreach (var (who, client) in callers.Clients.ToList())
            {
                var status = await SendAsync(client, method, path, form);
                if (status == HttpStatusCode.Unauthorized && who != SecurityCallers.Anonymous)
                {
                    // A write may end the caller's own session (revoking it, changing a password): sign in again and ask once more.
                    status = await SendAsync(await callers.RenewAsync(who), method, path, form);
                }

                Assert.True((int)status < 500, $"{method.ToUpperInvariant()} {path} as {who} answered {(int)status}.");
                if (status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    through.Add(who);
                }
            }

            observed[Key(method, path)] = through.Contains(SecurityCallers.Anonymous) ? "public" : through.Count == 0 ? "nobody" : string.Join(',', through);
        }

        var file = SecurityCallers.MatrixPath();
        var text = Render(observed);
        if (Environment.GetEnvironmentVariable("STEWARD_WRITE_AUTH_MATRIX") == "1")
        {
            await File.WriteAllTextAsync(file, text);
            return;
        }

        var expected = SecurityCallers.ReadMatrix(await File.ReadAllTextAsync(file));
        var problems = new List<string>();
        foreach (var (key, who) in observed)
        {
            if (!expected.TryGetValue(key, out var want))
            {
                problems.Add($"{key}: not in the matrix (lets through: {who}); add its line");
            }
            else if (want != who)
            {
                problems.Add($"{key}: the matrix says {want}, but {who} got through");
            }
        }

        problems.AddRange(expected.Keys.Where(k => !observed.ContainsKey(k)).Select(k => $"{k}: in the matrix but not in the OpenAPI document"));
        Assert.True(problems.Count == 0, "Authorization differs from authorization-matrix.txt:\n" + string.Join('\n', problems));
    }

    /// <summary>
    /// The fields of a multipart form body (name, whether a file), or null for a JSON body: a form endpoint is sent a form with
    /// a small text file, so that it is its authorization that answers, not the binding of a JSON body it cannot read.
    /// </summary>
    private static IReadOnlyList<(string Name, bool File)>? FormFields(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("multipart/form-data", out var form)
            ? [.. Properties(form.GetProperty("schema")).Select(p => (p.Name, p.Value.TryGetProperty("format", out var f) && f.GetString() == "binary"))]
            : null;

    // A form schema is an object's properties, or an allOf of several.
    private static IEnumerable<JsonProperty> Properties(JsonElement schema) =>
        (schema.TryGetProperty("properties", out var own) ? own.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            .Concat(schema.TryGetProperty("allOf", out var all) ? all.EnumerateArray().SelectMany(Properties) : []);

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string method, string path, IReadOnlyList<(string Name, bool File)>? form)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), SecurityCallers.Url(path));
        if (form is not null)
        {
            var content = new MultipartFormDataContent();
            foreach (var (name, file) in form)
            {
                if (file)
                {
                    var bytes = new ByteArrayContent("matrix"u8.ToArray());
                    bytes.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                    content.Add(bytes, name, "matrix.txt");
                }
                else
                {
                    content.Add(new StringContent("1"), name);
                }
            }

            request.Content = content;
        }
        else if (method is "post" or "put" or "patch")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Key(string method, string path) => method.ToUpperInvariant() + " " + path;

    private static string Render(SortedDictionary<string, string> matrix)
    {
        var b = new StringBuilder();
        b.AppendLine("# Who gets through each API operation (anything but 401/403). \"public\": no credentials needed;");
        b.AppendLine("# \"nobody\": no staff role (a customer's or a machine's token, or a disabled feature); otherwise the roles.");
        b.AppendLine("# Checked by AuthorizationMatrixTests; a new operation needs its line here. Review a changed line as a grant.");
        foreach (var (key, who) in matrix)
        {
            b.Append(key).Append("  ").AppendLine(who);
        }

        return b.ToString();
    }


}
