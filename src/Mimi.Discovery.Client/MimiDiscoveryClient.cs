using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mimi.Discovery.Identifiers;

namespace Mimi.Discovery.Client;

/// <summary>
/// Typed client of the Mimi.Discovery API. Authenticated calls get an access token from the token endpoint with a
/// fresh client assertion and reuse it until shortly before it expires.
/// </summary>
public sealed partial class MimiDiscoveryClient
{
    private readonly HttpClient _http;
    private readonly ClientCredentials? _credentials;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _token;

    /// <summary>Creates the client; <paramref name="http"/> must have its BaseAddress set to the service.</summary>
    public MimiDiscoveryClient(HttpClient http, ClientCredentials? credentials = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("HttpClient.BaseAddress must be the service URL.", nameof(http));
        }

        _http = http;
        _credentials = credentials;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The clock this client reads (token renewal, assertion lifetimes); the system's unless one was given.</summary>
    internal TimeProvider Time => _time;

    /// <summary>The token endpoint URL the assertions are addressed to (the service's issuer + /oauth2/token).</summary>
    public string TokenEndpoint => new Uri(_http.BaseAddress!, "/oauth2/token").ToString();

    /// <summary>
    /// A provider's active public signing keys as JWK JSON texts, or null when the provider is unknown or suspended.
    /// Providers fetch a peer's keys to verify its provider-to-provider requests.
    /// </summary>
    public async Task<string[]?> GetProviderKeysAsync(string domain, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"/v1/providers/{Uri.EscapeDataString(domain)}/jwks", null, true, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!UntrustedJson.TryParse(await ReadBytesAsync(response, ct), out var document))
        {
            throw new JsonException($"The key set of '{domain}' is not JSON text.");
        }

        using (document)
        {
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("keys", out var keys)
                && keys.ValueKind == JsonValueKind.Array
                ? keys.EnumerateArray().Select(k => k.GetRawText()).ToArray()
                : throw new JsonException($"The key set of '{domain}' has no \"keys\" array.");
        }
    }

    /// <summary>Gets an access token (cached until 30 s before expiry).</summary>
    public async Task<string> GetAccessTokenAsync(CancellationToken ct = default)
    {
        if (_credentials is null)
        {
            throw new InvalidOperationException("This client has no credentials; pass a client id and key.");
        }

        await _tokenGate.WaitAsync(ct);
        try
        {
            if (_token is { } cached && cached.RenewAt > _time.GetUtcNow())
            {
                return cached.Token;
            }

            var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = _credentials.CreateAssertion(TokenEndpoint, _time.GetUtcNow()),
                ["client_id"] = _credentials.ClientId,
            });
            using var response = await _http.PostAsync("/oauth2/token", form, ct);
            var answer = await ReadAsync(response, ClientJson.Default.TokenAnswer, ct);
            _token = (answer.AccessToken, _time.GetUtcNow() + TimeSpan.FromSeconds(Math.Max(0, answer.ExpiresIn - 30)));
            return answer.AccessToken;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>Enrols a provider (operator).</summary>
    public Task<Provider> EnrolProviderAsync(string domain, string contact, IEnumerable<string> publicJwks, bool trusted = false, string? displayName = null, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/providers", new EnrolRequest(domain, displayName, contact, trusted,
            publicJwks.Select(j => JsonDocument.Parse(j).RootElement.Clone()).ToArray()), ClientJson.Default.EnrolRequest, ClientJson.Default.Provider, ct);

    /// <summary>Lists providers (operator).</summary>
    public Task<Provider[]> ListProvidersAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "/v1/providers", ClientJson.Default.ProviderArray, ct);

    /// <summary>Suspends a provider (operator).</summary>
    public Task<Provider> SuspendProviderAsync(string domain, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/providers/{Uri.EscapeDataString(domain)}/suspend", ClientJson.Default.Provider, ct);

    /// <summary>Lifts a suspension (operator).</summary>
    public Task<Provider> ReinstateProviderAsync(string domain, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/providers/{Uri.EscapeDataString(domain)}/reinstate", ClientJson.Default.Provider, ct);

    /// <summary>Sets a provider's trust level (operator).</summary>
    public Task<Provider> SetProviderTrustAsync(string domain, bool trusted, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, $"/v1/providers/{Uri.EscapeDataString(domain)}/trust", new TrustBody(trusted), ClientJson.Default.TrustBody, ClientJson.Default.Provider, ct);

    /// <summary>Adds a signing key to a provider (operator).</summary>
    public Task<ProviderKey> AddProviderKeyAsync(string domain, string publicJwk, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/providers/{Uri.EscapeDataString(domain)}/keys", JsonDocument.Parse(publicJwk).RootElement.Clone(),
            ClientJson.Default.JsonElement, ClientJson.Default.ProviderKey, ct);

    /// <summary>Retires a provider's signing key (operator).</summary>
    public async Task RetireProviderKeyAsync(string domain, string kid, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, $"/v1/providers/{Uri.EscapeDataString(domain)}/keys/{Uri.EscapeDataString(kid)}", null, true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Sends a one-time code to <paramref name="sii"/> for the caller's user <paramref name="ssi"/>.</summary>
    public Task<Challenge> CreateChallengeAsync(string sii, string ssi, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/authority/challenges", new ChallengeRequest(sii, ssi), ClientJson.Default.ChallengeRequest, ClientJson.Default.Challenge, ct);

    /// <summary>Issues a credential after a one-time code (<paramref name="challengeId"/>, <paramref name="code"/>) or, for trusted providers, an attestation.</summary>
    public Task<Credential> IssueCredentialAsync(string sii, string ssi, byte[] subjectPublicKeyInfo, IEnumerable<string>? tags = null,
        string? challengeId = null, string? code = null, bool attested = false, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/authority/credentials",
            new IssueRequest(sii, ssi, Convert.ToBase64String(subjectPublicKeyInfo), tags?.ToArray() ?? [], challengeId, code, attested ? true : null),
            ClientJson.Default.IssueRequest, ClientJson.Default.Credential, ct);

    /// <summary>
    /// Imports verified mappings in bulk (trusted providers): <paramref name="ndjson"/> is streamed as the body, one
    /// <c>{"sii", "ssi", "publicKey", "tags"}</c> object per line. Bad lines are reported in the result, not thrown.
    /// </summary>
    public Task<ImportResult> ImportAsync(Stream ndjson, CancellationToken ct = default) => ImportAsync(ndjson, null, 1, ct);

    /// <summary>
    /// Imports verified mappings in bulk as part of the resumable import <paramref name="importId"/> (8 to 64 of
    /// A-Z, a-z, 0-9, '-', '_'; choose a random one): the service records in each batch's log transaction how far the
    /// import has got and skips lines it committed before. <paramref name="ndjson"/> starts at line
    /// <paramref name="firstLine"/> of the file, which must not be after the line <see cref="GetImportProgressAsync"/>
    /// reports plus one.
    /// </summary>
    public async Task<ImportResult> ImportAsync(Stream ndjson, string? importId, long firstLine, CancellationToken ct = default)
    {
        var content = new StreamContent(ndjson, 64 * 1024);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        var path = importId is null && firstLine == 1
            ? "/v1/authority/import"
            : $"/v1/authority/import?firstLine={firstLine}" + (importId is null ? "" : "&importId=" + Uri.EscapeDataString(importId));
        using var response = await SendRawAsync(HttpMethod.Post, path, content, true, ct);
        return await ReadAsync(response, ClientJson.Default.ImportResult, ct);
    }

    /// <summary>What the resumable import <paramref name="importId"/> has committed, or null when nothing yet.</summary>
    public async Task<ImportProgress?> GetImportProgressAsync(string importId, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Get, $"/v1/authority/import/{Uri.EscapeDataString(importId)}", null, true, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadAsync(response, ClientJson.Default.ImportProgress, ct);
    }

    /// <summary>One credential (its owner or the operator).</summary>
    public Task<Credential> GetCredentialAsync(string serial, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/authority/credentials/{Uri.EscapeDataString(serial)}", ClientJson.Default.Credential, ct);

    /// <summary>Revokes a credential (its owner or the operator).</summary>
    public Task<Credential> RevokeCredentialAsync(string serial, string reason = "unspecified", CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"/v1/authority/credentials/{Uri.EscapeDataString(serial)}/revoke", new RevokeBody(reason),
            ClientJson.Default.RevokeBody, ClientJson.Default.Credential, ct);

    /// <summary>Plain lookup of a batch of identifiers.</summary>
    public Task<LookupResults> LookupAsync(IEnumerable<string> identifiers, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/lookup", new LookupBody(identifiers.ToArray()), ClientJson.Default.LookupBody, ClientJson.Default.LookupResults, ct);

    /// <summary>Sets who may discover a mapping: everyone, same-provider, providers (with <paramref name="providers"/>), nobody.</summary>
    public async Task SetDiscoverabilityAsync(string serial, string mode, IEnumerable<string>? providers = null, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Put, $"/v1/mappings/{Uri.EscapeDataString(serial)}/discoverability",
            JsonContent.Create(new DiscoverabilityBody(mode, providers?.ToArray()), ClientJson.Default.DiscoverabilityBody), true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Removes a mapping from discovery.</summary>
    public async Task RemoveMappingAsync(string serial, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Delete, $"/v1/mappings/{Uri.EscapeDataString(serial)}", null, true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>Sets the caller's owner quotas.</summary>
    public Task<OwnerQuotas> SetQuotasAsync(OwnerQuotas quotas, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Put, "/v1/providers/me/quotas", quotas, ClientJson.Default.OwnerQuotas, ClientJson.Default.OwnerQuotas, ct);

    /// <summary>Sets the caller's keyMaterial URL template (with {targetUser}).</summary>
    public async Task SetKeyMaterialUrlAsync(string? template, CancellationToken ct = default)
    {
        using var response = await SendRawAsync(HttpMethod.Put, "/v1/providers/me/settings",
            JsonContent.Create(new SettingsBody(template), ClientJson.Default.SettingsBody), true, ct);
        await EnsureAsync(response, ct);
    }

    /// <summary>The latest signed checkpoint (text).</summary>
    public Task<string> GetCheckpointAsync(CancellationToken ct = default) => GetTextAsync("/log/checkpoint", ct);

    /// <summary>The log's verifier key.</summary>
    public async Task<string> GetLogVerifierKeyAsync(CancellationToken ct = default) => (await GetTextAsync("/log/key", ct)).Trim();

    /// <summary>Log entries from <paramref name="start"/>.</summary>
    public Task<LogEntries> GetLogEntriesAsync(long start, int count, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/log/entries?start={start}&count={count}", ClientJson.Default.LogEntries, ct, authenticate: false);

    /// <summary>Inclusion proof of entry <paramref name="index"/> in the tree of size <paramref name="treeSize"/>.</summary>
    public Task<InclusionProof> GetInclusionProofAsync(long index, long treeSize, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/log/proof/inclusion?index={index}&size={treeSize}", ClientJson.Default.InclusionProof, ct, authenticate: false);

    /// <summary>Consistency proof between two tree sizes.</summary>
    public Task<ConsistencyProof> GetConsistencyProofAsync(long from, long to, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/log/proof/consistency?from={from}&to={to}", ClientJson.Default.ConsistencyProof, ct, authenticate: false);

    private async Task<string> GetTextAsync(string path, CancellationToken ct)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, false, ct);
        await EnsureAsync(response, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private async Task<TResponse> SendAsync<TResponse>(HttpMethod method, string path, JsonTypeInfo<TResponse> responseType, CancellationToken ct, bool authenticate = true)
    {
        using var response = await SendRawAsync(method, path, null, authenticate, ct);
        return await ReadAsync(response, responseType, ct);
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, JsonContent.Create(body, requestType), true, ct);
        return await ReadAsync(response, responseType, ct);
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, HttpContent? content, bool authenticate, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (authenticate)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetAccessTokenAsync(ct));
        }

        return await _http.SendAsync(request, ct);
    }

    private static async Task<byte[]> ReadBytesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureAsync(response, ct);
        return await response.Content.ReadAsByteArrayAsync(ct);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        await EnsureAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new MimiApiException((int)response.StatusCode, null);
    }

    /// <summary>Throws <see cref="MimiApiException"/> with the problem body unless the response succeeded.</summary>
    internal static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        Problem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(ClientJson.Default.Problem, ct);
        }
        catch (JsonException)
        {
        }

        throw new MimiApiException((int)response.StatusCode, problem);
    }
}
