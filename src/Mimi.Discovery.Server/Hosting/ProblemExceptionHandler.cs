using Microsoft.AspNetCore.Diagnostics;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>Maps exceptions that reach the pipeline to problem details; only genuine bugs become a 500.</summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // A request the client abandoned never reaches here: the exception middleware ends it with a bare 499 itself.
        string? field = null;
        var (status, kind, detail) = exception switch
        {
            BadHttpRequestException bad => Describe(context, bad, out field),
            StorageException { IsOutage: true } storage => (503, StorageProblems.Kind(storage.Kind), StorageProblems.Detail(storage.Kind)),
            _ => (500, ProblemKinds.Internal, "An unexpected error occurred; it has been logged."),
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
