using System.Net;
using Mimi.Discovery.Resolution;

namespace Mimi.Discovery.Server.Peers;

/// <summary>How peers are found: DNS servers, which special-purpose addresses may be contacted, and whether http is allowed.</summary>
internal sealed class ResolutionOptions
{
    public const string Section = "Resolution";

    /// <summary>Name servers as <c>address:port</c>; empty means the system's.</summary>
    public List<string> NameServers { get; set; } = [];

    /// <summary>
    /// CIDR ranges that may be contacted although special-purpose (loopback, private…). Empty by default: the resolver
    /// is not an SSRF tool. Tests and the local demo allow <c>127.0.0.0/8</c>.
    /// </summary>
    public List<string> AllowedAddressRanges { get; set; } = [];

    /// <summary>Accept http (not https) directory documents and endpoints. Tests and the local demo only.</summary>
    public bool AllowHttp { get; set; }

    public ProviderResolverOptions ToResolverOptions()
    {
        var options = new ProviderResolverOptions { AllowHttp = AllowHttp, DirectoryScheme = AllowHttp ? "http" : "https" };
        foreach (var server in NameServers)
        {
            options.NameServers.Add(IPEndPoint.Parse(server));
        }

        foreach (var range in AllowedAddressRanges)
        {
            options.AllowedAddressRanges.Add(IPNetwork.Parse(range));
        }

        return options;
    }

}
