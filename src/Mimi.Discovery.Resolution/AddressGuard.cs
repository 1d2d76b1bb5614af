using System.Net;
using System.Net.Sockets;

namespace Mimi.Discovery.Resolution;

/// <summary>
/// Decides which IP addresses the resolver and its HTTP clients may contact, so that a provider
/// domain pointing at internal infrastructure cannot turn the service into an SSRF tool.
/// Special-purpose addresses (loopback, RFC 1918 private, CGNAT, link-local, unique-local,
/// multicast, unspecified, broadcast, cloud metadata) are refused unless an allowed range covers them.
/// </summary>
public sealed class AddressGuard
{
    // Order matters: the first match names the reason, so narrow ranges precede the ranges holding them.
    private static readonly (IPNetwork Network, string Name)[] SpecialRanges =
    [
        (IPNetwork.Parse("169.254.169.254/32"), "cloud metadata"),
        (IPNetwork.Parse("255.255.255.255/32"), "broadcast"),
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified (this network)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private (RFC 1918)"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private (RFC 1918)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.168.0.0/16"), "private (RFC 1918)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved"),
        (IPNetwork.Parse("fd00:ec2::254/128"), "cloud metadata"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::/96"), "IPv4-compatible (deprecated)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local (deprecated)"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private readonly IPNetwork[] _allowed;

    /// <summary>Creates a guard that lets the given ranges through even when they are special-purpose.</summary>
    /// <param name="allowedRanges">Ranges to allow, for example <c>127.0.0.0/8</c> in tests.</param>
    public AddressGuard(IEnumerable<IPNetwork> allowedRanges)
    {
        ArgumentNullException.ThrowIfNull(allowedRanges);
        _allowed = [.. allowedRanges];
    }

    /// <summary>A guard that allows no special-purpose address.</summary>
    public static AddressGuard Strict { get; } = new([]);

    /// <summary>The ranges this guard allows although they are special-purpose.</summary>
    public IReadOnlyList<IPNetwork> AllowedRanges => _allowed;

    /// <summary>Whether <paramref name="address"/> may be contacted.</summary>
    public bool IsAllowed(IPAddress address) => Check(address) is null;

    /// <summary>
    /// Returns <see langword="null"/> when <paramref name="address"/> may be contacted, otherwise a
    /// short reason such as <c>"10.0.0.1 is private (RFC 1918) (10.0.0.0/8)"</c>.
    /// </summary>
    public string? Check(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        foreach (var range in _allowed)
        {
            if (range.Contains(normalized) || range.Contains(address))
            {
                return null;
            }
        }

        var special = Classify(normalized);
        return special is null ? null : $"{address} is {special}";
    }

    /// <summary>
    /// Names the special-purpose range holding <paramref name="address"/> (for example
    /// <c>"loopback (127.0.0.0/8)"</c>), or returns <see langword="null"/> for an ordinary public address.
    /// IPv4-mapped and NAT64 (<c>64:ff9b::/96</c>) addresses are judged by the IPv4 address they carry.
    /// </summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        if (normalized.AddressFamily == AddressFamily.InterNetworkV6 && Nat64.Contains(normalized))
        {
            Span<byte> bytes = stackalloc byte[16];
            normalized.TryWriteBytes(bytes, out _);
            var embedded = new IPAddress(bytes[12..]);
            var inner = Classify(embedded);
            return inner is null ? null : $"NAT64 of {embedded}, {inner}";
        }

        foreach (var (network, name) in SpecialRanges)
        {
            if (network.Contains(normalized))
            {
                return $"{name} ({network})";
            }
        }

        return null;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
