using Microsoft.AspNetCore.Authorization;

namespace Steward.Platform.Identity;

/// <summary>
/// Only staff whose roles grant <paramref name="permission"/> reach the page (<see cref="RolePermissions"/>); the one way
/// a page or endpoint names what it needs, instead of spelling the policy's name out.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class RequirePermissionAttribute(Permission permission) : AuthorizeAttribute(IdentitySetup.Policy(permission))
{
    public Permission Permission { get; } = permission;
}
