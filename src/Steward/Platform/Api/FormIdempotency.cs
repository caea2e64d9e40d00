using Steward.Platform.Problems;

namespace Steward.Platform.Api;

/// <summary>
/// <see cref="Idempotency"/> for HTML forms. The page puts a fresh key in a hidden field when it
/// shows the form; posting the form twice (a double click, a refresh of the result, a retry after
/// a lost response) creates once, and every later post with that key gets the first result back.
/// Same table and rules as the API (<see cref="IdempotencyStore"/>): the same key with different
/// fields is <see cref="IdempotencyKeyReusedError"/>; a create that fails stores nothing, so the
/// corrected form can be sent again with the same key. Without a key the create simply runs.
/// </summary>
public sealed class FormIdempotency(IdempotencyStore store)
{
    public async Task<Outcome<TResponse>> RunAsync<TRequest, TResponse>(
        string caller,
        string scope,
        string? key,
        TRequest request,
        Func<CancellationToken, Task<Outcome<TResponse>>> create,
        CancellationToken ct)
    {
        var result = await store.RunAsync(caller, scope, key, request, create, _ => null, ct);
        return result.Succeeded ? result.Value! : result.Error!;
    }
}
