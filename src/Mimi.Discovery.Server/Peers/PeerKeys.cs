using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Authentication;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// Peer providers' public signing keys, as the discovery service vouches for them: read from this instance's own
/// directory when it is the discovery service, otherwise fetched from it and cached for
/// <see cref="DeliveryOptions.PeerKeyCacheLifetime"/> (15 s by default, at most a minute): a provider suspended at the
/// discovery service has no keys there, so its requests are refused here once the cached set is that old. An unknown
/// kid triggers one refetch (key rotation), at most every 10 seconds per peer (or per lifetime, when shorter).
/// </summary>
internal sealed partial class PeerKeys(
    ClientDirectory localDirectory, DiscoveryConnection discovery, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<PeerKeys> logger)
{
    private static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    public async Task<ClientKey?> FindAsync(string domain, string kid, CancellationToken ct)
    {
        if (options.Value.DirectoryUrl is null)
        {
            return localDirectory.Find(domain) is { Role: ClientRole.Provider, Active: true } provider ? provider.Keys.GetValueOrDefault(kid) : null;
        }

        var now = time.GetUtcNow();
        if (_cache.TryGetValue(domain, out var entry)
            && (now - entry.FetchedAt < options.Value.PeerKeyCacheLifetime && (entry.Keys.ContainsKey(kid) || now - entry.FetchedAt < MinRefetchInterval)))
        {
            return entry.Keys.GetValueOrDefault(kid);
        }

        try
        {
            var jwks = await discovery.Client.GetProviderKeysAsync(domain, ct) ?? [];
            var keys = new Dictionary<string, ClientKey>(StringComparer.Ordinal);
            foreach (var jwk in jwks)
            {
                if (ClientKey.TryParse(jwk, out var key, out _))
                {
                    keys[key!.Kid] = key;
                }
            }

            entry = new Entry(keys.ToFrozenDictionary(StringComparer.Ordinal), now);
            _cache[domain] = entry;
            return entry.Keys.GetValueOrDefault(kid);
        }
        catch (Exception e) when (e is HttpRequestException or MimiApiException or TaskCanceledException or System.Text.Json.JsonException)
        {
            LogFetchFailed(logger, domain, e.Message);
            // Serve what we had (a discovery outage should not cut off known peers); unknown peers are refused.
            return entry?.Keys.GetValueOrDefault(kid);
        }
    }

    private sealed record Entry(FrozenDictionary<string, ClientKey> Keys, DateTimeOffset FetchedAt);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Could not fetch the keys of peer {Domain} from the discovery service: {Error}")]
    private static partial void LogFetchFailed(ILogger logger, string domain, string error);
}
