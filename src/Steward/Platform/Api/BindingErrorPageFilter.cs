using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Steward.Platform.Localization;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// Pages refuse a posted or queried value that did not bind, instead of carrying on with the property's default: a
/// select posted with <c>Priority=77</c> (not a <c>CasePriority</c>), <c>Kind=Foo</c>, or <c>BranchId=abc</c>. Model
/// binding records such a value as a model state error and leaves the property at its default, which a page would then
/// save (the default priority, no kind). Steward's page models declare no validation attributes, so every model state
/// error at this point is a value that did not bind: the answer is the 400 error page naming the field (and, for an
/// enum, the allowed values), and the handler does not run.
/// </summary>
public sealed partial class BindingErrorPageFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var (key, entry) = context.ModelState.FirstOrDefault(e => e.Value?.ValidationState == ModelValidationState.Invalid);
        if (entry is null || context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            return; // valid, or the error page shown for a refused request (whose form binding may well fail again)
        }

        var l = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var type = TypeOf(context, key);
        var allowed = type is { IsEnum: true } ? Enum.GetNames(type) : null;
        context.HttpContext.Features.Set(key.Length == 0 ? InputRejection.UnreadableForm(l) : InputRejection.InvalidValue(l, key, entry.AttemptedValue, allowed));
        context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }

    /// <summary>The type bound under a model state key such as <c>Input.Kind</c>, <c>Rules[2].Priority</c> or <c>code</c>.</summary>
    private static Type? TypeOf(PageHandlerExecutingContext context, string key)
    {
        var names = Index().Replace(key, "").Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return null;
        }

        var type = context.HandlerMethod?.Parameters.FirstOrDefault(p => string.Equals(p.Name, names[0], StringComparison.OrdinalIgnoreCase))?.ParameterType
            ?? Property(context.HandlerInstance.GetType(), names[0]);
        foreach (var name in names.Skip(1))
        {
            type = type is null ? null : Property(Element(type), name);
        }

        return type is null ? null : Nullable.GetUnderlyingType(Element(type)) ?? Element(type);
    }

    private static Type? Property(Type type, string name) =>
        type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;

    /// <summary>The element type of a list or array (what an index in the key points at); otherwise the type itself.</summary>
    private static Type Element(Type type) =>
        type.IsArray ? type.GetElementType()!
        : type.IsGenericType && type != typeof(string) && type.GetGenericArguments() is [var element] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? element
        : type;

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Index();
}
