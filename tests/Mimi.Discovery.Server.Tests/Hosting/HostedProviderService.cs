using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Hosting;

/// <summary>The service hosting provider <c>beta.test</c> (its MIMI, hosted-user and client routes on), alone on a fresh data directory.</summary>
public sealed class HostedProviderService : IDisposable
{
    public const string Domain = "beta.test";

    private readonly string _data = Directory.CreateTempSubdirectory("mimi-test-").FullName;

    /// <param name="settings">Configuration overrides.</param>
    /// <param name="time">A clock to use instead of the system's.</param>
    public HostedProviderService(IDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var keyFile = Path.Combine(_data, "provider.key");
        using (var key = ClientCredentials.GenerateEs256(Domain))
        {
            key.Save(keyFile);
        }

        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Delivery:Domain"] = Domain,
            ["Delivery:ProviderKeyFile"] = keyFile,
        };
        Service = new ServiceFactory(settings: all, time: time, dataDirectory: _data);
    }

    public ServiceFactory Service { get; }

    public void Dispose()
    {
        Service.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
