using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Client;
using Mimi.Discovery.Resolution;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Sends MIMI requests to other providers: resolves the domain (SRV, then the directory document), expands the
/// endpoint's URL template, signs the request as this provider (<see cref="PeerRequestToken"/>) and sends it through
/// the resolver's guarded handler, which connects only to allowed addresses and never follows redirects.
/// Expected failures are values, not exceptions.
/// </summary>
internal sealed partial class PeerClient(
    ProviderResolver resolver, ProviderIdentity identity, IOptions<DeliveryOptions> options, PeersMetrics metrics, TimeProvider time, ILogger<PeerClient> logger)
    : IDisposable
{
    public const string MediaType = "application/octet-stream";
    private const int MaxResponseBytes = 1024 * 1024;

    private readonly HttpClient _http = resolver.CreateHttpClient();

    public async Task<PeerResponse> SendAsync(string domain, MimiEndpoint endpoint, string target, byte[] body, string? messageId, CancellationToken ct)
    {
        var directory = await resolver.GetDirectoryAsync(domain, ct);
        if (!directory.Succeeded)
        {
            // Resolution failures (NXDOMAIN, no answer, a bad document) may clear; the outbox retries with back-off.
            return PeerResponse.Failed(PeerOutcome.Transient, $"resolving {domain}: {directory.Status} {directory.Error}");
        }

        var url = directory.Directory!.Expand(endpoint, target);
        if (url is null)
        {
            return PeerResponse.Failed(PeerOutcome.Permanent, $"{domain} publishes no {MimiDirectory.NameOf(endpoint)} endpoint");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        request.Headers.Authorization = new AuthenticationHeaderValue(PeerRequestToken.Scheme,
            PeerRequestToken.Create(identity.Credentials, domain, "POST", url.PathAndQuery, body, time.GetUtcNow()));
        if (messageId is not null)
        {
            request.Headers.Add(PeerRequestToken.MessageIdHeader, messageId);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.PeerRequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            metrics.Request(incoming: false, endpoint, domain, status);
            var content = await ReadBoundedAsync(response.Content, timeout.Token);
            var retryAfter = RetryAfter(response);
            var outcome = status switch
            {
                >= 200 and < 300 => PeerOutcome.Accepted,
                408 or 425 or 429 or >= 500 => PeerOutcome.Transient,
                _ => PeerOutcome.Permanent,
            };
            var error = outcome == PeerOutcome.Accepted ? null
                : status is >= 300 and < 400 ? $"{url.Host} answered {status} (a redirect; redirects are not followed)"
                : $"{url.Host} answered {status}";
            return new PeerResponse(outcome, status, content, retryAfter, error);
        }
        catch (Exception e) when (GuardedHttp.IsForbiddenAddress(e))
        {
            LogForbidden(logger, domain, url.Host);
            metrics.Request(incoming: false, endpoint, domain, null, "forbidden-address");
            return PeerResponse.Failed(PeerOutcome.Permanent, $"{url.Host} resolves to an address this service may not contact");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            metrics.Request(incoming: false, endpoint, domain, null, "timeout");
            return PeerResponse.Failed(PeerOutcome.Transient, $"{url.Host} did not answer within {options.Value.PeerRequestTimeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            metrics.Request(incoming: false, endpoint, domain, null, "connection");
            return PeerResponse.Failed(PeerOutcome.Transient, $"{url.Host}: {e.HttpRequestError} {e.Message}");
        }
        catch (InvalidDataException e)
        {
            metrics.Request(incoming: false, endpoint, domain, null, "malformed-response");
            return PeerResponse.Failed(PeerOutcome.Transient, $"{url.Host}: {e.Message}");
        }
        catch (IOException e)
        {
            // A body that breaks off or is malformed (bad chunking) surfaces while reading, as HttpIOException; left
            // uncaught it would stop the outbox loop.
            metrics.Request(incoming: false, endpoint, domain, null, "malformed-response");
            return PeerResponse.Failed(PeerOutcome.Transient, $"{url.Host}: malformed response ({e.Message})");
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new InvalidDataException($"response body over {MaxResponseBytes} bytes");
        }

        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new InvalidDataException($"response body over {MaxResponseBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        return header.Date is { } date ? (date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero) : null;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Refused to contact {Host} for peer {Domain}: it resolves to a forbidden address")]
    private static partial void LogForbidden(ILogger logger, string domain, string host);
}
