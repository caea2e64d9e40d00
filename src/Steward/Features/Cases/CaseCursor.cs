using System.Globalization;
using System.Text;

namespace Steward.Features.Cases;

/// <summary>The list cursor: base64url of <c>n:id</c> (newest first) or <c>d:ticks:id</c> / <c>d::id</c> (by due time).</summary>
internal static class CaseCursor
{
    public static string Encode(bool newest, DateTimeOffset? due, long id)
    {
        var text = newest
            ? "n:" + id.ToString(CultureInfo.InvariantCulture)
            : "d:" + (due?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "") + ":" + id.ToString(CultureInfo.InvariantCulture);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (DateTimeOffset? Due, long Id)? Decode(string cursor, bool newest)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split(':');
            if (newest && parts is ["n", var nid] && long.TryParse(nid, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return (null, n);
            }

            if (!newest && parts is ["d", var ticks, var did] && long.TryParse(did, NumberStyles.None, CultureInfo.InvariantCulture, out var d))
            {
                if (ticks.Length == 0)
                {
                    return (null, d);
                }

                return long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTimeOffset.MaxValue.UtcTicks
                    ? (new DateTimeOffset(t, TimeSpan.Zero), d)
                    : null;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        return null;
    }
}
