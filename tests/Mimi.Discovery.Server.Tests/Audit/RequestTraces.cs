using System.Collections.Concurrent;
using System.Diagnostics;

namespace Mimi.Discovery.Server.Tests.Audit;

/// <summary>
/// Gives every request a W3C <c>traceparent</c> of its own and remembers it, so a test knows the request id the audit
/// trail must show for the act a request did.
/// </summary>
public sealed class RequestTraces : DelegatingHandler
{
    private readonly ConcurrentQueue<(HttpMethod Method, string Path, string TraceId, int Status)> _sent = new();

    /// <summary>The trace id of the last request sent with <paramref name="method"/> to <paramref name="path"/>.</summary>
    public string Of(HttpMethod method, string path) => _sent.Last(r => r.Method == method && r.Path == path).TraceId;

    /// <summary>The trace id and answer status of the last request that was not a token request.</summary>
    public (string TraceId, int Status) Last => _sent.Where(r => r.Path != "/oauth2/token").Select(r => (r.TraceId, r.Status)).Last();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var trace = ActivityTraceId.CreateRandom().ToHexString();
        request.Headers.Remove("traceparent");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await base.SendAsync(request, cancellationToken);
        _sent.Enqueue((request.Method, request.RequestUri!.AbsolutePath, trace, (int)response.StatusCode));
        return response;
    }
}
