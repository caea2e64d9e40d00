using System.ComponentModel.DataAnnotations;

namespace Steward.Platform.Identity.Sso;

/// <summary>
/// Single sign-on through the institution's OpenID Connect provider (docs/decisions/0045). Off unless
/// <see cref="Authority"/> and <see cref="ClientId"/> are set. The client secret comes from configuration (a file, an
/// environment variable, a mounted secret) and is never logged or stored in the database.
/// </summary>
public sealed class SsoOptions
{
    public const string Section = "Security:Sso";

    /// <summary>The name of the authentication scheme (and of the callback path's last part, <c>/signin-oidc</c>).</summary>
    public const string Scheme = "oidc";

    /// <summary>The provider's issuer URL; its <c>/.well-known/openid-configuration</c> is read from there.</summary>
    [Url]
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The provider's name on the sign-in button ("Sign in with …"), in Chinese and English.</summary>
    [StringLength(60)]
    public string DisplayName { get; set; } = "统一身份认证";

    [StringLength(60)]
    public string DisplayNameEn { get; set; } = "corporate sign-on";

    /// <summary>The id-token claim whose value is matched to a staff account's username (for example <c>preferred_username</c> or an employee number).</summary>
    [Required, StringLength(100, MinimumLength = 1)]
    public string UsernameClaim { get; set; } = "preferred_username";

    /// <summary>The id-token claim listing the person's groups at the provider.</summary>
    [Required, StringLength(100, MinimumLength = 1)]
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Scopes asked for beyond <c>openid</c>, separated by spaces.</summary>
    [StringLength(300)]
    public string Scopes { get; set; } = "profile";

    /// <summary>False only for a provider on the same machine in development and tests; production needs HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
