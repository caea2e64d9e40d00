using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Steward.Platform.Identity.Sso;
using Steward.Platform.Security;

namespace Steward.Platform.Identity;

public static class IdentitySetup
{
    /// <summary>The default scheme: bearer tokens for <c>/api</c>, the sign-in cookie for pages.</summary>
    public const string Scheme = "Steward";

    public static string Policy(Permission permission) => "perm:" + permission;

    public static IServiceCollection AddStewardIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PasswordHasherOptions>()
            .Configure<IOptions<SignInOptions>>((o, signIn) => o.IterationCount = signIn.Value.PasswordHashIterations);
        services.AddScoped<IPasswordHasher<Staff>, PasswordHasher<Staff>>();
        services.AddScoped<SignInService>();
        services.AddOptions<TwoFactorOptions>().BindConfiguration(TwoFactorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<TwoFactorService>();
        // The authenticator secret is rewrapped by a personal-data key rotation like any encrypted column.
        services.AddPersonalDataColumns<StaffTwoFactor>(t => t.SecretCipher);
        services.AddSingleton<SignInGate>();
        services.AddScoped<PasswordPolicy>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<StaffSessions>();
        services.AddScoped<PendingSignIn>();
        services.AddScoped<IClaimsTransformation, StaffClaimsTransformation>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ChallengeWhenSignedOut>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                IsApi(ctx.Request) ? BearerTokenDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/Account/SignIn";
                o.LogoutPath = "/Account/SignOut";
                o.Cookie.Name = "steward.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = ctx =>
                {
                    if (IsApi(ctx.Request))
                    {
                        ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }
                    else
                    {
                        ctx.Response.Redirect(ctx.RedirectUri);
                    }

                    return Task.CompletedTask;
                };
                // No redirect: the forbidden URL answers 403 and the error page is rendered in place.
                o.Events.OnRedirectToAccessDenied = ctx =>
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddBearerToken()
            .AddStewardSso(configuration);

        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<TimeProvider, IOptions<SignInOptions>>((o, time, signIn) =>
            {
                o.TimeProvider = time;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(signIn.Value.CookieLifetimeMinutes);
            });
        services.AddOptions<BearerTokenOptions>(BearerTokenDefaults.AuthenticationScheme)
            .Configure<TimeProvider, IOptions<SignInOptions>>((o, time, signIn) =>
            {
                o.TimeProvider = time;
                o.BearerTokenExpiration = TimeSpan.FromMinutes(signIn.Value.TokenLifetimeMinutes);
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPermissionPolicies();
        return services;
    }

    public static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static Microsoft.AspNetCore.Authorization.AuthorizationBuilder AddPermissionPolicies(this Microsoft.AspNetCore.Authorization.AuthorizationBuilder builder)
    {
        foreach (var permission in Enum.GetValues<Permission>())
        {
            builder.AddPolicy(Policy(permission), p => p.RequireAuthenticatedUser()
                .RequireAssertion(ctx => RolePermissions.Grants(CurrentUser.RolesOf(ctx.User), permission)));
        }

        return builder;
    }
}
