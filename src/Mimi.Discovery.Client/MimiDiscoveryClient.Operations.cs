namespace Mimi.Discovery.Client;

/// <summary>The operator's views of the running service: the console's sign-in, lookup traffic.</summary>
public sealed partial class MimiDiscoveryClient
{
    /// <summary>A one-time link that signs a browser in to the operator console as this client (an operator, by its key).</summary>
    public Task<ConsoleSignInLink> CreateConsoleSignInLinkAsync(CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, "/v1/console/sign-in-links", OperationsClientJson.Default.ConsoleSignInLink, ct);

    /// <summary>Lookups per minute over the last <paramref name="minutes"/> (1 to 1440), as the instance answering counted them.</summary>
    public Task<LookupTraffic> GetLookupTrafficAsync(int minutes = 60, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Get, $"/v1/operations/lookup-traffic?minutes={minutes}", OperationsClientJson.Default.LookupTraffic, ct);
}
