using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// Every client's role, status and keys, cached in memory because token validation on every call reads it.
/// A change made on this replica is visible at once (the writer calls <see cref="RefreshAsync"/>); changes made on
/// other replicas are picked up by polling the shared directory revision every
/// <see cref="ClientAuthenticationOptions.DirectoryRefreshInterval"/>.
/// </summary>
internal sealed partial class ClientDirectory(
    ProviderStore store,
    QuotaStore quotas,
    HostedUserStore hostedUsers,
    IEnumerable<OperatorClient> operators,
    IOptions<ClientAuthenticationOptions> options,
    ILogger<ClientDirectory> logger) : BackgroundService
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Snapshot _snapshot = new(-1, FrozenDictionary<string, ClientEntry>.Empty);

    public ClientEntry? Find(string clientId) => _snapshot.Clients.GetValueOrDefault(clientId);

    public bool IsActive(string clientId) => _snapshot.Clients.TryGetValue(clientId, out var c) && c.Active;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Reloads from the database now.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            var revision = await store.GetRevisionAsync(ct);
            var providers = await store.ListAsync(ct);
            var quotaByOwner = (await quotas.ListAsync(ct)).ToDictionary(q => q.Owner, StringComparer.Ordinal);
            var clients = new Dictionary<string, ClientEntry>(StringComparer.Ordinal);
            foreach (var provider in providers)
            {
                var keys = new Dictionary<string, ClientKey>(StringComparer.Ordinal);
                foreach (var key in provider.Keys.Where(k => k.IsActive))
                {
                    if (ClientKey.TryParse(key.Jwk, out var parsed, out _))
                    {
                        keys[key.Kid] = parsed!;
                    }
                }

                clients[provider.Domain] = new ClientEntry(provider.Domain, ClientRole.Provider, provider.Status == ProviderStatus.Active,
                    provider.Trust, keys.ToFrozenDictionary(StringComparer.Ordinal), provider.KeyMaterialUrl, quotaByOwner.GetValueOrDefault(provider.Domain),
                    TokenGeneration: provider.TokenGeneration);
            }

            foreach (var client in await hostedUsers.ListClientsAsync(ct))
            {
                if (ClientKey.TryParse(client.Jwk, out var parsed, out _))
                {
                    clients[client.ClientUri] = new ClientEntry(client.ClientUri, ClientRole.HostedClient, true, ProviderTrust.Standard,
                        new Dictionary<string, ClientKey> { [parsed!.Kid] = parsed }.ToFrozenDictionary(StringComparer.Ordinal), UserUri: client.UserUri);
                }
            }

            foreach (var group in operators.GroupBy(o => o.ClientId, StringComparer.Ordinal))
            {
                clients[group.Key] = new ClientEntry(group.Key, ClientRole.Operator, true, ProviderTrust.Standard,
                    group.ToFrozenDictionary(o => o.Key.Kid, o => o.Key, StringComparer.Ordinal));
            }

            _snapshot = new Snapshot(revision, clients.ToFrozenDictionary(StringComparer.Ordinal));
        }
        finally
        {
            _reload.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DirectoryRefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await store.GetRevisionAsync(stoppingToken) != _snapshot.Revision)
                {
                    await RefreshAsync(stoppingToken);
                }
            }
            catch (StorageException e)
            {
                // Keep serving the last snapshot; the next tick retries. An outage is logged once, by storage.
                LogRefreshFailed(logger, StorageHealth.RetryLogLevel(e, LogLevel.Warning), e.Kind);
            }
        }
    }

    public override void Dispose()
    {
        _reload.Dispose();
        base.Dispose();
    }

    private sealed record Snapshot(long Revision, FrozenDictionary<string, ClientEntry> Clients);

    [LoggerMessage(EventId = 1101, Message = "Client directory refresh failed ({Kind}); serving the previous snapshot")]
    private static partial void LogRefreshFailed(ILogger logger, LogLevel level, StorageErrorKind kind);
}
