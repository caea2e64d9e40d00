using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using Steward.Platform.Identity;

namespace Steward.Platform.Problems;

/// <summary>
/// A request refused before anything was done with it: a value the server will not take (an undefined enum value, a
/// control character, a form it cannot read). <see cref="Field"/> names the field as the client sent it (<c>kind</c>,
/// <c>contact.name</c>, <c>rules[0].type</c>, <c>Input.Subject</c>); <see cref="Message"/> is in the request's language.
/// The API answers a 400 problem with <c>errors: { field: [message] }</c>; a page answers the 400 error page, which
/// shows the field and the message (the rejection rides on the request's features into the re-executed error page).
/// See docs/decisions/0017-input-validation.md.
/// </summary>
public sealed record InputRejection(string Code, string Field, string Message)
{
    public const string ControlCharacterCode = "control-character";
    public const string InvalidValueCode = "invalid-value";
    public const string UnreadableFormCode = "unreadable-form";

    /// <summary>The longest part of a refused value repeated back in a message.</summary>
    private const int Echo = 40;

    /// <summary>True for characters refused in text: C0 and C1 controls and DEL, except tab, CR and LF.</summary>
    public static bool IsRefused(char c) => char.IsControl(c) && c is not ('\t' or '\r' or '\n');

    /// <summary>The first refused character of <paramref name="text"/>, if any.</summary>
    public static char? FirstRefused(string? text)
    {
        if (text is null)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (IsRefused(c))
            {
                return c;
            }
        }

        return null;
    }

    public static InputRejection ControlCharacter(IStringLocalizer l, string field, char c) =>
        new(ControlCharacterCode, field, l["input.control", string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}")]);

    public static InputRejection InvalidValue(IStringLocalizer l, string field, string? value, IEnumerable<string>? allowed) =>
        allowed is null
            ? new(InvalidValueCode, field, l["input.invalid", Printable(value)])
            : new(InvalidValueCode, field, l["input.enum", Printable(value), string.Join(", ", allowed)]);

    public static InputRejection UnreadableForm(IStringLocalizer l) => new(UnreadableFormCode, "form", l["input.form"]);

    /// <summary>The field named in the way JSON paths name it: <c>$.rules[0].type</c> → <c>rules[0].type</c>.</summary>
    public static string FieldOfJsonPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    /// <summary>Answers the rejection: a problem on the API, the 400 error page (which reads it back) for a page.</summary>
    public Task WriteAsync(HttpContext context, IStringLocalizer l)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (!IdentitySetup.IsApi(context.Request))
        {
            context.Features.Set(this);
            return Task.CompletedTask; // the status code pages re-execute /Errors, which shows it
        }

        var errors = new Dictionary<string, string[]> { [Field] = [Message] };
        return Problems.Create(StatusCodes.Status400BadRequest, Code, l["input.title"], $"{Field}: {Message}",
            new Dictionary<string, object?> { ["errors"] = errors }).ExecuteAsync(context);
    }

    /// <summary>A refused value as it can safely be repeated: refused characters shown as U+XXXX, at most <see cref="Echo"/> characters.</summary>
    private static string Printable(string? value)
    {
        var text = value ?? "";
        var sb = new StringBuilder(Math.Min(text.Length, Echo));
        foreach (var c in text.Length > Echo ? text[..Echo] : text)
        {
            sb.Append(IsRefused(c) ? string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}") : c);
        }

        return text.Length > Echo ? sb.Append('…').ToString() : sb.ToString();
    }
}
