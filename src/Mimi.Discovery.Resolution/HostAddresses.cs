using System.Net;

namespace Mimi.Discovery.Resolution;

/// <summary>The addresses of one host name, how long they hold and where they came from (for the trail).</summary>
internal sealed record HostAddresses(IReadOnlyList<IPAddress> Addresses, TimeSpan Ttl, bool TimedOut, string Detail);
