using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Hosting;

/// <summary>
/// The limits on a request's target and headers, enforced by the service so that a request over them gets a problem
/// body. Kestrel refuses what is over its own limits before any application code runs, with an empty body; its limits
/// are set to four times these (<see cref="ConfigureKestrel"/>), so only requests far over them meet that.
/// </summary>
internal static class RequestHeadLimits
{
    private const int KestrelFactor = 4;

    public static void ConfigureKestrel(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits kestrel, RequestLimitOptions limits)
    {
        // The request line also holds the method and the protocol version.
        kestrel.MaxRequestLineSize = (limits.MaxRequestTargetBytes * KestrelFactor) + 32;
        kestrel.MaxRequestHeadersTotalSize = limits.MaxRequestHeaderBytes * KestrelFactor;
        kestrel.MaxRequestHeaderCount = limits.MaxRequestHeaderCount * KestrelFactor;
    }

    public static Task RejectOversizedAsync(HttpContext context, RequestDelegate next)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<RequestLimitOptions>>().Value;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > limits.MaxRequestTargetBytes)
        {
            throw new BadHttpRequestException($"The request target (path and query) is {target.Length} bytes; the limit is {limits.MaxRequestTargetBytes}.",
                StatusCodes.Status414UriTooLong);
        }

        long bytes = 0;
        var fields = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                // As on the wire: one "name: value" line with its CRLF per field.
                bytes += name.Length + (value?.Length ?? 0) + 4;
                fields++;
            }
        }

        if (fields > limits.MaxRequestHeaderCount)
        {
            throw new BadHttpRequestException($"The request has {fields} header fields; the limit is {limits.MaxRequestHeaderCount}.",
                StatusCodes.Status431RequestHeaderFieldsTooLarge);
        }

        if (bytes > limits.MaxRequestHeaderBytes)
        {
            throw new BadHttpRequestException($"The request headers are {bytes} bytes; the limit is {limits.MaxRequestHeaderBytes}.",
                StatusCodes.Status431RequestHeaderFieldsTooLarge);
        }

        return next(context);
    }
}
