using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Steward.Platform.Identity;

namespace Steward.Platform.Security;

/// <summary>Bound from <c>RateLimits</c>. Requests per minute per client address; 0 turns a limit off.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous customer pages and the public API (intake, status look-up).</summary>
    [Range(0, 100_000)]
    public int PublicPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts: posts of the sign-in page and <c>POST /api/v1/auth/token</c> (viewing the page is free).</summary>
    [Range(0, 100_000)]
    public int SignInPerMinute { get; set; } = 20;
}

/// <summary>
/// Fixed one-minute windows per client IP address for what anyone can call without signing in:
/// the public intake and status look-up (so references and contacts cannot be guessed at speed)
/// and sign-in attempts (lockout protects one account; this protects all of them from one address).
/// Behind a reverse proxy, configure forwarded headers so the client address is the real one.
/// </summary>
public static class RateLimits
{
    public const string Public = "public";
    public const string SignIn = "sign-in";

    public static IServiceCollection AddStewardRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Public, ctx => PerAddress(ctx, Public, options.PublicPerMinute));
            // Only attempts count: a browser loading the sign-in page (or being sent to it) must not use up the
            // limit that one address, often a whole branch behind one gateway, has for signing in.
            o.AddPolicy(SignIn, ctx => HttpMethods.IsPost(ctx.Request.Method)
                ? PerAddress(ctx, SignIn, options.SignInPerMinute)
                : RateLimitPartition.GetNoLimiter(SignIn));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                if (IdentitySetup.IsApi(http.Request))
                {
                    await Problems.Problems.Create(StatusCodes.Status429TooManyRequests, "too-many-requests",
                        "Too many requests 请求过于频繁", "Wait a minute and try again. 请一分钟后再试。").ExecuteAsync(http);
                }
            };
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, string policy, int perMinute)
    {
        if (perMinute <= 0)
        {
            return RateLimitPartition.GetNoLimiter(policy);
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(policy + ":" + address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });
    }

    /// <summary>The policy's limit, for pages that explain it.</summary>
    public static string Describe(int perMinute) => perMinute.ToString(CultureInfo.InvariantCulture);
}
