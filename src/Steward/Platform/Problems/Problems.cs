using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Steward.Platform.Problems;

/// <summary>
/// An expected failure, returned as a value and mapped to HTTP in one place
/// (<see cref="Problems.From(Error)"/>). Titles and details are bilingual: "English 中文".
/// </summary>
public abstract record Error(string Code, string Title, string Detail)
{
    public abstract int Status { get; }
}

public sealed record NotFoundError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status404NotFound;
}

public sealed record ConflictError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status409Conflict;
}

public sealed record InvalidError(string Code, string Title, string Detail, IReadOnlyDictionary<string, string[]>? Fields = null) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status400BadRequest;
}

public sealed record ForbiddenError(string Code, string Title, string Detail) : Error(Code, Title, Detail)
{
    public override int Status => StatusCodes.Status403Forbidden;
}

/// <summary>The outcome of an operation that can fail in expected ways.</summary>
public readonly record struct Outcome<T>(T? Value, Error? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Error error) => new(default, error);
}

public static class Problems
{
    public const string TypePrefix = "urn:steward:problem:";

    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var ext = extensions is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(extensions);
        ext["code"] = code;
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + code, extensions: ext);
    }

    public static ProblemHttpResult From(Error error)
    {
        IDictionary<string, object?>? extensions = error is InvalidError { Fields: { } fields } ? new Dictionary<string, object?> { ["errors"] = fields } : null;
        return Create(error.Status, error.Code, error.Title, error.Detail, extensions);
    }

    public static ConflictError StaleVersion() => new("stale-version",
        "The record was changed by someone else 记录已被他人修改",
        "Reload it and apply your change again. 请刷新后重新操作。");
}

/// <summary>
/// The one handler for surprises: every unhandled exception becomes a problem details body.
/// A concurrency conflict that escaped a handler is still a 409, bad JSON a 400; anything else a
/// 500 that names the trace id and nothing of the exception.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = exception switch
        {
            DbUpdateConcurrencyException => (409, "stale-version", "The record was changed by someone else 记录已被他人修改", "Reload it and apply your change again. 请刷新后重新操作。"),
            BadHttpRequestException bad => (bad.StatusCode, "bad-request", "The request could not be read 请求格式错误", bad.Message),
            System.Text.Json.JsonException => (400, "bad-json", "The request body is not valid JSON 请求体不是有效的 JSON", exception.Message),
            _ => (500, "internal", "Something went wrong 系统错误", "The error was logged; quote the trace id when you report it. 错误已记录，报告时请提供 traceId。"),
        };
        if (status >= 500)
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
                Title = title,
                Detail = detail,
                Type = Problems.TypePrefix + code,
                Extensions = { ["code"] = code, ["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier },
            },
        });
    }
}
