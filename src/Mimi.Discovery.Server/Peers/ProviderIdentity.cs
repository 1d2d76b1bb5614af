using Microsoft.Extensions.Options;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Delivery;

namespace Mimi.Discovery.Server.Peers;

/// <summary>This instance's own provider identity: its domain and the enrolled key it signs peer requests with.</summary>
internal sealed class ProviderIdentity(IOptions<DeliveryOptions> options) : IDisposable
{
    private readonly Lazy<ClientCredentials> _credentials = new(() =>
        ClientCredentials.Load(options.Value.HostedDomain, options.Value.ProviderKeyFile
            ?? throw new InvalidOperationException("Delivery:ProviderKeyFile is not set.")));

    public string Domain => options.Value.HostedDomain;

    public ClientCredentials Credentials => _credentials.Value;

    public void Dispose()
    {
        if (_credentials.IsValueCreated)
        {
            _credentials.Value.Dispose();
        }
    }
}
