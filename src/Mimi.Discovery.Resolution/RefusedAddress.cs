using System.Net;

namespace Mimi.Discovery.Resolution;

/// <summary>An address the <see cref="AddressGuard"/> refused, with the reason.</summary>
/// <param name="Address">The refused address.</param>
/// <param name="Reason">Why, for example <c>"10.0.0.1 is private (RFC 1918) (10.0.0.0/8)"</c>.</param>
public sealed record RefusedAddress(IPAddress Address, string Reason);
