using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Steward.Platform.Identity.Sso;

public static class SsoSetup
{
    /// <summary>
    /// The mapping services always (the admin page works before the provider is configured), and the OpenID Connect
    /// handler only when <see cref="SsoOptions.Authority"/> and <see cref="SsoOptions.ClientId"/> are configured:
    /// authorization code with PKCE, the answer in the query (the sign-in cookies are SameSite=Lax), claims kept as the
    /// provider names them.
    /// </summary>
    public static AuthenticationBuilder AddStewardSso(this AuthenticationBuilder auth, IConfiguration configuration)
    {
        auth.Services.AddOptions<SsoOptions>().BindConfiguration(SsoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        auth.Services.AddScoped<SsoGroupMappings>();
        auth.Services.AddScoped<SsoSignIn>();
        var sso = configuration.GetSection(SsoOptions.Section).Get<SsoOptions>() ?? new SsoOptions();
        if (!sso.Enabled)
        {
            return auth;
        }

        return auth.AddOpenIdConnect(SsoOptions.Scheme, o =>
        {
            o.Authority = sso.Authority;
            o.ClientId = sso.ClientId;
            o.ClientSecret = sso.ClientSecret;
            o.RequireHttpsMetadata = sso.RequireHttpsMetadata;
            o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.MapInboundClaims = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            foreach (var scope in sso.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                o.Scope.Add(scope);
            }

            o.TokenValidationParameters.NameClaimType = sso.UsernameClaim;
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Events.OnTokenValidated = CompleteAsync;
            o.Events.OnRemoteFailure = async ctx =>
            {
                ctx.HttpContext.RequestServices.GetRequiredService<ILogger<SsoSignIn>>()
                    .LogWarning("Single sign-on failed: {Reason}", ctx.Failure?.Message);
                await ctx.HttpContext.RequestServices.GetRequiredService<SsoSignIn>().RecordFailureAsync(ctx.HttpContext.RequestAborted);
                ctx.Response.Redirect("/Account/SignIn?sso=failed");
                ctx.HandleResponse();
            };
        });
    }

    /// <summary>
    /// The provider vouched for someone: map them to a staff account and sign them in here (or send them to the second
    /// step), instead of letting the handler sign in the provider's own principal.
    /// </summary>
    private static async Task CompleteAsync(TokenValidatedContext ctx)
    {
        var http = ctx.HttpContext;
        var result = await http.RequestServices.GetRequiredService<SsoSignIn>().SignInAsync(ctx.Principal!, http.RequestAborted);
        var next = ctx.Properties?.RedirectUri is { } uri && Uri.IsWellFormedUriString(uri, UriKind.Relative) && uri.StartsWith('/') && !uri.StartsWith("//", StringComparison.Ordinal) ? uri : "/";
        ctx.HandleResponse();
        switch (result)
        {
            case { Outcome: SignInOutcome.Success, Staff: { } staff, Need: SecondFactorNeed.None }:
                await PendingSignIn.CompleteAsync(http, staff, http.RequestServices.GetRequiredService<TimeProvider>(), SessionMethod.SingleSignOn);
                http.Response.Redirect(next);
                break;
            case { Outcome: SignInOutcome.Success, Staff: { } staff, Need: var need }:
                http.RequestServices.GetRequiredService<PendingSignIn>().Begin(http.Response, staff, need, next, SessionMethod.SingleSignOn);
                http.Response.Redirect(need == SecondFactorNeed.Code ? "/Account/SecondFactor" : "/Account/TwoFactor");
                break;
            case { Outcome: SignInOutcome.SsoUnknownAccount }:
                http.Response.Redirect("/Account/SignIn?sso=unknown");
                break;
            default:
                http.Response.Redirect("/Account/SignIn?sso=unmapped");
                break;
        }
    }
}
