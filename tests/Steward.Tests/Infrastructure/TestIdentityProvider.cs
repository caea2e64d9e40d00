using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Steward.Tests.Infrastructure;

/// <summary>
/// A small OpenID Connect provider on a 127.0.0.1 port over real HTTP, for single sign-on tests: discovery, JWKS, the
/// authorization endpoint (no login form: it signs in <see cref="User"/>, as a provider would after its own log-in) and
/// the token endpoint, which checks the client secret, the redirect URI and the PKCE verifier (S256, RFC 7636) before it
/// answers an RS256 id token. It refuses anything else with the error codes of RFC 6749.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public sealed record Person(string Subject, string Username, IReadOnlyList<string> Groups, IReadOnlyList<string> Amr);

    private sealed record Grant(string RedirectUri, string Challenge, string? Nonce, Person Person);

    private readonly WebApplication app;
    private readonly RSA rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, Grant> grants = new();
    private readonly string clientId;
    private readonly string clientSecret;

    private TestIdentityProvider(WebApplication app, string clientId, string clientSecret)
    {
        this.app = app;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    public string Authority { get; private set; } = "";

    /// <summary>Who the provider signs in at the next authorization request; null: the person cancels (access_denied).</summary>
    public Person? User { get; set; }

    /// <summary>Token requests answered with an id token, each having passed the PKCE check.</summary>
    public int TokensIssued;

    public static async Task<TestIdentityProvider> StartAsync(string clientId, string clientSecret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var provider = new TestIdentityProvider(builder.Build(), clientId, clientSecret);
        provider.Map();
        await provider.app.StartAsync();
        provider.Authority = provider.app.Urls.Single().TrimEnd('/');
        return provider;
    }

    private string KeyId => "test-key-1";

    private void Map()
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["authorization_endpoint"] = Authority + "/authorize",
            ["token_endpoint"] = Authority + "/token",
            ["jwks_uri"] = Authority + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
            ["scopes_supported"] = new[] { "openid", "profile" },
        }));
        app.MapGet("/jwks", () =>
        {
            var p = rsa.ExportParameters(false);
            return Results.Json(new Dictionary<string, object>
            {
                ["keys"] = new[]
                {
                    new Dictionary<string, string> { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = KeyId, ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) },
                },
            });
        });
        app.MapGet("/authorize", (HttpRequest r) =>
        {
            var q = r.Query;
            string redirect = q["redirect_uri"].ToString(), state = q["state"].ToString();
            if (q["client_id"] != clientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256"
                || string.IsNullOrEmpty(q["code_challenge"]) || !q["scope"].ToString().Split(' ').Contains("openid") || !redirect.StartsWith("http", StringComparison.Ordinal))
            {
                return Results.BadRequest("invalid_request");
            }

            if (User is not { } person)
            {
                return Results.Redirect($"{redirect}?error=access_denied&state={Uri.EscapeDataString(state)}");
            }

            var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24));
            grants[code] = new Grant(redirect, q["code_challenge"].ToString(), q["nonce"], person);
            return Results.Redirect($"{redirect}?code={code}&state={Uri.EscapeDataString(state)}");
        });
        app.MapPost("/token", async (HttpRequest r) =>
        {
            var form = await r.ReadFormAsync();
            var (id, secret) = ClientOf(r, form);
            if (id != clientId || secret != clientSecret)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            if (form["grant_type"] != "authorization_code" || !grants.TryRemove(form["code"].ToString(), out var grant)
                || grant.RedirectUri != form["redirect_uri"]
                || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString()))) != grant.Challenge)
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            Interlocked.Increment(ref TokensIssued);
            return Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(24)),
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["id_token"] = IdToken(grant),
            });
        });
    }

    private static (string? Id, string? Secret) ClientOf(HttpRequest r, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(r.Headers.Authorization, out var header) && header is { Scheme: "Basic", Parameter: { } basic })
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(basic)).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : null);
        }

        return (form["client_id"], form["client_secret"]);
    }

    /// <summary>The id token, on the provider's own (real) clock: it is another system.</summary>
    private string IdToken(Grant grant)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = grant.Person.Subject,
            ["preferred_username"] = grant.Person.Username,
            ["groups"] = grant.Person.Groups.ToArray(),
            ["amr"] = grant.Person.Amr.ToArray(),
        };
        if (grant.Nonce is { } nonce)
        {
            claims["nonce"] = nonce;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = clientId,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            Claims = claims,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        rsa.Dispose();
    }
}
