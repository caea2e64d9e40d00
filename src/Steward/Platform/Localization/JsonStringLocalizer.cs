using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;

namespace Steward.Platform.Localization;

/// <summary>The cultures Steward speaks. Chinese is the default.</summary>
public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly string[] Supported = [Chinese, English];

    public static bool IsChinese(CultureInfo culture) => culture.Name.StartsWith("zh", StringComparison.Ordinal);

    /// <summary>A language as a request or a form names it (<c>zh-CN</c>, <c>zh</c>, <c>en</c>, any case), as one of <see cref="Supported"/>; null for anything else.</summary>
    public static string? Of(string? language) => language?.Trim().ToLowerInvariant() switch
    {
        "zh-cn" or "zh" => Chinese,
        "en" => English,
        _ => null,
    };

    /// <summary>Remembers <paramref name="culture"/> for this browser in the culture cookie, for a year.</summary>
    public static void Remember(HttpResponse response, string culture, TimeProvider time) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = time.GetUtcNow().AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
}

/// <summary>
/// Strings come from <c>Resources/strings.{culture}.json</c> (flat key → text), embedded in the
/// assembly. A missing key shows the key itself, and a test makes sure both files have every key.
/// See docs/decisions/0003-json-string-resources.md for why not .resx.
/// </summary>
public sealed class JsonStringLocalizerFactory : IStringLocalizerFactory
{
    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> tables = Cultures.Supported.ToFrozenDictionary(c => c, Load);

    public IStringLocalizer Create(Type resourceSource) => new JsonStringLocalizer(this);

    public IStringLocalizer Create(string baseName, string location) => new JsonStringLocalizer(this);

    public static FrozenDictionary<string, string> Load(string culture)
    {
        var assembly = typeof(JsonStringLocalizerFactory).Assembly;
        using var stream = assembly.GetManifestResourceStream($"strings/{culture}.json")
            ?? throw new InvalidOperationException($"The string table for {culture} is not embedded.");
        return (JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static readonly Lazy<JsonStringLocalizerFactory> Shared = new(() => new JsonStringLocalizerFactory());

    /// <summary>
    /// One key's text in one culture, for the few texts made outside a request that are written in both languages
    /// ("English 中文", decision 0021) and must name an enum in each half; a missing key shows the key.
    /// </summary>
    public static string Text(string culture, string key, params object[] arguments)
    {
        var info = CultureInfo.GetCultureInfo(culture);
        var template = Shared.Value.Table(info).TryGetValue(key, out var value) ? value : key;
        return arguments.Length == 0 ? template : string.Format(info, template, arguments);
    }

    internal FrozenDictionary<string, string> Table(CultureInfo culture) =>
        tables[Cultures.IsChinese(culture) ? Cultures.Chinese : Cultures.English];

    private sealed class JsonStringLocalizer(JsonStringLocalizerFactory factory) : IStringLocalizer
    {
        public LocalizedString this[string name]
        {
            get
            {
                var found = factory.Table(CultureInfo.CurrentUICulture).TryGetValue(name, out var value);
                return new LocalizedString(name, found ? value! : name, resourceNotFound: !found);
            }
        }

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var template = this[name];
                return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, template.Value, arguments), template.ResourceNotFound);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
            factory.Table(CultureInfo.CurrentUICulture).Select(kv => new LocalizedString(kv.Key, kv.Value));
    }
}

/// <summary>Marker type for <c>IStringLocalizer&lt;SharedResource&gt;</c>.</summary>
public sealed class SharedResource;
