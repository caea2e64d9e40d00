using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

public sealed record TokenRequest([property: Required] string Username, [property: Required] string Password);

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

public static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/auth/token", IssueAsync)
            .AllowAnonymous()
            .RequireRateLimiting(Steward.Platform.Security.RateLimits.SignIn)
            .WithTags("Auth")
            .WithSummary("Exchange a staff username and password for a bearer token.");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueAsync(
        TokenRequest request,
        SignInService signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IOptions<SignInOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = string.IsNullOrWhiteSpace(request.Username) ? ["Username is required. 必须填写用户名。"] : [],
                ["password"] = string.IsNullOrEmpty(request.Password) ? ["Password is required. 必须填写密码。"] : [],
            }.Where(kv => kv.Value.Length > 0).ToDictionary());
        }

        var result = await signIn.CheckAsync(request.Username, request.Password, cancellationToken);
        switch (result.Outcome)
        {
            case SignInOutcome.Success:
                var lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
                var now = time.GetUtcNow();
                var principal = SignInService.CreatePrincipal(result.Staff!, BearerTokenDefaults.AuthenticationScheme);
                var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + lifetime }, BearerTokenDefaults.AuthenticationScheme);
                var token = bearer.Get(BearerTokenDefaults.AuthenticationScheme).BearerTokenProtector.Protect(ticket);
                return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)lifetime.TotalSeconds));
            case SignInOutcome.LockedOut:
                return Problems.Create(StatusCodes.Status401Unauthorized, "account-locked",
                    "Account locked 账户已锁定",
                    "Too many failed sign-ins: the account is locked for a while. Try again later or ask an administrator. 登录失败次数过多，账户已临时锁定，请稍后再试或联系管理员。");
            case SignInOutcome.InvalidCredentials:
            default:
                return Problems.Create(StatusCodes.Status401Unauthorized, "invalid-credentials",
                    "Invalid username or password 用户名或密码错误", "The username or password is not correct. 用户名或密码不正确。");
        }
    }
}
