using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Steward.Platform.Identity;

/// <summary>
/// A token or cookie can be valid while its account is not (disabled, password reset, roles
/// changed): <see cref="StaffClaimsTransformation"/> then empties the principal. Such a caller is
/// not signed in, so the answer is a challenge (401 or the sign-in page), not 403.
/// </summary>
public sealed class ChallengeWhenSignedOut : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler inner = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated != true)
        {
            return inner.HandleAsync(next, context, policy, PolicyAuthorizationResult.Challenge());
        }

        return inner.HandleAsync(next, context, policy, authorizeResult);
    }
}
