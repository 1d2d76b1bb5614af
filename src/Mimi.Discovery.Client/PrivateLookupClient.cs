using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Identifiers;
using Mimi.Discovery.Oprf;

namespace Mimi.Discovery.Client;

/// <summary>
/// Private lookups (RFC 9497 P256-SHA256 VOPRF): each identifier is blinded before it leaves the client, the service
/// evaluates it and proves which key it used, and the output names a bucket of encrypted records that only the
/// holder of that output can open. The service learns who asks and which buckets, never the identifiers.
/// OPRF outputs are cached per key id, so a re-sync costs only bucket fetches until the service rotates its key.
/// Not safe for concurrent use.
/// </summary>
public sealed class PrivateLookupClient
{
    private const string KeyIdHeader = "Mimi-Oprf-Key-Id";

    private readonly HttpClient _http;
    private readonly MimiDiscoveryClient _api;
    private readonly Dictionary<string, byte[]> _outputs = new(StringComparer.Ordinal);
    private string? _cachedKeyId;
    private MappingAssertionVerifier? _assertions;

    /// <summary>Creates the client; <paramref name="http"/> must have its BaseAddress set to the service, and <paramref name="api"/> supplies access tokens.</summary>
    public PrivateLookupClient(HttpClient http, MimiDiscoveryClient api)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(api);
        if (http.BaseAddress is null)
        {
            throw new ArgumentException("HttpClient.BaseAddress must be the service URL.", nameof(http));
        }

        _http = http;
        _api = api;
    }

    /// <summary>How many identifiers the service has evaluated for this client so far (re-syncs under the same key add none).</summary>
    public int Evaluations { get; private set; }

    /// <summary>
    /// Looks identifiers up privately: status <c>found</c> with every mapping the caller may see, or <c>none</c>
    /// (unknown and hidden look the same).
    /// </summary>
    /// <exception cref="ArgumentException">An identifier is malformed.</exception>
    /// <exception cref="MimiApiException">The service refused a call (for example 429 when over the evaluation quota).</exception>
    /// <exception cref="InvalidDataException">The service's answer does not verify (its proof or its framing is wrong).</exception>
    public async Task<LookupResults> LookupAsync(IEnumerable<string> identifiers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(identifiers);
        var normalized = new List<string>();
        foreach (var identifier in identifiers)
        {
            if (!Sii.TryParse(identifier, out var sii, out var error))
            {
                throw new ArgumentException($"'{identifier}': {error.Message}", nameof(identifiers));
            }

            normalized.Add(sii.Value);
        }

        // A rotation can complete between our calls; starting over once with the new key is enough.
        for (var attempt = 0; ; attempt++)
        {
            var key = await GetAsync("/v1/lookup/private/key", PrivateLookupJson.Default.PrivateLookupKey, ct);
            if (_cachedKeyId != key.KeyId)
            {
                _outputs.Clear();
                _cachedKeyId = key.KeyId;
            }

            if (await EvaluateMissingAsync(key, normalized, ct) && await FetchAsync(key, normalized, ct) is { } results)
            {
                return new LookupResults(results);
            }

            if (attempt == 1)
            {
                throw new InvalidDataException("The service's OPRF key changed twice during one lookup; try again.");
            }
        }
    }

    /// <summary>Evaluates the identifiers not yet cached; false when the service answered with another key than <paramref name="key"/>.</summary>
    private async Task<bool> EvaluateMissingAsync(PrivateLookupKey key, List<string> identifiers, CancellationToken ct)
    {
        var missing = identifiers.Where(s => !_outputs.ContainsKey(s)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0)
        {
            return true;
        }

        var publicKey = OprfElement.Decode(key.PublicKey);
        if (!publicKey.IsSuccess)
        {
            throw new InvalidDataException($"The service's OPRF public key is invalid ({publicKey.Status}).");
        }

        var oprf = new OprfClient(OprfMode.Voprf, publicKey.Value);
        foreach (var chunk in missing.Chunk(Math.Max(1, key.MaxBatch)))
        {
            var blinded = chunk.Select(s => oprf.Blind(Encoding.UTF8.GetBytes(s))).ToArray();
            var body = new ByteArrayContent(new OprfEvaluationRequest(blinded.Select(b => b.BlindedElement).ToArray()).ToArray());
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var response = await SendAsync(HttpMethod.Post, "/v1/lookup/private/evaluate", body, ct);
            await MimiDiscoveryClient.EnsureAsync(response, ct);
            if (!response.Headers.TryGetValues(KeyIdHeader, out var ids) || ids.FirstOrDefault() != key.KeyId)
            {
                return false;
            }

            var evaluation = OprfEvaluation.Decode(await response.Content.ReadAsByteArrayAsync(ct));
            if (!evaluation.IsSuccess)
            {
                throw new InvalidDataException($"The service's OPRF evaluation is malformed ({evaluation.Status}).");
            }

            var outputs = oprf.Finalize(blinded, evaluation.Value);
            if (!outputs.IsSuccess)
            {
                throw new InvalidDataException($"The service's OPRF evaluation does not verify against its published key ({outputs.Status}).");
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                _outputs[chunk[i]] = outputs.Value[i];
            }

            Evaluations += chunk.Length;
        }

        return true;
    }

    /// <summary>Fetches each needed bucket once and opens the records whose tag matches; null when the key is no longer served.</summary>
    private async Task<LookupResult[]?> FetchAsync(PrivateLookupKey key, List<string> identifiers, CancellationToken ct)
    {
        var derived = identifiers.Select(s => OprfRecords.Derive(_outputs[s])).ToArray();
        var buckets = new Dictionary<long, PrivateLookupRecord[]>();
        foreach (var bucket in derived.Select(d => BinaryPrimitives.ReadUInt32BigEndian(d.Tag) >> (32 - key.PrefixBits)).Select(b => (long)b).Distinct())
        {
            using var response = await SendAsync(HttpMethod.Get, $"/v1/lookup/private/buckets/{bucket}?keyId={Uri.EscapeDataString(key.KeyId)}", null, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                _outputs.Clear();
                return null;
            }

            await MimiDiscoveryClient.EnsureAsync(response, ct);
            buckets[bucket] = (await response.Content.ReadFromJsonAsync(PrivateLookupJson.Default.PrivateLookupBucket, ct))?.Records ?? [];
        }

        var results = new LookupResult[identifiers.Count];
        for (var i = 0; i < identifiers.Count; i++)
        {
            var (tag, recordKey) = derived[i];
            var bucket = (long)(BinaryPrimitives.ReadUInt32BigEndian(tag) >> (32 - key.PrefixBits));
            var mappings = new List<LookupMapping>();
            foreach (var record in buckets[bucket])
            {
                if (CryptographicOperations.FixedTimeEquals(record.Tag, tag) && Open(recordKey, tag, record.Ciphertext) is { } mapping)
                {
                    mappings.Add(mapping);
                }
            }

            foreach (var mapping in mappings)
            {
                await VerifyAsync(identifiers[i], mapping, ct);
            }

            results[i] = new LookupResult(identifiers[i], mappings.Count > 0 ? "found" : "none", [.. mappings]);
        }

        return results;
    }

    /// <summary>
    /// A record is only as good as its assertion: signed by a key the service publishes (refetched once when a key is
    /// unknown, after a rotation), for this identifier, user and provider, and not expired.
    /// </summary>
    private async Task VerifyAsync(string sii, LookupMapping mapping, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (_assertions is null || attempt > 0)
            {
                _assertions?.Dispose();
                var metadata = await GetAsync("/.well-known/oauth-authorization-server", PrivateLookupJson.Default.AuthorityMetadata, ct);
                using var jwks = await _http.GetAsync("/.well-known/jwks.json", ct);
                await MimiDiscoveryClient.EnsureAsync(jwks, ct);
                _assertions = new MappingAssertionVerifier(JwksDocument.Parse(await jwks.Content.ReadAsByteArrayAsync(ct)), metadata.Issuer);
            }

            var verification = _assertions.Verify(mapping.Assertion, _api.Time.GetUtcNow());
            if (verification.Status == MappingAssertionStatus.UnknownKey && attempt == 0)
            {
                continue;
            }

            if (!verification.IsValid || verification.Claims is not { } claims || claims.Sii != sii || claims.Ssi != mapping.Ssi
                || claims.Provider != mapping.Provider || claims.CredentialSerial != mapping.Serial)
            {
                throw new InvalidDataException($"The record found for {sii} carries an assertion that does not verify ({verification.Status}) or does not match it.");
            }

            return;
        }
    }

    /// <summary>Decrypts a record and reads its mapping; null if it does not open (a decoy) or holds no mapping.</summary>
    private static LookupMapping? Open(byte[] recordKey, byte[] tag, byte[] sealedRecord)
    {
        if (OprfRecords.Open(recordKey, tag, sealedRecord) is not { } plaintext)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(plaintext, PrivateLookupJson.Default.LookupMapping);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<T> GetAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, ct);
        await MimiDiscoveryClient.EnsureAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(type, ct) ?? throw new InvalidDataException($"The service answered {path} with an empty body.");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _api.GetAccessTokenAsync(ct));
        return await _http.SendAsync(request, ct);
    }
}
