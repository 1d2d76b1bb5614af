using Mimi.Discovery.Transparency;

namespace Mimi.Discovery.Client;

/// <summary>The accountable log seen by relying parties and monitors: entry bundles, VRF keys, identifier indexes and openings.</summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>Most identifiers or log indexes one call to the index or opening endpoints takes.</summary>
    public const int MaxTransparencyBatch = 100;

    /// <summary>An entry bundle's raw bytes (C2SP tlog-tiles: each entry as a big-endian uint16 length then its bytes); see <see cref="EntryBundle.TrySplit"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="bundle"/> is a hash tile, not an entry bundle.</exception>
    public async Task<byte[]> GetEntryBundleAsync(TileCoordinate bundle, CancellationToken ct = default)
    {
        if (!bundle.IsEntryBundle)
        {
            throw new ArgumentException($"{bundle.Path} is a hash tile, not an entry bundle.", nameof(bundle));
        }

        using var response = await SendRawAsync(HttpMethod.Get, "/log/" + bundle.Path, null, false, ct);
        return await ReadBytesAsync(response, ct);
    }

    /// <summary>The authority's published VRF keys (<c>/.well-known/mimi-vrf-keys.json</c>).</summary>
    public Task<VrfKeys> GetVrfKeysAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/.well-known/mimi-vrf-keys.json", TransparencyClientJson.Default.VrfKeys, ct, authenticate: false);

    /// <summary>
    /// The identifier indexes of identifiers the caller holds a live credential for (or proved control of in the last
    /// hour), one per published VRF key, each with its proof; the others are refused (provider).
    /// </summary>
    public Task<IdentifierIndexes> GetIdentifierIndexesAsync(IEnumerable<string> identifiers, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/log/indexes", new IndexesBody([.. identifiers]), TransparencyClientJson.Default.IndexesBody,
            TransparencyClientJson.Default.IdentifierIndexes, ct);

    /// <summary>The openings of format-2 entries about identifiers the caller holds; the others are refused (provider).</summary>
    public Task<LogOpenings> GetLogOpeningsAsync(IEnumerable<long> logIndexes, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/log/openings", new OpeningsBody([.. logIndexes]), TransparencyClientJson.Default.OpeningsBody,
            TransparencyClientJson.Default.LogOpenings, ct);

    /// <summary>The caller's own credentials, newest first, at most <paramref name="limit"/> (1 to 1000) (provider).</summary>
    public Task<Credential[]> ListCredentialsAsync(int limit = 1000, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/authority/credentials?limit={limit}", TransparencyClientJson.Default.CredentialArray, ct);

    /// <summary>The issuing intermediate followed by the root (PEM).</summary>
    public Task<string> GetCaChainAsync(CancellationToken ct = default) => GetTextAsync("/ca/chain.pem", ct);
}
