using System.Net;

namespace Mimi.Discovery.Resolution;

/// <summary>One place to contact a provider: an SRV target (or the domain itself) with its permitted addresses.</summary>
/// <param name="Target">Host name, lower case, without the trailing dot.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Priority">SRV priority (lower is tried first); 0 for the fallback.</param>
/// <param name="Weight">SRV weight within its priority; 0 for the fallback.</param>
/// <param name="Addresses">Addresses that passed the <see cref="AddressGuard"/>, in the order to try them.</param>
public sealed record ResolutionCandidate(string Target, int Port, int Priority, int Weight, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary><c>target:port</c>.</summary>
    public override string ToString() => $"{Target}:{Port}";
}
