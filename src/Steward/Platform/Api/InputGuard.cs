using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// The one check all text input passes before anything binds it, for the API and the pages alike: the path, the query
/// string, form fields (names, values, file names) and JSON bodies (property names and strings) may hold no control
/// character other than tab, CR and LF (<see cref="InputRejection.IsRefused"/>). PostgreSQL refuses U+0000 in text (a 500
/// after the work was done) and SQLite stores it; none of them is ever typed by a person. A form the server cannot read
/// (broken multipart, a field over <see cref="MaxFormValueLength"/>, a body cut short) is refused here too, before
/// antiforgery or model binding trip over it. Either way the answer is a 400 naming the field (<see cref="InputRejection"/>)
/// and nothing runs. The error page, re-executed for a refused request, is not checked again.
/// </summary>
public sealed class InputGuard(RequestDelegate next)
{
    /// <summary>The longest form field value read (the longest text field, a description, is far shorter).</summary>
    public const int MaxFormValueLength = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context, IStringLocalizer<SharedResource> l)
    {
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null
            && (CheckUrl(context.Request, l) ?? await CheckBodyAsync(context.Request, l, context.RequestAborted)) is { } rejection)
        {
            await rejection.WriteAsync(context, l);
            return;
        }

        await next(context);
    }

    private static InputRejection? CheckUrl(HttpRequest request, IStringLocalizer l) =>
        InputRejection.FirstRefused(request.Path.Value) is { } c ? InputRejection.ControlCharacter(l, "path", c) : Check(request.Query, l);

    private static async Task<InputRejection?> CheckBodyAsync(HttpRequest request, IStringLocalizer l, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException && !ct.IsCancellationRequested)
            {
                return InputRejection.UnreadableForm(l);
            }

            return Check(form, l) ?? form.Files.Select(f => InputRejection.FirstRefused(f.FileName) is { } c ? InputRejection.ControlCharacter(l, f.Name, c) : null)
                .FirstOrDefault(r => r is not null);
        }

        if (!request.HasJsonContentType() || request.ContentLength == 0)
        {
            return null;
        }

        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, ct);
            return Check(document.RootElement, "", l);
        }
        catch (JsonException)
        {
            return null; // not JSON: the endpoint's binding says so
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static InputRejection? Check(IEnumerable<KeyValuePair<string, StringValues>> fields, IStringLocalizer l)
    {
        foreach (var (key, values) in fields)
        {
            if (InputRejection.FirstRefused(key) is { } inKey)
            {
                return InputRejection.ControlCharacter(l, key, inKey);
            }

            foreach (var value in values)
            {
                if (InputRejection.FirstRefused(value) is { } c)
                {
                    return InputRejection.ControlCharacter(l, key, c);
                }
            }
        }

        return null;
    }

    private static InputRejection? Check(JsonElement element, string path, IStringLocalizer l)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return InputRejection.FirstRefused(element.GetString()) is { } c ? InputRejection.ControlCharacter(l, path.Length == 0 ? "body" : path, c) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var field = path.Length == 0 ? property.Name : path + "." + property.Name;
                    if ((InputRejection.FirstRefused(property.Name) is { } inName ? InputRejection.ControlCharacter(l, field, inName) : Check(property.Value, field, l)) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Check(item, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}[{i++}]"), l) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}

public static class InputSetup
{
    /// <summary>
    /// Input rules shared by the API and the pages: enums in JSON by name only (<see cref="StrictEnumConverterFactory"/>),
    /// minimal API binding failures thrown to the one exception handler (so that a bad body is a problem naming the field,
    /// not a bare 400), form limits, and pages refusing values that did not bind (<see cref="BindingErrorPageFilter"/>).
    /// </summary>
    public static IServiceCollection AddStewardInput(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new StrictEnumConverterFactory()));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<FormOptions>(o => o.ValueLengthLimit = InputGuard.MaxFormValueLength);
        services.Configure<MvcOptions>(o => o.Filters.Add<BindingErrorPageFilter>());
        return services;
    }

    /// <summary>Runs <see cref="InputGuard"/>; place it after localization (its messages) and before routing.</summary>
    public static IApplicationBuilder UseInputGuard(this IApplicationBuilder app) => app.UseMiddleware<InputGuard>();
}
