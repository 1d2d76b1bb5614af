using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// The one error contract: RFC 9457 problem details, with a stable <c>type</c> per error kind (documented in the
/// README under "Errors").
/// </summary>
internal static class Problems
{
    public const string TypePrefix = "urn:mimi-discovery:problem:";

    public static string Type(string kind) => TypePrefix + kind;

    public static ProblemHttpResult Create(int status, string kind, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: Type(kind), extensions: extensions);

    public static ProblemHttpResult InvalidRequest(string field, string detail) =>
        Create(StatusCodes.Status400BadRequest, "invalid-request", "The request is invalid.", detail,
            new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult InvalidIdentifier(string field, string code, string detail) =>
        Create(StatusCodes.Status400BadRequest, "invalid-identifier", "An identifier is malformed.", detail,
            new Dictionary<string, object?> { ["field"] = field, ["code"] = code });

    /// <summary>400 for a credential serial in a route that is not hex (see <see cref="Mimi.Discovery.Authority.CredentialSerial"/>).</summary>
    public static ProblemHttpResult InvalidSerial(string detail) => InvalidRequest("serial", detail);

    public static ProblemHttpResult NotFound(string what) =>
        Create(StatusCodes.Status404NotFound, "not-found", "Not found.", what);

    public static ProblemHttpResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, "conflict", "The request conflicts with the current state.", detail);

    public static ProblemHttpResult Forbidden(string detail, string? field = null) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Not allowed for this client.", detail,
            field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least one) in the header and the body.</summary>
    public static ProblemHttpResult RateLimited(HttpContext http, string detail, TimeSpan retryAfter)
    {
        var seconds = RetryAfterSeconds(http, retryAfter);
        return Create(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.", detail,
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    /// <summary>503 from a rate-limit store that cannot be reached (limits fail closed), with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult RateLimiterUnavailable(HttpContext http, TimeSpan retryAfter)
    {
        RetryAfterSeconds(http, retryAfter);
        return Create(StatusCodes.Status503ServiceUnavailable, "rate-limiter-unavailable", "Rate limiting is unavailable.",
            "The shared rate-limit store cannot be reached, so requests are refused rather than left unlimited; retry shortly.");
    }

    private static long RetryAfterSeconds(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return seconds;
    }

    /// <summary>400 for a TLS-encoded MIMI body that does not decode: names the message, the field, the offset and the codec's error code.</summary>
    public static ProblemHttpResult InvalidMessage(Mimi.Discovery.Protocol.DecodeProblem problem) =>
        Create(StatusCodes.Status400BadRequest, "invalid-message", problem.Title, problem.Detail,
            new Dictionary<string, object?> { ["code"] = problem.Code, ["field"] = problem.Field, ["offset"] = problem.Offset });

    /// <summary>400 for <paramref name="messageName"/> failing to decode with <paramref name="error"/> (never echoes the input bytes).</summary>
    public static ProblemHttpResult InvalidMessage(Mimi.Discovery.Protocol.Tls.TlsError error, string messageName) =>
        InvalidMessage(Mimi.Discovery.Protocol.DecodeProblem.From(error, messageName));

    public static ProblemHttpResult ProofFailed(string detail) =>
        Create(StatusCodes.Status400BadRequest, "proof-of-control-failed", "Proof of control failed.", detail);

    public static ProblemHttpResult GatewayFailed(string detail) =>
        Create(StatusCodes.Status502BadGateway, "gateway-failed", "The message gateway did not accept the code.", detail);

    /// <summary>Generic types for statuses set by the framework (authentication, routing, body limits).</summary>
    public static string KindForStatus(int status) => status switch
    {
        400 => "invalid-request",
        401 => "unauthenticated",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        408 => "request-timeout",
        413 => "request-too-large",
        414 => "request-target-too-long",
        415 => "unsupported-media-type",
        429 => "rate-limited",
        431 => "request-headers-too-large",
        503 => "unavailable",
        _ => status >= 500 ? "internal" : "http-" + status,
    };
}

/// <summary>Maps exceptions that reach the pipeline to problem details; only genuine bugs become a 500.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        string? field = null;
        var (status, kind, detail) = exception switch
        {
            BadHttpRequestException bad => Describe(context, bad, out field),
            StorageException { IsOutage: true } storage => (503, StorageProblems.Kind(storage.Kind), StorageProblems.Detail(storage.Kind)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => (499, "client-closed-request", "The client went away."),
            _ => (500, "internal", "An unexpected error occurred; it has been logged."),
        };

        // A storage outage is logged once, when it starts and when it ends (StorageHealth), not per request.
        if (status >= 500 && exception is not StorageException { IsOutage: true })
        {
            LogUnhandled(logger, exception, context.Request.Path);
        }

        if (status == 503)
        {
            context.Response.Headers.RetryAfter = "2";
        }

        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Type = Problems.Type(kind), Title = "The request could not be processed.", Detail = detail },
        };
        if (field is not null)
        {
            problem.ProblemDetails.Extensions["field"] = field;
        }

        return await problems.TryWriteAsync(problem);
    }

    // The framework's messages name .NET types and parameters; BindingErrors says the same in the wire's terms.
    private (int Status, string Kind, string Detail) Describe(HttpContext context, BadHttpRequestException bad, out string? field)
    {
        // A body read that failed inside binding carries Kestrel's own refusal (413, 408) within.
        if (bad.InnerException is BadHttpRequestException inner)
        {
            bad = inner;
        }

        // The exception handler has cleared the endpoint from the context; its feature keeps it.
        var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
        (field, var detail) = BindingErrors.Describe(context, endpoint, bad);

        // The answer speaks the wire's terms; the framework's own words stay available to whoever runs the service.
        LogRefused(logger, bad.StatusCode, context.Request.Path, bad.InnerException?.Message ?? bad.Message);
        return (bad.StatusCode, Problems.KindForStatus(bad.StatusCode), detail);
    }

    [LoggerMessage(EventId = 1910, Level = LogLevel.Debug, Message = "Refused a request to {Path} with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, PathString path, string reason);

    [LoggerMessage(EventId = 1900, Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
