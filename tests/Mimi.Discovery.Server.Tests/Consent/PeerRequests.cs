using System.Net.Http.Headers;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Consent;

/// <summary>Signed provider-to-provider requests sent by hand, as a peer (well-behaved or not) would send them.</summary>
internal static class PeerRequests
{
    public static string PathFor(string endpoint, string target) => $"/mimi/v1/{endpoint}/{Uri.EscapeDataString(target)}";

    public static string Sign(ProviderInstance from, string toDomain, string path, byte[] body) =>
        PeerRequestToken.Create(from.Credentials, toDomain, "POST", path, body, DateTimeOffset.UtcNow);

    public static async Task<HttpResponseMessage> PostAsync(ProviderInstance from, ProviderInstance to, string endpoint, string target, byte[] body,
        string? messageId = null, string? token = null, string contentType = "application/octet-stream")
    {
        using var http = new HttpClient { BaseAddress = new Uri(to.Url) };
        var path = PathFor(endpoint, target);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue(PeerRequestToken.Scheme, token ?? Sign(from, to.Domain, path, body));
        if (messageId is not null)
        {
            request.Headers.Add(PeerRequestToken.MessageIdHeader, messageId);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
