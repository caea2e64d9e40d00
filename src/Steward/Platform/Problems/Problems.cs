using System.Globalization;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Steward.Platform.Database;
using Steward.Platform.Localization;

namespace Steward.Platform.Problems;

/// <summary>
/// An expected failure, returned as a value and mapped to HTTP in one place
/// (<see cref="Problems.From(Error)"/>). Titles and details are written in both languages, "English 中文", and shown in the reader's (<see cref="OneLanguage"/>). Each feature names its
/// failures in its own <c>Errors.cs</c> as records deriving from the kinds below (<c>record CaseNotFound() : NotFoundError(…)</c>);
/// <see cref="Code"/> is stable: clients and tests match on it.
/// </summary>
public abstract record Error(string Code, string Title, string Detail)
{
    public abstract int Status { get; }

    /// <summary>Members the problem details carry beside <c>code</c> (e.g. <c>errors</c> of an invalid request); none by default.</summary>
    public virtual IReadOnlyDictionary<string, object?>? Extensions => null;
}

public record NotFoundError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status404NotFound;
}

public record ConflictError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status409Conflict;
}

public record InvalidError(string Code, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Fields = null) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status400BadRequest;

    public override IReadOnlyDictionary<string, object?>? Extensions =>
        Fields is null ? null : new Dictionary<string, object?> { ["errors"] = Fields };
}

public record ForbiddenError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status403Forbidden;
}

/// <summary>The record moved on since the caller read it (its version, or a concurrent first write of the same row): nothing changed.</summary>
public sealed record StaleVersion() : ConflictError("stale-version",
    "The record was changed by someone else 记录已被他人修改",
    "Reload it and apply your change again. 请刷新后重新操作。");

/// <summary>One field of a request is wrong; <c>errors: { field: [message] }</c>.</summary>
public sealed record InvalidRequest(string Field, string Message) : InvalidError("invalid-request", "The request has errors 请求有误", Message,
    new Dictionary<string, string[]> { [Field] = [Message] });

/// <summary>The outcome of an operation that can fail in expected ways: a value when <see cref="Succeeded"/>, else an <see cref="Error"/>.</summary>
public readonly record struct Outcome<T>(T? Value, Error? Error)
{
    // A success carries its value: every success is made from one (the implicit conversion from T, or new(value, null)).
#pragma warning disable CS8775
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;
#pragma warning restore CS8775

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Error error) => new(default, error);
}

public static class Problems
{
    public const string TypePrefix = "urn:steward:problem:";

    /// <summary>A problem in the request's language (<c>Accept-Language</c>, or the language chosen): see <see cref="OneLanguage"/>.</summary>
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var ext = extensions is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(extensions);
        ext["code"] = code;
        return TypedResults.Problem(detail: OneLanguage.Pick(detail, CultureInfo.CurrentUICulture), statusCode: status, title: OneLanguage.Pick(title, CultureInfo.CurrentUICulture), type: TypePrefix + code, extensions: ext);
    }

    /// <summary>
    /// The one mapping of an expected failure to RFC 9457 problem details: status, <c>type</c> and <c>code</c> from the error, plus its
    /// extensions; field messages of an invalid request in the reader's language.
    /// </summary>
    public static ProblemHttpResult From(Error error)
    {
        var extensions = error.Extensions is { } e ? new Dictionary<string, object?>(e) : null;
        if (error is InvalidError { Fields: { } fields } && extensions is not null)
        {
            extensions["errors"] = fields.ToDictionary(f => f.Key, f => f.Value.Select(m => OneLanguage.Pick(m, CultureInfo.CurrentUICulture)).ToArray());
        }

        return Create(error.Status, error.Code, error.Title, error.Detail, extensions);
    }

    public static StaleVersion StaleVersion() => new();

    /// <summary>One field of the request is wrong (code <c>invalid-request</c>).</summary>
    public static InvalidRequest Invalid(string field, string message) => new(field, message);
}

/// <summary>
/// The one handler for surprises: every unhandled exception becomes a problem details body.
/// A concurrency conflict that escaped a handler is still a 409, bad JSON a 400 (an enum value that is not one of its
/// names a 400 naming the field and the allowed values, text with a control character about to be stored a 400 naming
/// the column: <see cref="InputRejection"/>), a database that is briefly
/// unreachable a 503 with <c>Retry-After</c> (<see cref="TransientDatabaseFailure"/>); anything else a 500 that names
/// the trace id and nothing of the exception. A page gets the error page for the status instead (re-executed).
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, IStringLocalizer<SharedResource> l, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var rejection = exception switch
        {
            BadHttpRequestException { InnerException: Api.InvalidEnumValueException invalid } =>
                InputRejection.InvalidValue(l, InputRejection.FieldOfJsonPath(invalid.Path), invalid.Value, invalid.Allowed),
            RefusedTextException refused => InputRejection.ControlCharacter(l, refused.Column, refused.Character),
            _ => null,
        };
        if (rejection is not null)
        {
            await rejection.WriteAsync(httpContext, l);
            return true;
        }

        var transient = TransientDatabaseFailure.Is(exception);
        var (status, code, title, detail) = exception switch
        {
            DbUpdateConcurrencyException => (409, "stale-version", "The record was changed by someone else 记录已被他人修改", "Reload it and apply your change again. 请刷新后重新操作。"),
            BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request could not be read 请求格式错误", bad.Message),
            System.Text.Json.JsonException => (400, "bad-json", "The request body is not valid JSON 请求体不是有效的 JSON", exception.Message),
            Security.PersonalDataKeyMissingException => (500, "personal-data-key-missing", l["error.personal-data-key"].Value, l["error.personal-data-key.detail"].Value),
            _ when transient => (503, "database-unavailable", l["error.503"].Value, l["error.503.detail"].Value),
            _ => (500, "internal", "Something went wrong 系统错误", "The error was logged; quote the trace id when you report it. 错误已记录，报告时请提供 traceId。"),
        };
        if (transient)
        {
            logger.LogWarning("Database briefly unavailable on {Path}: {Error}", httpContext.Request.Path, TransientDatabaseFailure.Describe(exception));
            httpContext.Response.Headers.RetryAfter = TransientDatabaseFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Path}", httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = OneLanguage.Pick(title, CultureInfo.CurrentUICulture),
                Detail = OneLanguage.Pick(detail, CultureInfo.CurrentUICulture),
                Type = Problems.TypePrefix + code,
                Extensions = { ["code"] = code, ["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier },
            },
        });
    }
}
