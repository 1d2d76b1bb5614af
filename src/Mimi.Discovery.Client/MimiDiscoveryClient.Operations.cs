namespace Mimi.Discovery.Client;

/// <summary>The operator's views of the running service: the console's sign-in, lookup traffic, the log, the issuance feed, quotas.</summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>A one-time link that signs a browser in to the operator console as this client (an operator, by its key).</summary>
    public Task<ConsoleSignInLink> CreateConsoleSignInLinkAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/console/sign-in-links", OperationsClientJson.Default.ConsoleSignInLink, ct);

    /// <summary>Lookups per minute over the last <paramref name="minutes"/> (1 to 1440), as the instance answering counted them.</summary>
    public Task<LookupTraffic> GetLookupTrafficAsync(int minutes = 60, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/operations/lookup-traffic?minutes={minutes}", OperationsClientJson.Default.LookupTraffic, ct);

    /// <summary>The log's size, checkpoint, witnesses and last self-audit (operator).</summary>
    public Task<LogState> GetLogStateAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/log/state", OperationsClientJson.Default.LogState, ct);

    /// <summary>The newest credentials of every provider, newest first (operator; <paramref name="limit"/> 1 to 500).</summary>
    public Task<IssuanceFeedEntry[]> ListRecentIssuancesAsync(int limit = 50, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/authority/issuances?limit={limit}", OperationsClientJson.Default.IssuanceFeedEntryArray, ct);

    /// <summary>The newest revocations of every provider, newest first (operator; <paramref name="limit"/> 1 to 500).</summary>
    public Task<IssuanceFeedEntry[]> ListRecentRevocationsAsync(int limit = 50, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/authority/revocations?limit={limit}", OperationsClientJson.Default.IssuanceFeedEntryArray, ct);

    /// <summary>Every enrolled provider's owner quotas as they apply (operator).</summary>
    public Task<OwnerQuotaState[]> ListOwnerQuotasAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, "/v1/quotas", OperationsClientJson.Default.OwnerQuotaStateArray, ct);
}
