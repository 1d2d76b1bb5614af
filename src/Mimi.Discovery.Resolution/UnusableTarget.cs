namespace Mimi.Discovery.Resolution;

/// <summary>A target that cannot be contacted: it has no addresses, or only refused ones.</summary>
/// <param name="Target">Host name.</param>
/// <param name="Port">TCP port.</param>
/// <param name="Priority">SRV priority.</param>
/// <param name="Weight">SRV weight.</param>
/// <param name="Refused">Addresses refused by the <see cref="AddressGuard"/>.</param>
/// <param name="Reason">Human-readable summary.</param>
public sealed record UnusableTarget(string Target, int Port, int Priority, int Weight, IReadOnlyList<RefusedAddress> Refused, string Reason);
