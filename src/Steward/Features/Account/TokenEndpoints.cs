using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Steward.Platform.Api;
using Steward.Platform.Identity;
using Steward.Platform.Problems;

namespace Steward.Features.Account;

/// <summary><see cref="Otp"/>: the current code of the account's authenticator (or a recovery code), when two-factor sign-in is on.</summary>
public sealed record TokenRequest([property: Required] string Username, [property: Required] string Password, string? Otp = null);

public sealed record TwoFactorCodeRequest(string? Code);

public sealed record TwoFactorPolicyDto(IReadOnlyList<StaffRole> RequiredRoles);

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
            .WithSummary("Exchange a staff username and password (and, with two-factor sign-in, the authenticator's code as `otp`) for a bearer token.");

        var mine = api.MapGroup("/me/two-factor").WithTags("Auth");
        mine.MapGet("/", async (CurrentUser user, TwoFactorService twoFactor, CancellationToken ct) => TypedResults.Ok(await twoFactor.StateAsync(user.StaffId!.Value, ct)))
            .WithSummary("Whether two-factor sign-in is on for me, required by my roles, and how many recovery codes are left.");
        mine.MapPost("/enrolment", async Task<Results<Ok<TwoFactorEnrolment>, ProblemHttpResult>> (CurrentUser user, TwoFactorService twoFactor, CancellationToken ct) =>
            (await twoFactor.BeginAsync(user.StaffId!.Value, ct)).ToOk())
            .WithSummary("Start setting up an authenticator: the key and its otpauth:// link (replaces one not yet confirmed).");
        mine.MapPost("/confirm", async Task<Results<Ok<TwoFactorEnabled>, ProblemHttpResult>> (TwoFactorCodeRequest r, CurrentUser user, TwoFactorService twoFactor, CancellationToken ct) =>
            (await twoFactor.ConfirmAsync(user.StaffId!.Value, r.Code, ct)).ToOk())
            .WithSummary("Turn two-factor sign-in on with a first code; answers the recovery codes, shown this once.");
        mine.MapPost("/recovery-codes", async Task<Results<Ok<TwoFactorEnabled>, ProblemHttpResult>> (TwoFactorCodeRequest r, CurrentUser user, TwoFactorService twoFactor, CancellationToken ct) =>
            (await twoFactor.RenewRecoveryCodesAsync(user.StaffId!.Value, r.Code, ct)).ToOk())
            .WithSummary("New recovery codes for a current code (the old ones stop working).");
        mine.MapPost("/disable", async Task<Results<Ok<TwoFactorState>, ProblemHttpResult>> (TwoFactorCodeRequest r, CurrentUser user, TwoFactorService twoFactor, CancellationToken ct) =>
            (await twoFactor.DisableAsync(user.StaffId!.Value, r.Code, ct)).ToOk())
            .WithSummary("Turn two-factor sign-in off with a current code; refused when a role I hold requires it.");

        var policy = api.MapGroup("/two-factor/policy").WithTags("Auth").RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage));
        policy.MapGet("/", async (TwoFactorService twoFactor, CancellationToken ct) => TypedResults.Ok(new TwoFactorPolicyDto(await twoFactor.RequiredRolesAsync(ct))))
            .WithSummary("The roles whose holders must sign in with a second factor.");
        policy.MapPut("/", async Task<Results<Ok<TwoFactorPolicyDto>, ProblemHttpResult>> (TwoFactorPolicyDto r, TwoFactorService twoFactor, CancellationToken ct) =>
            {
                var set = await twoFactor.SetRequiredRolesAsync(r.RequiredRoles ?? [], ct);
                return set.Succeeded ? TypedResults.Ok(new TwoFactorPolicyDto(set.Value)) : Problems.From(set.Error);
            })
            .WithSummary("Set the roles whose holders must sign in with a second factor (each change audited).");
        api.MapPost("/staff/{id:long}/two-factor/reset", async Task<Results<Ok<TwoFactorState>, ProblemHttpResult>> (long id, TwoFactorService twoFactor, CancellationToken ct) =>
            (await twoFactor.ResetAsync(id, ct)).ToOk())
            .WithTags("Organisation").RequireAuthorization(IdentitySetup.Policy(Permission.OrganisationManage))
            .WithSummary("Reset a staff member's two-factor sign-in (a lost phone): audited; a role that requires it asks them to set it up again.");
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult, ValidationProblem>> IssueAsync(
        TokenRequest request,
        SignInService signIn,
        IOptionsMonitor<BearerTokenOptions> bearer,
        IOptions<SignInOptions> options,
        TwoFactorService twoFactor,
        StaffSessions sessions,
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
            case SignInOutcome.Success when result.Need == SecondFactorNeed.Enrolment:
                return Problems.Create(StatusCodes.Status403Forbidden, "two-factor-enrolment-required", "Two-factor sign-in must be set up 需要先设置双重验证",
                    "A role you hold requires two-factor sign-in: sign in on the web page once to set up an authenticator. 您担任的角色要求双重验证：请先在网页登录一次并设置验证器。");
            case SignInOutcome.Success when result.Need == SecondFactorNeed.Code && string.IsNullOrWhiteSpace(request.Otp):
                return Problems.Create(StatusCodes.Status401Unauthorized, "two-factor-code-required", "The authenticator's code is required 需要验证码",
                    "Two-factor sign-in is on for this account: send the current code of the authenticator as otp. 此账户已开启双重验证：请在 otp 中提供验证器的当前验证码。");
            case SignInOutcome.Success when result.Need == SecondFactorNeed.Code
                && await twoFactor.VerifyAsync(result.Staff!.Id, request.Otp, cancellationToken) is var verdict && verdict != SecondFactorVerdict.Accepted:
                await signIn.RecordSecondStepAsync(result.Staff!, verdict, cancellationToken);
                var locked = new TwoFactorLocked();
                return verdict == SecondFactorVerdict.Locked
                    ? Problems.Create(StatusCodes.Status401Unauthorized, locked.Code, locked.Title, locked.Detail)
                    : Problems.Create(StatusCodes.Status401Unauthorized, "two-factor-code-invalid", "The code is not right 验证码不正确",
                        "The code is not right or was already used. 验证码不正确或已使用。");
            case SignInOutcome.Success:
                if (result.Need == SecondFactorNeed.Code)
                {
                    await signIn.RecordSecondStepAsync(result.Staff!, SecondFactorVerdict.Accepted, cancellationToken);
                }

                var lifetime = TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);
                var now = time.GetUtcNow();
                var principal = SignInService.CreatePrincipal(result.Staff!, BearerTokenDefaults.AuthenticationScheme,
                    await sessions.StartAsync(result.Staff!, SessionMethod.ApiToken, cancellationToken));
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
