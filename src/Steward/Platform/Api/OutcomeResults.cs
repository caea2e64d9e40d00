using Microsoft.AspNetCore.Http.HttpResults;
using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// The one Outcome → HTTP mapping of the endpoints: a success as 200 (or 201 with its location), a failure as the
/// problem details of <see cref="Problems.Problems.From(Error)"/>.
/// </summary>
public static class OutcomeResults
{
    public static Results<Ok<T>, ProblemHttpResult> ToOk<T>(this Outcome<T> outcome) =>
        outcome.Succeeded ? TypedResults.Ok(outcome.Value) : Problems.Problems.From(outcome.Error);

    public static Results<Created<T>, ProblemHttpResult> ToCreated<T>(this Outcome<T> outcome, Func<T, string> location) =>
        outcome.Succeeded ? TypedResults.Created(location(outcome.Value), outcome.Value) : Problems.Problems.From(outcome.Error);
}
