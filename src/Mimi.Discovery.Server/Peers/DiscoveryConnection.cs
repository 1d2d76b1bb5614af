using Microsoft.Extensions.Options;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Peers;

/// <summary>
/// This provider's authenticated connection to the discovery service it is enrolled at (<see cref="DeliveryOptions.DirectoryUrl"/>):
/// peers' keys, lookups. The discovery service is configured by the operator, not found through DNS, so it is reached
/// through an ordinary HTTP client.
/// </summary>
internal sealed class DiscoveryConnection(IHttpClientFactory factory, ProviderIdentity identity, IOptions<DeliveryOptions> options, TimeProvider time)
{
    public const string HttpClientName = "discovery";

    private readonly Lazy<MimiDiscoveryClient> _client = new(() =>
    {
        var http = factory.CreateClient(HttpClientName);
        http.BaseAddress = new Uri(options.Value.DirectoryUrl ?? throw new InvalidOperationException("Delivery:DirectoryUrl is not set."));
        return new MimiDiscoveryClient(http, identity.Credentials, time);
    });

    public MimiDiscoveryClient Client => _client.Value;
}
