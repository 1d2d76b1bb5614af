using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Server.Authority.ProofOfControl;

/// <summary>
/// HTTP gateway adapter: POSTs JSON <c>{to, channel, code, message, reference, expiresAt}</c> with a bearer key and
/// expects a 2xx JSON answer carrying a string <c>id</c>. Slow, failing or garbled answers are failures with a
/// reason; redirects are not followed; the key and the code are never logged.
/// </summary>
internal sealed partial class HttpGateway(HttpClient http, IOptions<ProofOfControlOptions> options, ILogger<HttpGateway> logger) : IOneTimeCodeGateway
{
    public async Task<GatewayResult> SendAsync(OneTimeCodeMessage message, CancellationToken ct)
    {
        var o = options.Value.Http;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Url)
        {
            Content = JsonContent.Create(new GatewayRequest(message.Sii, message.Channel, message.Code,
                $"Your verification code is {message.Code}", message.ChallengeId, message.ExpiresAt), GatewayJson.Default.GatewayRequest),
        };
        if (o.ApiKey is { Length: > 0 } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                LogRefused(logger, (int)response.StatusCode, message.ChallengeId);
                return new GatewayResult(false, $"the gateway answered {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            if (body.Length > 16 * 1024 || !TryReadId(body, out var id))
            {
                LogGarbled(logger, message.ChallengeId);
                return new GatewayResult(false, "the gateway's answer was not the expected JSON");
            }

            return new GatewayResult(true, id);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            LogTimeout(logger, o.Timeout.TotalMilliseconds, message.ChallengeId);
            return new GatewayResult(false, "the gateway did not answer in time");
        }
        catch (HttpRequestException e)
        {
            LogUnreachable(logger, e.HttpRequestError, message.ChallengeId);
            return new GatewayResult(false, "the gateway could not be reached");
        }
    }

    private static bool TryReadId(byte[] body, out string id)
    {
        id = "";
        if (!UntrustedJson.TryParse(body, out var document))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var value)
                && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 256 } text)
            {
                id = text;
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Warning, Message = "Code gateway refused challenge {ChallengeId} with status {Status}")]
    private static partial void LogRefused(ILogger logger, int status, string challengeId);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning, Message = "Code gateway answered challenge {ChallengeId} with an unreadable body")]
    private static partial void LogGarbled(ILogger logger, string challengeId);

    [LoggerMessage(EventId = 1312, Level = LogLevel.Warning, Message = "Code gateway timed out after {TimeoutMs} ms for challenge {ChallengeId}")]
    private static partial void LogTimeout(ILogger logger, double timeoutMs, string challengeId);

    [LoggerMessage(EventId = 1313, Level = LogLevel.Warning, Message = "Code gateway unreachable ({Error}) for challenge {ChallengeId}")]
    private static partial void LogUnreachable(ILogger logger, HttpRequestError error, string challengeId);
}
