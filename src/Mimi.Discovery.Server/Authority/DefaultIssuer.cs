using System.Net;
using Microsoft.Extensions.Options;

namespace Mimi.Discovery.Server.Authority;

/// <summary>
/// Fills <see cref="AuthorityOptions.Issuer"/>, when it is not set, from the address the server is configured to
/// listen on, so that one setting (<c>ASPNETCORE_URLS</c>, <c>--urls</c>, <c>Urls</c> or a Kestrel endpoint) moves
/// the service and the token audience its clients address together. It is read from configuration, as Kestrel reads
/// it, because keys and signers need the issuer before the server binds.
/// </summary>
internal sealed class DefaultIssuer(IConfiguration configuration) : IPostConfigureOptions<AuthorityOptions>
{
    // Kestrel's own default when nothing names an address.
    private const string KestrelDefault = "http://localhost:5000";

    public void PostConfigure(string? name, AuthorityOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Issuer) && Resolve(configuration).Issuer is { } issuer)
        {
            options.Issuer = issuer;
        }
    }

    /// <summary>The issuer the first configured http(s) listening address gives, or why that address cannot name one.</summary>
    public static (string? Issuer, string? Problem) Resolve(IConfiguration configuration)
    {
        var (addresses, source) = ConfiguredAddresses(configuration);
        var address = addresses.FirstOrDefault(a => Parse(a) is { IsUnixPipe: false, IsNamedPipe: false, Scheme: "http" or "https" });
        if (address is null)
        {
            return (null, $"{source} ('{string.Join(';', addresses)}') holds no http(s) address");
        }

        var binding = Parse(address)!;
        var host = binding.Host;
        if (host is "*" or "+" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any))))
        {
            return (null, $"the service listens on '{address}' ({source}), a wildcard address that names no host");
        }

        if (binding.Port == 0)
        {
            return (null, $"the service listens on '{address}' ({source}), a port chosen only when it binds");
        }

        // Through Uri, so the issuer reads as clients write the base address (lower-case host, no default port).
        var uri = new UriBuilder(binding.Scheme, host.Trim('[', ']'), binding.Port, binding.PathBase).Uri;
        return (uri.AbsoluteUri.TrimEnd('/'), null);
    }

    private static BindingAddress? Parse(string address)
    {
        try
        {
            return BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static (IReadOnlyList<string> Addresses, string Source) ConfiguredAddresses(IConfiguration configuration)
    {
        // Kestrel's precedence: endpoints of its own section, then URLS, then HTTP(S)_PORTS, then its default.
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>().ToList();
        if (endpoints.Count > 0)
        {
            return (endpoints, "Kestrel:Endpoints");
        }

        if (List(configuration[WebHostDefaults.ServerUrlsKey]) is { Count: > 0 } urls)
        {
            return (urls, "ASPNETCORE_URLS, --urls or Urls");
        }

        var ports = List(configuration[WebHostDefaults.HttpPortsKey]).Select(p => "http://*:" + p)
            .Concat(List(configuration[WebHostDefaults.HttpsPortsKey]).Select(p => "https://*:" + p)).ToList();
        return ports.Count > 0 ? (ports, "ASPNETCORE_HTTP_PORTS or ASPNETCORE_HTTPS_PORTS") : ([KestrelDefault], "Kestrel's default");
    }

    private static List<string> List(string? value) =>
        [.. (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
