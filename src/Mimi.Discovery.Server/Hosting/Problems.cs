using Microsoft.AspNetCore.Http.HttpResults;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// The one error contract: RFC 9457 problem details, with a stable <c>type</c> per error kind (documented in the
/// README under "Errors"). Kinds are named only through <see cref="ProblemKinds"/>.
/// </summary>
internal static class Problems
{
    /// <summary>The problem <c>type</c> of <paramref name="kind"/>, one of <see cref="ProblemKinds"/>.</summary>
    public static string Type(string kind) => ProblemKinds.TypePrefix + kind;

    public static ProblemHttpResult Create(int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: Type(kind), extensions: extensions);

    public static ProblemHttpResult InvalidRequest(string field, string detail) =>
        Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidRequest, "The request is invalid.", detail,
            new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult InvalidIdentifier(string field, string code, string detail) =>
        Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidIdentifier, "An identifier is malformed.", detail,
            new Dictionary<string, object?> { ["field"] = field, ["code"] = code });

    /// <summary>400 for a credential serial in a route that is not hex (see <see cref="Mimi.Discovery.Authority.CredentialSerial"/>).</summary>
    public static ProblemHttpResult InvalidSerial(string detail) => InvalidRequest("serial", detail);

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, ProblemKinds.NotFound, "Not found.", what);

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, ProblemKinds.Conflict, "The request conflicts with the current state.", detail);

    public static ProblemHttpResult Forbidden(string detail, string? field = null) =>
        Create(StatusCodes.Status403Forbidden, ProblemKinds.Forbidden, "Not allowed for this client.", detail,
            field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least one) in the header and the body.</summary>
    public static ProblemHttpResult RateLimited(HttpContext http, string detail, TimeSpan retryAfter)
    {
        RequireRateLimitedEndpoint(http);
        var seconds = RetryAfterSeconds(http, retryAfter);
        return Create(StatusCodes.Status429TooManyRequests, ProblemKinds.RateLimited, "Too many requests.", detail,
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    /// <summary>503 from a rate-limit store that cannot be reached (limits fail closed), with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult RateLimiterUnavailable(HttpContext http, TimeSpan retryAfter)
    {
        RequireRateLimitedEndpoint(http);
        RetryAfterSeconds(http, retryAfter);
        return Create(StatusCodes.Status503ServiceUnavailable, ProblemKinds.RateLimiterUnavailable, "Rate limiting is unavailable.",
            "The shared rate-limit store cannot be reached, so requests are refused rather than left unlimited; retry shortly.");
    }

    // The OpenAPI document lists 429 for the endpoints mapped with .RateLimited(); one answering it without would be
    // undocumented, so that is a bug caught by any test reaching the limit.
    private static void RequireRateLimitedEndpoint(HttpContext http)
    {
        if (http.GetEndpoint() is { } endpoint && endpoint.Metadata.GetMetadata<RateLimitedMetadata>() is null)
        {
            throw new InvalidOperationException($"{endpoint.DisplayName} answers 429 but is not mapped with .{nameof(RateLimitedEndpoints.RateLimited)}().");
        }
    }

    private static long RetryAfterSeconds(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return seconds;
    }

    /// <summary>400 for a TLS-encoded MIMI body that does not decode: names the message, the field, the offset and the codec's error code.</summary>
    public static ProblemHttpResult InvalidMessage(Mimi.Discovery.Protocol.DecodeProblem problem) =>
        Create(StatusCodes.Status400BadRequest, ProblemKinds.InvalidMessage, problem.Title, problem.Detail,
            new Dictionary<string, object?> { ["code"] = problem.Code, ["field"] = problem.Field, ["offset"] = problem.Offset });

    /// <summary>400 for <paramref name="messageName"/> failing to decode with <paramref name="error"/> (never echoes the input bytes).</summary>
    public static ProblemHttpResult InvalidMessage(Mimi.Discovery.Protocol.Tls.TlsError error, string messageName) =>
        InvalidMessage(Mimi.Discovery.Protocol.DecodeProblem.From(error, messageName));

    public static ProblemHttpResult ProofFailed(string detail) =>
        Create(StatusCodes.Status400BadRequest, ProblemKinds.ProofOfControlFailed, "Proof of control failed.", detail);

    public static ProblemHttpResult GatewayFailed(string detail) =>
        Create(StatusCodes.Status502BadGateway, ProblemKinds.GatewayFailed, "The message gateway did not accept the code.", detail);

    /// <summary>The kind of a status set by the framework (authentication, routing, body limits).</summary>
    public static string KindForStatus(int status) => status switch
    {
        400 => ProblemKinds.InvalidRequest,
        401 => ProblemKinds.Unauthenticated,
        403 => ProblemKinds.Forbidden,
        404 => ProblemKinds.NotFound,
        405 => ProblemKinds.MethodNotAllowed,
        408 => ProblemKinds.RequestTimeout,
        413 => ProblemKinds.RequestTooLarge,
        414 => ProblemKinds.RequestTargetTooLong,
        415 => ProblemKinds.UnsupportedMediaType,
        429 => ProblemKinds.RateLimited,
        431 => ProblemKinds.RequestHeadersTooLarge,
        // Every answer carries a documented kind: a status with none of its own is a bug from 500 up, a refusal below.
        _ => status >= 500 ? ProblemKinds.Internal : ProblemKinds.InvalidRequest,
    };
}
