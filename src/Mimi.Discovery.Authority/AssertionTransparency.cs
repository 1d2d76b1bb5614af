namespace Mimi.Discovery.Authority;

/// <summary>
/// What a mapping assertion of a format-2 credential carries beside its claims so that a relying party can check the
/// log offline (docs/accountability.md §3).
/// </summary>
/// <param name="Attestation">How control was proven: <c>provider</c> or <c>one-time-code</c> (claim <c>attestation</c>).</param>
/// <param name="VrfKeyId">Key id of the VRF key the identifier index was computed under (claim <c>vrf_kid</c>).</param>
/// <param name="VrfProof">The 81-byte VRF proof over the SII (claim <c>vrf_proof</c>, base64url).</param>
/// <param name="LogOpening">The 32-byte opening of the issuance entry's commitment (claim <c>log_opening</c>, base64url).</param>
public sealed record AssertionTransparency(string Attestation, string VrfKeyId, byte[] VrfProof, byte[] LogOpening);
