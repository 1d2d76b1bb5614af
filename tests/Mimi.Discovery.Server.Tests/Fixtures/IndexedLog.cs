using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Client;
using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Server.Tests.Fixtures;

/// <summary>Reads what the indexed log and its credentials carry (docs/accountability.md) the way an outside party does: over HTTP.</summary>
internal static class IndexedLog
{
    /// <summary>An HTTP client sending <paramref name="client"/>'s access token, for routes the client library does not wrap.</summary>
    public static async Task<HttpClient> BearerAsync(ServiceFactory service, MimiDiscoveryClient client)
    {
        var http = service.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.GetAccessTokenAsync());
        return http;
    }

    /// <summary>The credential view as served, with its <c>transparency</c> member.</summary>
    public static async Task<JsonElement> CredentialViewAsync(HttpClient provider, string serial) =>
        await provider.GetFromJsonAsync<JsonElement>($"/v1/authority/credentials/{serial}");

    /// <summary>The entry at <paramref name="index"/>, its bytes and parsed.</summary>
    public static async Task<(byte[] Bytes, LogEntryContent Entry)> EntryAsync(ServiceFactory service, long index)
    {
        var bytes = Convert.FromBase64String((await service.Anonymous().GetLogEntriesAsync(index, 1)).Entries[0].Data);
        Assert.True(LogEntryContent.TryParse(bytes, out var entry), Encoding.UTF8.GetString(bytes));
        return (bytes, entry!);
    }

    /// <summary>The published VRF keys by key id, and the current key id.</summary>
    public static async Task<(string Current, Dictionary<string, VrfPublicKey> Keys)> VrfKeysAsync(ServiceFactory service)
    {
        var document = await service.CreateClient().GetFromJsonAsync<JsonElement>("/.well-known/mimi-vrf-keys.json");
        var keys = new Dictionary<string, VrfPublicKey>(StringComparer.Ordinal);
        foreach (var key in document.GetProperty("keys").EnumerateArray())
        {
            Assert.True(VrfPublicKey.TryParse(Convert.FromBase64String(key.GetProperty("publicKey").GetString()!), out var parsed));
            Assert.Equal(key.GetProperty("kid").GetString(), parsed!.KeyId);
            keys.Add(parsed.KeyId, parsed);
        }

        return (document.GetProperty("current").GetString()!, keys);
    }

    /// <summary>The VRF output of <paramref name="proof"/> for <paramref name="sii"/> under the published key, or null when it does not verify.</summary>
    public static byte[]? VerifiedIndex(VrfPublicKey key, string sii, byte[] proof)
    {
        var beta = new byte[EcVrf.OutputLength];
        return key.Verify(Encoding.UTF8.GetBytes(sii), proof, beta) ? beta : null;
    }

    /// <summary>The claims of a compact JWS, unverified (the tests that rely on them verify the token elsewhere).</summary>
    public static JsonElement Claims(string jws) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(jws.Split('.')[1])).RootElement;

    public static byte[] Base64Url(JsonElement claims, string name) => System.Buffers.Text.Base64Url.DecodeFromChars(claims.GetProperty(name).GetString()!);

    public static byte[] Base64(JsonElement element, string name) => Convert.FromBase64String(element.GetProperty(name).GetString()!);
}
