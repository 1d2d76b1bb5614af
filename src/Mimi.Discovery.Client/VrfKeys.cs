namespace Mimi.Discovery.Client;

/// <summary>
/// The authority's VRF keys as <c>/.well-known/mimi-vrf-keys.json</c> publishes them: the suite, the current key id,
/// and every key, current first (earlier keys stay published so their proofs keep verifying).
/// </summary>
public sealed record VrfKeys(string Suite, string Current, VrfKeyInfo[] Keys);
